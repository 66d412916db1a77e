import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activatedExtension, contributedCommands } from './extensionUnderTest';

suite('Activation', () => {
  test('Model Lab activates in the real extension host', async () => {
    const extension = await activatedExtension();
    assert.equal(extension.isActive, true);
    assert.equal((extension.packageJSON as { displayName: string }).displayName, 'Model Lab');
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
