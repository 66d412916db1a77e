import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Frame } from 'playwright-core';
import { RunWriter } from '../../../src/runs/runWriter';
import { experimentFixture, metric, runInfoFixture } from '../../fixtures/runInfo';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, setColorTheme } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute, waitForText, waitUntil } from '../helpers/waitFor';

/** The spec's own experiment, so runs other specs leave in the workspace do not count. */
const EXPERIMENT = 'table-spec';

/** A finished run of `experiment` trained with `learningRate`, ending at `accuracy` on validation. */
function finishedRun(
  id: number,
  learningRate: number,
  accuracy: number,
  status: 'completed' | 'failed',
  experiment = EXPERIMENT,
): string {
  const base = experimentFixture({ name: experiment });
  const config = {
    ...base,
    training: { ...base.training, optimizer: { type: 'adam' as const, learningRate } },
  };
  const writer = RunWriter.create({
    runsDir: join(e2eSession().workspace, '.modellab', 'runs'),
    info: runInfoFixture({ experiment, config }),
    now: new Date(Date.UTC(2026, 11, 1, 9, id)),
  });
  writer.appendMetrics([
    metric(1, 'loss', 1 - accuracy),
    { ...metric(1, 'accuracy', accuracy), split: 'validation' },
  ]);
  writer.updateInfo({ status, endedAt: new Date(Date.UTC(2026, 11, 1, 9, id, 30)).toISOString() });
  return writer.dir;
}

const names = (table: Frame): Promise<string[]> => table.getByTestId('run-name').allTextContents();

/** Waits until the table lists exactly `expected` names, in order; on timeout says what it listed. */
async function waitForNames(table: Frame, expected: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const seen = await names(table);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    if (Date.now() > deadline)
      throw new Error(`expected rows ${expected.join(', ')}; the table lists ${seen.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Runs table', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(await workbench(), `failed-${this.currentTest.title.slice(0, 40)}`);
  });

  it('lists runs with their differing setting and scores; sorts, filters, renames, diffs configs, updates live', async function () {
    this.timeout(180_000);
    const slow = finishedRun(1, 0.001, 0.71, 'completed');
    finishedRun(2, 0.01, 0.93, 'completed');
    finishedRun(3, 0.3, 0.4, 'failed');
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Runs Table');
    const table = await panelWith(page, '[data-testid="runs-table"]');
    await setColorTheme(table, 'Dark Modern');

    // Only this spec's runs: the filter matches the experiment name.
    await table.locator('[data-testid="runs-query"] input').fill(EXPERIMENT);
    await waitForText(table.getByTestId('runs-count'), /^3 of \d+ runs$/);
    // The learning rate differs between the shown runs, so it has a column; the batch size does not.
    assert.equal(
      await table.getByTestId('column-setting:training.optimizer.learningRate').textContent(),
      'learningRate',
    );
    assert.equal(await table.getByTestId('column-setting:training.batchSize').count(), 0);

    // Sort by final validation accuracy: best first, then the other way round.
    const accuracy = table.getByTestId('column-final:validation/accuracy');
    await accuracy.click();
    await waitForText(accuracy, 'validation/accuracy ▼');
    await waitForNames(table, ['20261201-090200', '20261201-090100', '20261201-090300']);
    await screenshot(page, 'runs-table-sorted');
    // A start in this year reads without the year, which the hover text keeps.
    const start = table.getByTestId('run-start').first();
    const [startText, startTitle] = [await start.textContent(), await start.getAttribute('title')];
    assert.match(startTitle ?? '', /^[A-Z][a-z]{2} \d{1,2}, 2026, \d\d:\d\d$/);
    assert.equal(
      startText,
      new Date().getFullYear() === 2026 ? startTitle?.replace(', 2026', '') : startTitle,
    );
    await accuracy.click();
    await waitForText(accuracy, 'validation/accuracy ▲');
    await waitForNames(table, ['20261201-090300', '20261201-090100', '20261201-090200']);

    // The status filter.
    await table.getByTestId('status-failed').click();
    await waitForText(table.getByTestId('runs-count'), /^1 of \d+ runs$/);
    await waitForNames(table, ['20261201-090300']);
    await table.getByTestId('status-failed').click();
    await waitForText(table.getByTestId('runs-count'), /^3 of \d+ runs$/);

    // Rename the slow run: saved in its run.json, everything else kept.
    await table.getByTestId('run-name').filter({ hasText: '20261201-090100' }).click();
    await waitForText(table.getByTestId('details-heading'), /^20261201-090100 · table-spec/);
    await table.locator('[data-testid="edit-name"] input').fill('slow baseline');
    await table.locator('[data-testid="edit-tags"] input').fill('baseline, keep');
    await table.getByTestId('save-annotations').click();
    await waitForNames(table, ['20261201-090300', 'slow baseline', '20261201-090200']);
    const info = JSON.parse(readFileSync(join(slow, 'run.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(info.name, 'slow baseline');
    assert.deepEqual(info.tags, ['baseline', 'keep']);
    assert.equal(
      (info.config as { training: { optimizer: { learningRate: number } } }).training.optimizer.learningRate,
      0.001,
    );
    assert.equal(info.status, 'completed');
    // Tags are searchable.
    await table.locator('[data-testid="runs-query"] input').fill(`${EXPERIMENT} keep`);
    await waitForText(table.getByTestId('runs-count'), /^1 of \d+ runs$/);
    await table.locator('[data-testid="runs-query"] input').fill(EXPERIMENT);
    await waitForText(table.getByTestId('runs-count'), /^3 of \d+ runs$/);

    // A run that appears while the table is open shows up without a refresh.
    finishedRun(4, 0.05, 0.88, 'completed');
    await waitForText(table.getByTestId('runs-count'), /^4 of \d+ runs$/);
    // Parallel coordinates of every shown run: the learning rate axis, then the metric.
    const canvas = table.getByTestId('parallel-canvas');
    await waitForAttribute(canvas, 'data-lines', '4');
    assert.equal(
      await canvas.getAttribute('data-axes'),
      'setting:training.optimizer.learningRate final:validation/accuracy',
    );
    await screenshot(page, 'runs-table-dark');

    // Two rows selected: the config diff opens in VS Code's diff editor.
    const rows = table.getByTestId('run-row');
    await rows.filter({ hasText: 'slow baseline' }).locator('input[type="checkbox"]').check();
    await rows.filter({ hasText: '20261201-090200' }).locator('input[type="checkbox"]').check();
    await waitForText(table.getByTestId('selection-count'), '2 selected');
    // With two runs ticked, the chart shows those two.
    await waitForAttribute(canvas, 'data-lines', '2');
    await table.getByTestId('diff-configs').click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'Config: slow baseline ↔ 20261201-090200' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const diff = page.locator('.monaco-diff-editor');
    await diff.waitFor({ state: 'visible' });
    await waitForText(diff.locator('.modified-in-monaco-diff-editor .line-insert').first(), /./).catch(
      () => undefined,
    );
    // Monaco renders spaces as no-break spaces.
    const text = ((await diff.textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(text, /"learningRate": 0\.001/);
    assert.match(text, /"learningRate": 0\.01/);
    await screenshot(page, 'runs-table-config-diff');

    // Light theme: the table reads in it too.
    await page.locator('.tabs-container .tab', { hasText: 'Runs Table' }).click();
    const again = await panelWith(page, '[data-testid="runs-table"]');
    await setColorTheme(again, 'Light Modern');
    await screenshot(page, 'runs-table-light');
    await setColorTheme(again, 'Dark Modern');
  });

  it('keeps the chosen columns when reopened; reveals a run in the Explorer; deletes only once confirmed; reads in high contrast', async function () {
    this.timeout(180_000);
    const experiment = 'table-actions';
    const dirs = [
      finishedRun(11, 0.001, 0.6, 'completed', experiment),
      finishedRun(12, 0.01, 0.8, 'completed', experiment),
      finishedRun(13, 0.1, 0.7, 'completed', experiment),
    ];
    const [revealed, kept, deleted] = dirs.map((dir) => basename(dir));
    const page = await workbench();
    await runCommand(page, 'View: Close All Editors');
    const openTable = async (): Promise<Frame> => {
      await runCommand(page, 'Model Lab: Open Runs Table');
      const table = await panelWith(page, '[data-testid="runs-table"]');
      await table.locator('[data-testid="runs-query"] input').fill(experiment);
      await waitForText(table.getByTestId('runs-count'), /^3 of \d+ runs$/);
      return table;
    };
    let table = await openTable();

    // The column chooser: hide Device, add the batch size (the same in every run, so not shown by default).
    await table.getByTestId('choose-columns').click();
    await table.getByTestId('choose-device').locator('input').uncheck();
    await table.getByTestId('column-device').waitFor({ state: 'detached' });
    await table.getByTestId('choose-setting:training.batchSize').locator('input').check();
    await waitForText(table.getByTestId('column-setting:training.batchSize'), 'batchSize');
    await screenshot(page, 'runs-table-columns');
    // Closed and opened again, the table comes back with those columns.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab', { hasText: 'Runs Table' }).waitFor({ state: 'detached' });
    table = await openTable();
    await waitForText(table.getByTestId('column-setting:training.batchSize'), 'batchSize');
    assert.equal(await table.getByTestId('column-device').count(), 0);
    assert.equal(
      await table.getByTestId('column-setting:training.optimizer.learningRate').textContent(),
      'learningRate',
    );

    // Reveal Folder: the run's folder is selected in the Explorer.
    await table.getByTestId('run-name').filter({ hasText: revealed }).click();
    await waitForText(table.getByTestId('details-heading'), new RegExp(`^${revealed} · ${experiment}`));
    await table.getByTestId('reveal-run').click();
    await page
      .locator('.explorer-folders-view .monaco-list-row.selected', { hasText: revealed })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'runs-table-revealed');

    // Delete asks first: cancelled, the folder and its row stay.
    await table.getByTestId('run-name').filter({ hasText: deleted }).click();
    await waitForText(table.getByTestId('details-heading'), new RegExp(`^${deleted} · ${experiment}`));
    await table.getByTestId('delete-run').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Delete run ${deleted}\\?`));
    await screenshot(page, 'runs-table-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.ok(existsSync(dirs[2]), 'a cancelled delete keeps the folder');
    await waitForText(table.getByTestId('runs-count'), /^3 of \d+ runs$/);
    // Confirmed: the folder goes, and its row with it.
    await table.getByTestId('delete-run').click();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await waitUntil('the deleted run folder to go', () => (existsSync(dirs[2]) ? undefined : true));
    await waitForText(table.getByTestId('runs-count'), /^2 of \d+ runs$/);
    assert.deepEqual((await names(table)).sort(), [kept, revealed].sort());
    assert.ok(existsSync(dirs[0]) && existsSync(dirs[1]), 'the other runs stay');

    // High contrast: borders and text from the theme.
    await setColorTheme(table, 'Default High Contrast');
    await screenshot(page, 'runs-table-high-contrast');
    await setColorTheme(table, 'Dark Modern');

    // Back to the default columns, for the specs that open the table after this one.
    await table.getByTestId('choose-columns').click();
    await table.getByTestId('choose-device').locator('input').check();
    await table.getByTestId('choose-setting:training.batchSize').locator('input').uncheck();
    await table.getByTestId('column-setting:training.batchSize').waitFor({ state: 'detached' });
    await table.getByTestId('column-device').waitFor();
  });
});
