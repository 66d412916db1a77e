// What activation loads: the extension host's entry (dist/extension.js) holds only the startup clock and
// requires the rest (dist/extension-main.js). That bundle leaves out the packages and the parts of Model Lab
// it needs only for some files (scripts/nodeBundles.mjs: LOADED_ON_FIRST_USE, HOST_PARTS_ON_FIRST_USE) and
// reaches them through `require` calls made on first use; the integration layer checks the running host's
// module cache after activation.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import {
  extensionBuild,
  hostPartsBuild,
  HOST_PARTS_ON_FIRST_USE,
  LOADED_ON_FIRST_USE,
  SHARED_BY_HOST_BUNDLES,
  // @ts-expect-error plain ESM build script without type declarations
} from '../../scripts/nodeBundles.mjs';

const firstUse = LOADED_ON_FIRST_USE as string[];
const parts = HOST_PARTS_ON_FIRST_USE as Record<string, string>;
const shared = SHARED_BY_HOST_BUNDLES as string[];

/** Each output bundle of a build: the source files in it, their imports as written, and its text. */
async function bundles(options: unknown) {
  const result = await esbuild.build({
    ...(options as esbuild.BuildOptions),
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  return Object.entries(result.metafile.outputs).map(([path, output]) => {
    const inputs = Object.keys(output.inputs);
    // Every import of every source file in the bundle (a static import, a require call or an import()).
    const imports = inputs.flatMap((file) =>
      result.metafile.inputs[file]!.imports.map((i) => ({ ...i, file })),
    );
    const text = result.outputFiles.find((file) => file.path.endsWith(path))!.text;
    return { name: path.replace(/^.*\//, ''), inputs, imports, text };
  });
}

async function extensionBundle() {
  return (await bundles(extensionBuild)).find((bundle) => bundle.name === 'extension-main.js')!;
}

test('the entry holds only the startup clock and the code cache, and loads the rest of the extension after starting the clock', async () => {
  const entry = (await bundles(extensionBuild)).find((bundle) => bundle.name === 'extension.js')!;
  assert.deepEqual(entry.inputs.sort(), [
    'src/extension/codeCache.ts',
    'src/extension/entry.ts',
    'src/extension/startupClock.ts',
  ]);
  // The clock's first mark comes before the load, the second after it.
  const [before, after] = [...entry.text.matchAll(/= startupMark\(\)/g)].map((m) => m.index);
  const loads = entry.text.search(/= requireWithCodeCache\(.*"extension-main\.js"\)\)/);
  assert.ok(before! < loads && loads < after!, entry.text);
});

test('the main bundle is ASCII, so the entry reads it without decoding UTF-8', async () => {
  // esbuild escapes what it writes as code, but keeps some comments (a class member's doc comment)
  // as written. One character outside ASCII there makes the bundle a two-byte string in V8,
  // which cost several ms of every start (src/extension/codeCache.ts).
  const { text } = await extensionBundle();
  const lines = text.split('\n').filter((line) => /[^\t\n\r\x20-\x7e]/.test(line));
  assert.deepEqual(lines, [], 'write these comments in ASCII ("..." for "…")');
});

/** The extension's main bundle and the parts it loads on first use. */
async function hostBundles() {
  return [await extensionBundle(), ...(await bundles(hostPartsBuild))];
}

test('the host bundles reach onnx-proto, protobufjs and the tokenizers only on first use, from dist/vendor', async () => {
  const all = await hostBundles();
  for (const name of firstUse) {
    for (const bundle of all)
      assert.deepEqual(
        bundle.inputs.filter((path) => path.includes(`node_modules/${name}/`)),
        [],
        `${name} is bundled into ${bundle.name}`,
      );
    const imports = all.flatMap((bundle) => bundle.imports).filter((i) => i.path === `./vendor/${name}.js`);
    assert.ok(imports.length > 0, `the extension no longer uses ${name}: drop it from LOADED_ON_FIRST_USE`);
    for (const i of imports) {
      assert.ok(
        i.kind === 'require-call' || i.kind === 'dynamic-import',
        `${i.file} imports ${name} statically: it loads at activation`,
      );
    }
  }
});

test('the ONNX importer and the PyTorch export are bundles of their own, required on first use', async () => {
  const bundle = await extensionBundle();
  // What they carry: the importer, the autodiff rules and graph builder under it, the export.
  for (const folder of ['src/engine/onnx/', 'src/engine/autodiff/', 'src/engine/model/', 'src/export/'])
    assert.deepEqual(
      bundle.inputs.filter((path) => path.startsWith(folder)),
      [],
      `${folder} is in the extension's bundle: the editor reads and compiles it at every startup`,
    );
  const built = (await bundles(hostPartsBuild)).map((part) => part.name);
  for (const name of Object.keys(parts)) {
    assert.ok(built.includes(`${name}.js`), `dist/${name}.js is not built`);
    const imports = bundle.imports.filter((i) => i.path === `./${name}.js`);
    assert.ok(
      imports.length > 0,
      `the extension no longer uses ${name}: drop it from HOST_PARTS_ON_FIRST_USE`,
    );
    for (const i of imports) assert.equal(i.kind, 'require-call', `${i.file} loads ${name} at activation`);
  }
});

test('no host bundle keeps an import(): the main bundle is compiled with no loader for one (codeCache.ts)', async () => {
  for (const bundle of await hostBundles())
    assert.deepEqual(
      bundle.imports
        .filter((i) => i.kind === 'dynamic-import' && i.external)
        .map((i) => `${i.file}: ${i.path}`),
      [],
      `${bundle.name} imports these with import() at run time`,
    );
});

test('every host bundle requires @vscode/l10n from dist/shared, so the display language set at activation reaches the parts', async () => {
  for (const bundle of await hostBundles())
    for (const name of shared) {
      assert.deepEqual(
        bundle.inputs.filter((path) => path.includes(`node_modules/${name}/`)),
        [],
        `${bundle.name} has a copy of ${name} of its own`,
      );
      assert.equal(bundle.text.split(`require("./shared/${name}.js")`).length - 1, 1, bundle.name);
    }
});

test('the extension bundle holds no image decoder: only image reader threads load them (dist/image-reader.js)', async () => {
  const { inputs } = await extensionBundle();
  for (const decoder of ['jpeg-js', 'pngjs', '@jsquash/jpeg', 'src/data/imageDecode.ts'])
    assert.deepEqual(
      inputs.filter((path) => path.includes(decoder)),
      [],
      `${decoder} is in the extension's bundle`,
    );
});

test('the extension bundle makes the vscode module an ES module once, not once per importing file', async () => {
  const { text } = await extensionBundle();
  assert.equal(text.match(/require\("vscode"\)/g)?.length, 1);
  assert.doesNotMatch(text, /__toESM\(require\("vscode"\)\)/);
});
