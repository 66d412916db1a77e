/**
 * The `model-lab` CLI as it ships: dist/cli.js, one bundle with its libraries inside. Node only
 * warns about deprecated calls made outside node_modules, so a library call that is silent from
 * the sources can print a warning from the bundle: this runs the bundle itself.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { activatedExtension } from './extensionUnderTest';

suite('The bundled model-lab CLI', () => {
  test('checks an imported model and prints no Node warning (reading a .onnx once printed Buffer()’s)', async () => {
    const root = (await activatedExtension()).extensionPath;
    const model = join(root, 'test', 'fixtures', 'onnx-zoo', 'gpt2-style-opset17.onnx');
    const checked = spawnSync(
      process.execPath,
      [join(root, 'dist', 'cli.js'), 'onnx', 'check', model, '--size', 'sequence=8'],
      { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', ELECTRON_RUN_AS_NODE: '1' } },
    );
    assert.equal(checked.status, 0, checked.stderr);
    assert.match(checked.stdout, /Model Lab can train this model\./);
    assert.doesNotMatch(checked.stderr, /Warning/);
  });
});
