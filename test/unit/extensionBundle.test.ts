// What activation loads: the extension host's bundle leaves out the packages it needs only for some
// files (scripts/nodeBundles.mjs, LOADED_ON_FIRST_USE) and reaches them through `require` calls made on first
// use; the integration layer checks the running host's module cache after activation.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
// @ts-expect-error plain ESM build script without type declarations
import { extensionBuild, LOADED_ON_FIRST_USE } from '../../scripts/nodeBundles.mjs';

const firstUse = LOADED_ON_FIRST_USE as string[];

async function extensionBundle() {
  const result = await esbuild.build({
    ...(extensionBuild as esbuild.BuildOptions),
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const inputs = Object.entries(result.metafile.inputs);
  // Every import of every source file in the bundle, as written (a static import or a require call).
  const imports = inputs.flatMap(([file, input]) => input.imports.map((i) => ({ ...i, file })));
  const text = result.outputFiles.find((file) => file.path.endsWith('extension.js'))!.text;
  return { inputs: inputs.map(([path]) => path), imports, text };
}

test('the extension bundle reaches onnx-proto and protobufjs only through require calls into dist/vendor', async () => {
  const bundle = await extensionBundle();
  for (const name of firstUse) {
    assert.deepEqual(
      bundle.inputs.filter((path) => path.includes(`node_modules/${name}/`)),
      [],
      `${name} is bundled into the extension: it loads at activation`,
    );
    const imports = bundle.imports.filter((i) => i.path === `./vendor/${name}.js`);
    assert.ok(imports.length > 0, `the extension no longer uses ${name}: drop it from LOADED_ON_FIRST_USE`);
    for (const i of imports) {
      assert.equal(i.kind, 'require-call', `${i.file} imports ${name} statically: it loads at activation`);
    }
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
