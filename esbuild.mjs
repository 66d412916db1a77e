// One build script for every bundle: the extension host entry, the training
// process, the image reader threads, the CLI and the webview scripts. `--watch` rebuilds on change.
import { rmSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { extensionBuild, nodeBuild, vendorBuild } from './scripts/nodeBundles.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const builds = [
  extensionBuild,
  vendorBuild,
  {
    ...nodeBuild,
    entryPoints: { 'training-process': 'src/trainer/trainingProcess.ts' },
    outdir: 'dist',
  },
  {
    ...nodeBuild,
    // Image reader threads (src/data/imageReaders.ts), started from any of the bundles beside it.
    entryPoints: { 'image-reader': 'src/data/imageReaderThread.ts' },
    outdir: 'dist',
  },
  {
    ...nodeBuild,
    entryPoints: { cli: 'src/cli/cli.ts' },
    outdir: 'dist',
    // `bin: model-lab` runs this file directly.
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    entryPoints: {
      'webview/engineCheck': 'webview/engineCheck/main.ts',
      'webview/onnxModel': 'webview/onnxModel/main.ts',
      'webview/metrics': 'webview/metrics/main.ts',
      'webview/evaluation': 'webview/evaluation/main.ts',
      'webview/attention': 'webview/attention/main.ts',
      'webview/playground': 'webview/playground/main.ts',
      'webview/cnnInside': 'webview/cnnInside/main.ts',
      'webview/rnnInside': 'webview/rnnInside/main.ts',
      'webview/runsTable': 'webview/runsTable/main.ts',
    },
    outdir: 'dist',
    logLevel: 'info',
  },
];

// A release build starts from an empty dist/, so no stale bundle ends up in the .vsix.
if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
