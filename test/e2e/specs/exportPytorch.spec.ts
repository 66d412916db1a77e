import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshot } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import { e2eSession, workbench } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');
const NAME = 'digits-export';

/** Waits for the folder input box (prefilled with `<experiment>-pytorch`), then answers it. */
async function answerFolder(page: Page, value: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.waitForFunction(
    (suffix) =>
      document
        .querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')
        ?.value.endsWith(suffix) === true,
    `${NAME}-pytorch`,
    { timeout: 15_000 },
  );
  await input.fill(value);
  await page.keyboard.press('Enter');
}

describe('Export to PyTorch from the palette', () => {
  before(() => {
    const template = readFileSync(join(repo, 'templates/cnn-digits/digits-cnn.experiment.json'), 'utf8');
    writeFileSync(
      join(e2eSession().workspace, `${NAME}.experiment.json`),
      JSON.stringify({ ...JSON.parse(template), name: NAME }, null, 2),
    );
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(await workbench(), `failed-${this.currentTest.title.slice(0, 40)}`);
  });

  it('writes the project for the open experiment and opens its README', async function () {
    this.timeout(120_000);
    const page = await workbench();
    await openFromExplorer(page, `${NAME}.experiment.json`);
    await runCommand(page, 'Model Lab: Export to PyTorch…');
    await answerFolder(page, `${NAME}-pytorch`);

    const toast = page.locator('.notification-toast', { hasText: 'PyTorch project written to' }).first();
    await toast.waitFor({ timeout: 60_000 });
    await waitForText(
      toast.locator('.notification-list-item-message'),
      /PyTorch project written to .*digits-export-pytorch\. Train with "python train\.py" or "torchrun --nproc_per_node N train\.py"\./,
    );
    const project = join(e2eSession().workspace, `${NAME}-pytorch`);
    for (const file of ['model.py', 'data.py', 'train.py', 'layers.py', 'runfolder.py', 'README.md'])
      assert.ok(existsSync(join(project, file)), file);
    assert.match(readFileSync(join(project, 'model.py'), 'utf8'), /class Model\(nn\.Module\)/);
    await screenshot(page, 'export-pytorch-written');
    await toast.getByRole('button', { name: 'Open README' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().waitFor({ timeout: 20_000 });
  });

  it('asks before writing into a non-empty folder and leaves it as it was when told no', async function () {
    this.timeout(120_000);
    const page = await workbench();
    const project = join(e2eSession().workspace, `${NAME}-pytorch`);
    const before = readdirSync(project).map((file) => [file, statSync(join(project, file)).mtimeMs]);
    await openFromExplorer(page, `${NAME}.experiment.json`);
    await runCommand(page, 'Model Lab: Export to PyTorch…');
    await answerFolder(page, `${NAME}-pytorch`);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(
      (await dialog.textContent()) ?? '',
      /digits-export-pytorch is not empty\. Overwrite the exported files/,
    );
    await screenshot(page, 'export-pytorch-non-empty');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    const after = readdirSync(project).map((file) => [file, statSync(join(project, file)).mtimeMs]);
    assert.deepEqual(after, before);
  });
});
