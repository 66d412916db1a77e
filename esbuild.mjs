// One build script for every bundle: the extension host entry, the training
// process, the image reader threads, the CLI and the webview scripts. `--watch` rebuilds on change.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as esbuild from 'esbuild';
import { extensionBuild, hostPartsBuild, nodeBuild, vendorBuild } from './scripts/nodeBundles.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Copies package files a bundle reads at run time (package path → destination) after each build. */
function copyFiles(files) {
  const require = createRequire(import.meta.url);
  return {
    name: 'copy-files',
    setup(build) {
      build.onEnd(() => {
        for (const [from, to] of Object.entries(files)) {
          mkdirSync(dirname(to), { recursive: true });
          copyFileSync(require.resolve(from), to);
        }
      });
    },
  };
}

const builds = [
  extensionBuild,
  vendorBuild,
  hostPartsBuild,
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
    // libjpeg's Emscripten glue reads import.meta.url only to find its .wasm, which Model Lab
    // hands it itself (src/data/imageDecode.ts).
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [copyFiles({ '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm': 'dist/mozjpeg_dec.wasm' })],
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
