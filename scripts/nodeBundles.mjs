// The Node bundles' options, apart from esbuild.mjs (which builds them) so a test can build the
// extension's bundle in memory and check what activation loads (test/unit/extensionBundle.test.ts).
import { resolve } from 'node:path';

const production = process.argv.includes('--production');

/** Node bundles: onnxruntime-node stays external (native binding, ships in the .vsix). */
export const nodeBuild = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', 'onnxruntime-node'],
  // Prefer ES module builds: jsonc-parser's UMD main loads its parts with a
  // require() esbuild cannot follow, which fails at run time inside the bundle.
  mainFields: ['module', 'main'],
  logLevel: 'info',
};

/**
 * Packages the extension host needs only for some files (an ONNX model, TensorBoard event files,
 * a Hugging Face tokenizer) and that took milliseconds of the editor's startup to load: each is
 * bundled on its own into dist/vendor/, and the extension's bundle requires it from there on first
 * use (the sources call `require` or `import()` inside the function that needs it). Image decoders
 * are not among them: only image reader threads load them (dist/image-reader.js).
 */
export const LOADED_ON_FIRST_USE = ['onnx-proto', 'protobufjs', '@huggingface/tokenizers'];

const loadedOnFirstUse = {
  name: 'loaded-on-first-use',
  setup(build) {
    const names = new RegExp(`^(${LOADED_ON_FIRST_USE.join('|')})$`);
    build.onResolve({ filter: names }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

/**
 * Packages whose state every bundle of the extension host must share: @vscode/l10n holds the
 * display language's messages, set once at activation (src/extension/displayLanguage.ts), and a
 * part loaded on first use (below) with a copy of its own would speak English. Each is bundled on
 * its own into dist/shared/ and required from there by every host bundle, so Node loads it once.
 */
export const SHARED_BY_HOST_BUNDLES = ['@vscode/l10n'];

/**
 * Parts of Model Lab's own code that the extension host needs only for some files, bundled on
 * their own (dist/<name>.js, bundle name → entry file) and required from there on first use: the
 * sources reach each through a `require` inside the function that needs it
 * (src/engine/onnxImporter.ts, src/extension/export/exportCommands.ts). Their code is read and
 * compiled only then, not at every startup of the editor. The other bundles (training process,
 * CLI) take them inline.
 */
export const HOST_PARTS_ON_FIRST_USE = {
  'onnx-importer': 'src/engine/onnx/index.ts',
  'pytorch-export': 'src/export/pytorch/exportProject.ts',
};

/** A `require` of one of those files becomes a require of its bundle, beside the requiring one in dist/. */
const hostPartsOnFirstUse = {
  name: 'host-parts-on-first-use',
  setup(build) {
    const bundleOf = new Map(
      Object.entries(HOST_PARTS_ON_FIRST_USE).map(([name, file]) => [resolve(file), name]),
    );
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== 'require-call' || args.pluginData === 'inner') return undefined;
      const { path } = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'inner',
      });
      const name = bundleOf.get(path);
      return name ? { path: `./${name}.js`, external: true } : { path };
    });
  },
};

/**
 * The modules every host bundle shares (`vscode`, and dist/shared/), each made an ES module once.
 * esbuild gives every file that imports a CommonJS module its own copy of the module's properties
 * (`__toESM`); `vscode` has hundreds and some 50 files import it, which took about 20 ms of
 * activation. The files now share one copy. The shared packages are required from dist/shared/.
 */
const sharedModulesOnce = {
  name: 'shared-modules-once',
  setup(build) {
    const names = new RegExp(`^(vscode|${SHARED_BY_HOST_BUNDLES.join('|')})$`);
    const loadedFrom = (name) => (name === 'vscode' ? name : `./shared/${name}.js`);
    build.onResolve({ filter: names }, (args) =>
      args.namespace === 'once'
        ? { path: loadedFrom(args.path), external: true }
        : { path: args.path, namespace: 'once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'once' }, (args) => ({
      contents: `export * from '${args.path}';`,
    }));
  },
};

/**
 * dist/extension.js, the extension host's entry (src/extension/entry.ts: the startup clock and the
 * code cache), and dist/extension-main.js, the rest of the extension, which the entry loads.
 */
export const extensionBuild = {
  ...nodeBuild,
  entryPoints: { extension: 'src/extension/entry.ts', 'extension-main': 'src/extension/extension.ts' },
  outdir: 'dist',
  plugins: [sharedModulesOnce, loadedOnFirstUse, hostPartsOnFirstUse],
};

/** dist/<name>.js, one bundle per part of Model Lab the extension loads on first use. */
export const hostPartsBuild = {
  ...nodeBuild,
  entryPoints: HOST_PARTS_ON_FIRST_USE,
  outdir: 'dist',
  plugins: [sharedModulesOnce, loadedOnFirstUse, hostPartsOnFirstUse],
};

/** dist/vendor/<package>.js, one bundle per package the extension loads on first use, and dist/shared/<package>.js. */
export const vendorBuild = {
  ...nodeBuild,
  entryPoints: Object.fromEntries([
    ...LOADED_ON_FIRST_USE.map((name) => [`vendor/${name}`, name]),
    ...SHARED_BY_HOST_BUNDLES.map((name) => [`shared/${name}`, name]),
  ]),
  outdir: 'dist',
};
