import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshot } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { createRunFolder } from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');
const template = () =>
  JSON.parse(readFileSync(join(repo, 'templates/cnn-digits/digits-cnn.experiment.json'), 'utf8'));
/** The digits CNN's parameters, counted by hand: 32·9+32, 64·32·9+64, 256·128+128, 128·10+10. */
const CNN_PARAMS = '53,002';

describe('Model summary', () => {
  const file = 'summary-cnn.experiment.json';
  let page: Page;

  before(() => {
    writeFileSync(
      join(e2eSession().workspace, file),
      JSON.stringify({ ...template(), name: 'summary-cnn' }, null, 2),
    );
  });

  it('hovering "model" in the experiment shows each layer, the totals and the training memory', async () => {
    page = await workbench();
    await openFromExplorer(page, file);
    const lens = page.locator('.codelens-decoration a', { hasText: 'parameters' }).first();
    await waitForText(
      lens,
      new RegExp(
        `${CNN_PARAMS} parameters · 695 k FLOPs per example · about [\\d.]+ MB to train at batch 32`,
      ),
    );
    const modelKey = page.locator('.monaco-editor .view-line span', { hasText: /^"model"$/ }).first();
    await modelKey.hover();
    const hover = page.locator('.monaco-hover-content', { hasText: 'Model summary' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const rows = hover.locator('table tr');
    // The header and one row per layer of the template.
    assert.equal(await rows.count(), 9);
    await waitForText(rows.nth(3), /3\s*conv2d\s*\[64, 4, 4\]\s*18,496\s*590 k/);
    await waitForText(hover, new RegExp(`${CNN_PARAMS} parameters`));
    await screenshot(page, 'model-summary-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden' });
    // The CodeLens opens the same table.
    await lens.click();
    await page
      .locator('.monaco-hover-content', { hasText: 'Model summary' })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
  });

  it("the metrics panel's Model tab shows the run's model in dark, light and high contrast", async () => {
    const runId = '20261201-120000-summary';
    const runDir = createRunFolder(e2eSession().workspace, 'summary-cnn', runId, 'completed');
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    writeFileSync(
      join(runDir, 'run.json'),
      JSON.stringify({ ...info, config: { ...template(), name: 'summary-cnn' } }),
    );
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    const panel = await panelWith(page, '#tab-model');
    await panel.locator('#tab-model').click();
    await waitForText(panel.locator('[data-testid="total-params"]'), CNN_PARAMS);
    await waitForText(panel.locator('[data-testid="total-flops"]'), '695 k');
    const table = panel.locator('[data-testid="model-table"]');
    assert.equal(await table.locator('tbody tr').count(), 8);
    await waitForText(table.locator('tbody tr').nth(6), /dense\s*\[128\]\s*32,896/);
    assert.ok(
      !(await panel.locator('.toolbar').isVisible()),
      'the chart controls are hidden behind the Charts tab',
    );
    for (const [theme, name] of [
      ['Dark Modern', 'dark'],
      ['Light Modern', 'light'],
      ['Default High Contrast', 'high-contrast'],
    ] as const) {
      await setColorTheme(panel, theme);
      await screenshot(page, `model-tab-${name}`);
    }
    await setColorTheme(panel, 'Dark Modern');
    await panel.locator('#tab-charts').click();
    await panel.locator('.toolbar').waitFor({ state: 'visible' });
    assert.ok(!(await table.isVisible()));
  });
});
