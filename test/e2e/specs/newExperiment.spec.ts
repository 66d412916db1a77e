import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshot, webviewFrame } from '../helpers/browser';
import { answerInputBox } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';

interface TemplateEntry {
  id: string;
  title: string;
  experimentFile: string;
}

const manifest = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'templates', 'manifest.json'), 'utf8'),
) as {
  templates: TemplateEntry[];
};

/** Moves keyboard focus out of any webview (a README preview) so F1 reaches the workbench. */
async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.part.sidebar .title').first().click();
}

/** Picks the row whose label is `title` in the open QuickPick. */
async function pickRow(page: Page, title: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

describe('New Experiment from the palette', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(await workbench(), `failed-${this.currentTest.title.slice(0, 40)}`);
  });

  for (const template of manifest.templates) {
    it(`scaffolds the ${template.id} template and opens it with its README`, async () => {
      const page = await workbench();
      const name = `e2e-${template.id}`;
      await focusWorkbench(page);
      await runCommand(page, 'Model Lab: New Experiment…');
      await pickRow(page, template.title);
      await answerInputBox(page, name);

      const tab = page.locator('.tabs-container .tab', { hasText: `${name}.experiment.json` });
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      await page
        .locator('.tabs-container .tab', { hasText: 'README.md' })
        .first()
        .waitFor({ timeout: 20_000 });
      const heading = readFileSync(
        join(__dirname, '..', '..', '..', 'templates', template.id, 'README.md'),
        'utf8',
      )
        .split('\n')[0]
        .replace(/^# /, '');
      await webviewFrame(page, 'vscode.markdown-language-features')
        .getByRole('heading', { name: heading })
        .waitFor({ timeout: 20_000 });

      const folder = join(e2eSession().workspace, name);
      const experiment = JSON.parse(readFileSync(join(folder, `${name}.experiment.json`), 'utf8')) as {
        name: string;
      };
      assert.equal(experiment.name, name);
      assert.ok(existsSync(join(folder, 'README.md')));
      await screenshot(page, `new-experiment-${template.id}`);
    });
  }

  it('asks before overwriting an existing experiment folder, and keeps it when told no', async () => {
    const page = await workbench();
    const [template] = manifest.templates;
    const name = `e2e-${template.id}`;
    const file = join(e2eSession().workspace, name, `${name}.experiment.json`);
    const before = readFileSync(file, 'utf8');
    await focusWorkbench(page);
    await runCommand(page, 'Model Lab: New Experiment…');
    await pickRow(page, template.title);
    await answerInputBox(page, name);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /already exists/);
    await screenshot(page, 'new-experiment-overwrite-prompt');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
