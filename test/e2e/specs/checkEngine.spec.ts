import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCommand, screenshot, webviewFrame } from '../helpers/browser';
import { e2eSession, workbench } from '../helpers/session';
import { node24 } from '../helpers/tools';
import { waitForText } from '../helpers/waitFor';

describe('Check Engine (installed .vsix)', () => {
  it('ships onnxruntime-node for linux-x64 and loads it from the installed extension', () => {
    const { installedExtensionDir } = e2eSession();
    const ort = join(installedExtensionDir, 'node_modules', 'onnxruntime-node');
    assert.ok(existsSync(join(ort, 'bin', 'napi-v6', 'linux', 'x64', 'onnxruntime_binding.node')));
    assert.ok(!existsSync(join(ort, 'bin', 'napi-v6', 'win32')), 'other platforms stay out of the package');
    const version = execFileSync(node24, ['-p', `require(${JSON.stringify(ort)}).env.versions.node`], {
      encoding: 'utf8',
    });
    assert.match(version.trim(), /^1\.30\./);
  });

  it('the palette command shows the values onnxruntime computed in the training process', async () => {
    const page = await workbench();
    await runCommand(page, 'Model Lab: Check Engine');
    const panel = webviewFrame(page);
    // Y = A·B + C for the fixed inputs of src/trainer/engineCheck.ts.
    await waitForText(panel.getByTestId('output'), '[[0.125, 6.5], [3.125, 13.25]]');
    await waitForText(panel.getByTestId('status'), /matches JavaScript/);
    await waitForText(panel.getByTestId('ort-version'), /^1\.30\.\d+$/);
    await waitForText(panel.getByTestId('device'), 'cpu');
    await screenshot(page, 'check-engine');
  });
});
