import { strict as assert } from 'node:assert';
import { copyFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { manageTrustAction, untrustedMessage } from '../../../src/extension/runs/trustGate';
import { runCommand, screenshot, webviewFrame, workbenchUrl } from '../helpers/browser';
import { type CodeServer, startCodeServer } from '../helpers/codeServer';
import { pickQuickItem } from '../helpers/panels';
import { appendMetrics, createRunFolder, jsonLines, trainingRecords } from '../helpers/runFolders';
import { createScratch, type Scratch } from '../helpers/scratch';
import { e2eSession } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');

/** The Model Lab commands the palette offers, once the extension's contributions are in. */
async function paletteModelLabCommands(page: Page): Promise<string[]> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const deadline = Date.now() + 45_000;
  for (;;) {
    await page.keyboard.press('F1');
    await input.fill('>Model Lab: ');
    const shown = await rows
      .filter({ hasText: 'Model Lab: Open Metrics' })
      .waitFor({ timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    const titles = shown ? await rows.allInnerTexts() : [];
    await page.keyboard.press('Escape');
    if (shown) return titles.map((title) => title.split('\n')[0].trim());
    if (Date.now() > deadline) throw new Error('Model Lab commands never appeared in the palette');
  }
}

// Both shared test servers run with --disable-workspace-trust; this spec starts its
// own server with workspace trust on, so the folder opens in Restricted Mode.
describe('Untrusted workspace', () => {
  const experiment = 'wine-mlp';
  const finishedRun = '20261129-030000-done';
  let scratch: Scratch;
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let workspace: string;

  before(async () => {
    scratch = createScratch('e2e-untrusted');
    workspace = scratch.copyWorkspace(join(repo, 'test', 'fixtures', 'workspace'));
    for (const name of ['wine-mlp.experiment.json', 'wine.csv'])
      copyFileSync(join(repo, 'templates', 'mlp-wine', name), join(workspace, name));
    const runDir = createRunFolder(workspace, experiment, finishedRun, 'completed');
    appendMetrics(runDir, jsonLines(trainingRecords(0, 20)));
    server = await startCodeServer({
      scratch,
      workspace,
      workspaceTrust: true,
      // The extension the shared server's scratch installed from the .vsix.
      extensionsDir: dirname(e2eSession().installedExtensionDir),
    });
    page = await e2eSession().browser.newPage();
    await page.goto(workbenchUrl(server.url, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await page?.close().catch(() => undefined);
    await server?.stop();
    scratch?.remove();
  });

  it('refuses to train: Train is not in the palette, the Train CodeLens explains why, and no run folder appears', async function () {
    this.timeout(90_000);
    const shown = page!;
    // code-server 4.139 asks nothing: an unknown folder opens straight in Restricted Mode.
    await shown.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    const commands = await paletteModelLabCommands(shown);
    assert.ok(commands.includes('Model Lab: Open Metrics'), commands.join(', '));
    // The manifest's `enablement: isWorkspaceTrusted` hides Train and Resume from the palette.
    assert.ok(!commands.includes('Model Lab: Train'), commands.join(', '));
    assert.ok(!commands.includes('Model Lab: Resume Training'), commands.join(', '));

    await shown.keyboard.press('Control+P');
    await pickQuickItem(shown, 'wine-mlp.experiment.json');
    // A CodeLens runs its command regardless of enablement: the trust gate answers.
    const train = shown.locator('.codelens-decoration a', { hasText: 'Train' }).first();
    await train.waitFor({ timeout: 30_000 });
    await train.click();
    const toast = shown.locator('.notifications-toasts .notification-toast', {
      hasText: 'trusted workspaces',
    });
    await waitForText(toast.locator('.notification-list-item-message'), untrustedMessage());
    // A trial click waits until the toast has finished sliding in.
    await toast.locator('.monaco-button', { hasText: manageTrustAction() }).click({ trial: true });
    await screenshot(shown, 'untrusted-train-refused');
    // Only the finished run is there: the refusal came before any run folder.
    assert.deepEqual(readdirSync(join(workspace, '.modellab', 'runs')), [experiment]);
    assert.deepEqual(readdirSync(join(workspace, '.modellab', 'runs', experiment)), [finishedRun]);
  });

  it('still shows a finished run: listed in the Runs view, whose row opens its charts', async function () {
    this.timeout(60_000);
    const shown = page!;
    await runCommand(shown, 'Model Lab: Focus on Runs View');
    const row = shown.locator('.monaco-list-row', { hasText: finishedRun }).first();
    await waitForText(row.locator('.label-description'), /^completed/);
    await row.click();
    const panel = webviewFrame(shown);
    await waitForText(panel.locator('#runs'), new RegExp(`${experiment} / ${finishedRun}`));
    const records = trainingRecords(0, 20).length;
    await panel.locator(`body[data-points="${records}"]`).waitFor();
    await screenshot(shown, 'untrusted-finished-run');
  });
});
