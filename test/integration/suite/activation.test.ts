import { strict as assert } from 'node:assert';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';
import type { ModelLabExports } from '../../../src/extension/extension';
import { activatedExtension, contributedCommands } from './extensionUnderTest';
import { reportFigure } from './reportFigure';

suite('Activation', () => {
  test('Model Lab activates in the real extension host', async () => {
    const extension = await activatedExtension();
    assert.equal(extension.isActive, true);
    assert.equal((extension.packageJSON as { displayName: string }).displayName, 'Model Lab');
  });

  test('Model Lab is ready without loading onnxruntime or its first-use packages, and reports its startup time', async function () {
    const extension = await activatedExtension();
    // The extension host's module cache: every module any extension required so far. Its package.json is
    // read for the version recorded in run.json; its code and native binding must not be loaded.
    const loaded = Object.keys(require.cache);
    const onnxruntime = loaded.filter(
      (path) => path.includes(`${sep}onnxruntime-`) && !path.endsWith(`${sep}package.json`),
    );
    assert.deepEqual(onnxruntime, [], 'onnxruntime loads in the training process, not in the editor');
    // jpeg-js, onnx-proto, pngjs and protobufjs (scripts/nodeBundles.mjs) load when an ONNX model, an image
    // or a TensorBoard event file is first read, not at activation.
    const firstUse = loaded.filter((path) =>
      path.startsWith(join(extension.extensionPath, 'dist', 'vendor')),
    );
    assert.deepEqual(firstUse, [], 'packages loaded on first use were loaded at activation');
    const { startup } = extension.exports as ModelLabExports;
    assert.ok(startup.loadMs >= 0 && startup.hostMs >= 0 && startup.activateMs >= 0, JSON.stringify(startup));
    reportFigure(
      this,
      `startup to ready: ${(startup.loadMs + startup.activateMs).toFixed(1)} ms ` +
        `(modules ${startup.loadMs.toFixed(1)} ms, activate() ${startup.activateMs.toFixed(1)} ms); ` +
        `the extension host's own work between them: ${startup.hostMs.toFixed(1)} ms`,
    );
    if (startup.cpu)
      reportFigure(
        this,
        `CPU time of the extension host thread: modules ${startup.cpu.loadMs.toFixed(1)} ms, ` +
          `activate() ${startup.cpu.activateMs.toFixed(1)} ms`,
      );
  });

  test('every contributed command is registered after activation', async () => {
    const extension = await activatedExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = contributedCommands(extension).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes commands');
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
      'commands shown in the palette but not registered (running them would fail)',
    );
  });

  test('every contributed command sits in the "Model Lab" category with a modelLab.* id', async () => {
    for (const command of contributedCommands(await activatedExtension())) {
      assert.equal(command.category, 'Model Lab', command.command);
      assert.match(command.command, /^modelLab\./);
    }
  });
});
