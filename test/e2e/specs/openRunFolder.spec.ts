import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventFile } from '../../fixtures/tfevents';
import { runCommand, screenshot } from '../helpers/browser';
import { waitForPoints } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';

/** Answers VS Code's own folder dialog (a quick input holding a path) with `folder`. */
async function openThroughDialog(page: Page, folder: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const opened = Date.now() + 15_000;
  while (!(await input.inputValue().catch(() => '')).startsWith('/')) {
    if (Date.now() > opened) throw new Error('no folder dialog opened');
    await page.waitForTimeout(200);
  }
  // The dialog completes what is typed asynchronously: Enter once the box holds `folder/` steadily.
  for (let steady = 0; steady < 2;) {
    if ((await input.inputValue()) === `${folder}/`) steady++;
    else {
      steady = 0;
      await input.fill(`${folder}/`);
    }
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Enter');
  // Enter on a folder path either accepts it or goes into it; then the dialog's OK button accepts.
  const widget = page.locator('.quick-input-widget');
  await page.waitForTimeout(1000);
  if (await widget.isVisible())
    await widget.locator('.monaco-button', { hasText: 'Open Run Folder' }).click({ timeout: 15_000 });
}

describe('Open Run Folder: runs from other tools', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(await workbench(), `failed-${this.currentTest.title.slice(0, 40)}`);
  });

  it('charts a folder of TensorBoard event files', async function () {
    this.timeout(120_000);
    const folder = join(e2eSession().workspace, 'elsewhere', 'tensorboard-run');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'events.out.tfevents.1764600000.host.1.0'), eventFile(12));
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Run Folder…');
    await openThroughDialog(page, folder);
    // 12 training losses and one validation loss.
    await waitForPoints(page, 13, 60_000);
    await screenshot(page, 'open-run-folder-tensorboard');
  });

  it("charts a Lightning CSVLogger's metrics.csv", async function () {
    this.timeout(120_000);
    const folder = join(e2eSession().workspace, 'elsewhere', 'lightning', 'version_0');
    mkdirSync(folder, { recursive: true });
    const rows = Array.from({ length: 10 }, (_, i) => `0,${(i + 1) * 10},${(1 / (i + 1)).toFixed(4)},`);
    writeFileSync(
      join(folder, 'metrics.csv'),
      ['epoch,step,train_loss,val_loss', ...rows, '0,100,,0.2', ''].join('\n'),
    );
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Run Folder…');
    await openThroughDialog(page, folder);
    await waitForPoints(page, 11, 60_000);
    await screenshot(page, 'open-run-folder-lightning');
  });
});
