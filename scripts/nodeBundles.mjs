// The Node bundles' options, apart from esbuild.mjs (which builds them) so a test can build the
// extension's bundle in memory and check what activation loads (test/unit/extensionBundle.test.ts).

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
 * Packages the extension host needs only for some files (an ONNX model, TensorBoard event files)
 * and that took milliseconds of the editor's startup to load: each is bundled on its own into
 * dist/vendor/, and the extension's bundle requires it from there on first use (the sources call
 * `require` inside the function that needs it). Image decoders are not among them: only image
 * reader threads load them (dist/image-reader.js).
 */
export const LOADED_ON_FIRST_USE = ['onnx-proto', 'protobufjs'];

const loadedOnFirstUse = {
  name: 'loaded-on-first-use',
  setup(build) {
    const names = new RegExp(`^(${LOADED_ON_FIRST_USE.join('|')})$`);
    build.onResolve({ filter: names }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

/**
 * The `vscode` module, made an ES module once. esbuild gives every file that imports a CommonJS
 * module its own copy of the module's properties (`__toESM`); `vscode` has hundreds and some 50
 * files import it, which took about 20 ms of activation. The files now share one copy.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';" }));
  },
};

/** dist/extension.js, the extension host's entry. */
export const extensionBuild = {
  ...nodeBuild,
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir: 'dist',
  plugins: [vscodeOnce, loadedOnFirstUse],
};

/** dist/vendor/<package>.js, one bundle per package the extension loads on first use. */
export const vendorBuild = {
  ...nodeBuild,
  entryPoints: Object.fromEntries(LOADED_ON_FIRST_USE.map((name) => [`vendor/${name}`, name])),
  outdir: 'dist',
};
