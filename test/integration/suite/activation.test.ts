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
    // onnx-proto, protobufjs and the tokenizers (scripts/nodeBundles.mjs) load when an ONNX model, a
    // TensorBoard event file or a tokenizer is first read, not at activation; the ONNX importer and the
    // PyTorch export, Model Lab's own parts loaded on first use, neither.
    const dist = join(extension.extensionPath, 'dist');
    const firstUse = loaded.filter(
      (path) =>
        path.startsWith(join(dist, 'vendor')) ||
        path === join(dist, 'onnx-importer.js') ||
        path === join(dist, 'pytorch-export.js'),
    );
    assert.deepEqual(firstUse, [], 'packages and parts loaded on first use were loaded at activation');
    // The entry timed the loading of the rest of the extension: it is loaded, as one bundle.
    assert.ok(loaded.includes(join(dist, 'extension-main.js')), 'dist/extension-main.js is not loaded');
    const { startup } = extension.exports as ModelLabExports;
    assert.ok(startup.loadMs >= 0 && startup.hostMs >= 0 && startup.activateMs >= 0, JSON.stringify(startup));
    reportFigure(
      this,
      `startup to ready: ${(startup.loadMs + startup.activateMs).toFixed(1)} ms ` +
        `(loading the code ${startup.loadMs.toFixed(1)} ms, activate() ${startup.activateMs.toFixed(1)} ms); ` +
        `the extension host's own work between them: ${startup.hostMs.toFixed(1)} ms; ` +
        `code cache: ${startup.codeCache}`,
    );
    if (startup.cpu)
      reportFigure(
        this,
        `CPU time of the extension host thread: loading ${startup.cpu.loadMs.toFixed(1)} ms, ` +
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
