import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { MetricRecord } from '../../../src/contract/metricRecord';
import { parseCsv } from '../../../webview/metrics/csv';
import { extensionId, runCommand, screenshot, webviewFrame } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import {
  panelWith,
  pickQuickItem,
  saveThroughDialog,
  seriesColoursByRun,
  setColorTheme,
  waitForPoints,
} from '../helpers/panels';
import { appendMetrics, createRunFolder, jsonLines, trainingRecords, writeEval } from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute, waitForText } from '../helpers/waitFor';

describe('Metrics and evaluation panels', () => {
  const experiment = 'digits-fixture';
  const runId = '20261129-021500-live';
  let runDir: string;
  let page: Page;

  before(() => {
    runDir = createRunFolder(e2eSession().workspace, experiment, runId, 'running');
    appendMetrics(runDir, jsonLines(trainingRecords(0, 20)));
  });

  it('charts a live run and grows while metrics.jsonl is appended, torn lines included', async () => {
    page = await workbench();
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    const panel = webviewFrame(page);
    await setColorTheme(await panelWith(page, '#charts'), 'Dark Modern');
    const first = trainingRecords(0, 20).length;
    assert.equal(await waitForPoints(page, first), first);
    // (Its status may read 'interrupted': the window marks runs it did not start and sees no process for.)
    await waitForText(panel.locator('#runs'), new RegExp(`${experiment} / ${runId}`));
    for (const family of ['loss', 'accuracy', 'lr']) {
      await panel.locator(`.chart-card[data-family="${family}"] canvas`).waitFor();
    }
    // The trainer appends while the panel is open; a half-written line must wait for its newline.
    const more = jsonLines(trainingRecords(20, 40));
    const cut = more.length - 25;
    appendMetrics(runDir, more.slice(0, cut));
    const midway = await waitForPoints(page, first + 1);
    assert.ok(midway < trainingRecords(0, 40).length, 'the torn last line is not shown yet');
    appendMetrics(runDir, more.slice(cut));
    assert.equal(await waitForPoints(page, trainingRecords(0, 40).length), trainingRecords(0, 40).length);
  });

  it('toggles smoothing and log scale, and the charts redraw with them', async () => {
    const panel = webviewFrame(page);
    const loss = panel.locator('.chart-card[data-family="loss"]');
    assert.equal(await loss.getAttribute('data-smoothed'), 'true');
    await panel.locator('#smoothing').fill('0');
    await waitForText(panel.locator('#smoothing-value'), '0.00');
    assert.equal(await loss.getAttribute('data-smoothed'), 'false');
    await panel.locator('#smoothing').fill('0.8');
    assert.equal(await loss.getAttribute('data-smoothed'), 'true');
    assert.equal(await loss.getAttribute('data-y-scale'), 'linear');
    await panel.locator('#log-scale').click();
    assert.equal(await loss.getAttribute('data-y-scale'), 'logarithmic');
  });

  it('exports a CSV whose rows are the records of metrics.jsonl', async () => {
    const panel = webviewFrame(page);
    await panel.locator('#smoothing').fill('0');
    await panel.locator('#export-csv').click();
    const saved = join(e2eSession().workspace, 'exported-metrics.csv');
    await saveThroughDialog(page, saved);
    const rows = parseCsv(readFileSync(saved, 'utf8'));
    assert.deepEqual(rows[0], ['run', 'step', 'epoch', 'time', 'split', 'name', 'value']);
    const fromCsv = rows
      .slice(1)
      .map(([, step, epoch, time, split, name, value]) =>
        JSON.stringify({ step: +step, epoch: +epoch, time: +time, split, name, value: +value }),
      )
      .sort();
    const fromJsonl = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.stringify(JSON.parse(line)))
      .sort();
    assert.deepEqual(fromCsv, fromJsonl);
  });

  it('switches the x axis to epoch and wall time, zooms and pans, and resets the zoom', async () => {
    const panel = webviewFrame(page);
    const loss = panel.locator('.chart-card[data-family="loss"]');
    const range = async () => {
      const [min, max] = ((await loss.getAttribute('data-x-range')) ?? '').split(' ').map(Number);
      return { min, max };
    };
    const pick = async (label: string, kind: string) => {
      // The dropdown's entries live in the select's shadow DOM, as role=option.
      await panel.locator('#x-axis').click();
      await panel.locator('#x-axis').getByRole('option', { name: label, exact: true }).click();
      await waitForAttribute(loss, 'data-x-axis', kind);
    };
    // 40 steps, 20 per epoch, a quarter second apart (see trainingRecords).
    assert.equal(await loss.getAttribute('data-x-axis'), 'step');
    assert.ok((await range()).max >= 39, `step axis reaches step 39: ${JSON.stringify(await range())}`);
    await pick('Epoch', 'epoch');
    const epochs = await range();
    assert.ok(
      epochs.max >= 1.95 && epochs.max <= 2.5,
      `epoch axis ends near epoch 2: ${JSON.stringify(epochs)}`,
    );
    await pick('Wall time', 'time');
    const seconds = await range();
    assert.ok(
      seconds.max >= 9.75 && seconds.max <= 12,
      `time axis ends near 9.75 s: ${JSON.stringify(seconds)}`,
    );
    await pick('Step', 'step');
    const full = await range();

    // Wheel over the plot zooms in around the pointer; Reset zoom brings back the whole run.
    const canvas = loss.locator('canvas');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await waitForAttribute(loss, 'data-zoomed', 'true');
    const zoomed = await range();
    assert.ok(zoomed.max - zoomed.min < full.max - full.min, 'zoomed in on a narrower range');
    await panel.locator('#reset-zoom').click();
    await waitForAttribute(loss, 'data-zoomed', 'false');
    assert.deepEqual(await range(), full);

    // The keyboard does the same: + zooms, arrow keys pan, 0 resets.
    await canvas.focus();
    await page.keyboard.press('+');
    await waitForAttribute(loss, 'data-zoomed', 'true');
    const before = await range();
    await page.keyboard.press('ArrowRight');
    const panned = await range();
    assert.ok(panned.min > before.min, `ArrowRight pans towards later steps: ${before.min} → ${panned.min}`);
    await page.keyboard.press('0');
    await waitForAttribute(loss, 'data-zoomed', 'false');
    assert.deepEqual(await range(), full);
  });

  it('exports a chart as a PNG image of what it shows', async () => {
    const panel = webviewFrame(page);
    await panel.locator('.chart-card[data-family="loss"] header vscode-button').click();
    const saved = join(e2eSession().workspace, 'exported-loss.png');
    await saveThroughDialog(page, saved);
    const image = PNG.sync.read(readFileSync(saved));
    const canvas = (await panel.locator('.chart-card[data-family="loss"] canvas').boundingBox())!;
    // The canvas backing store is its CSS size times the device pixel ratio (1 in the test browser).
    assert.equal(image.width, Math.round(canvas.width));
    assert.equal(image.height, Math.round(canvas.height));
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) colours.add(image.data.readUInt32BE(i));
    assert.ok(colours.size > 10, `a chart, not a blank image: ${colours.size} colours`);
    const corner = image.data.readUInt32BE(0) & 0xff;
    assert.equal(corner, 0xff, 'opaque background, readable outside the editor');
  });

  it('opens the evaluation view with the confusion matrix, in dark, light and high contrast themes', async () => {
    await (await panelWith(page, '#charts')).locator('.chart-card').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-dark');
    const labels = ['0', '1', '2', '3', '4'];
    const report = writeEval(runDir, labels);
    await webviewFrame(page).locator('#open-evaluation').click();
    const evaluation = await panelWith(page, '#evaluation');
    await waitForText(evaluation.locator('#stat-accuracy .value'), `${(report.accuracy! * 100).toFixed(2)}%`);
    assert.equal(await evaluation.locator('#confusion .cell').count(), labels.length ** 2);
    assert.equal(await evaluation.locator('#classes tbody tr').count(), labels.length);
    const hover = await evaluation.locator('#confusion .cell').nth(1).getAttribute('title');
    assert.match(hover ?? '', /^true 0 → predicted 1: \d+/);
    await screenshot(page, 'evaluation-dark');
    await setColorTheme(evaluation, 'Light Modern');
    await screenshot(page, 'evaluation-light');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    await waitForPoints(page, trainingRecords(0, 40).length);
    const metrics = await panelWith(page, '#charts');
    await metrics.waitForSelector('body.vscode-light');
    await screenshot(page, 'metrics-light');
    await setColorTheme(metrics, 'Default High Contrast');
    await waitForAttribute(metrics.locator('.chart-card[data-family="loss"]'), 'data-theme', 'high-contrast');
    await screenshot(page, 'metrics-high-contrast');
    await setColorTheme(metrics, 'Dark Modern');
  });

  it('comes back after a window reload with its runs and settings, still following the run', async () => {
    const metrics = await panelWith(page, '#charts');
    await metrics.locator('#smoothing').fill('0.3');
    await metrics.locator('#log-scale').click();
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The serializer restores the panel from the state its webview saved. The restored
    // webview may load its document more than once: read it through a frame locator,
    // which follows the live document, not a Frame handle that can go stale.
    const restored = webviewFrame(page);
    const all = trainingRecords(0, 40).length;
    assert.equal(await waitForPoints(page, all), all);
    await waitForText(restored.locator('#smoothing-value'), '0.30');
    assert.equal(
      await restored.locator('.chart-card[data-family="loss"]').getAttribute('data-y-scale'),
      'logarithmic',
    );
    appendMetrics(runDir, jsonLines(trainingRecords(40, 45)));
    assert.equal(await waitForPoints(page, trainingRecords(0, 45).length), trainingRecords(0, 45).length);
  });

  it('catches up after being hidden: records written meanwhile show when it comes back', async () => {
    const tab = page.locator('.tabs-container .tab', { hasText: 'Metrics:' }).first();
    await tab.click();
    // README opens in the panel's editor group, on top of it: the webview document is dropped.
    await openFromExplorer(page, 'README.md');
    await page
      .locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`)
      .waitFor({ state: 'detached', timeout: 30_000 });
    // Whether the host reads these while the document is gone (its posts then reach nothing) or
    // once it is back, the new document's `ready` starts the feed over from the first line; the
    // race with a read in flight is runFeed.test.ts's. No sleep: the points below are the state.
    appendMetrics(runDir, jsonLines(trainingRecords(45, 50)));
    await tab.click();
    const all = trainingRecords(0, 50).length;
    assert.equal(await waitForPoints(page, all), all);
  });

  it('overlays two runs: one colour per run in every chart, legends named by the setting that differs, buttons for each run', async () => {
    const otherId = '20261129-021400-earlier';
    // The other run differs in one setting: its legend chips say so instead of repeating long run names.
    const other = createRunFolder(e2eSession().workspace, experiment, otherId, 'completed', [
      { type: 'dense', units: 5 },
    ]);
    appendMetrics(other, jsonLines(trainingRecords(0, 30)));
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Model Lab: Compare Runs…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(experiment);
    // A multi-select pick: clicking a row ticks it.
    for (const id of [otherId, runId])
      await page.locator('.quick-input-list .monaco-list-row', { hasText: id }).click();
    await page.keyboard.press('Enter');
    const compare = await panelWith(page, '#charts');
    await waitForText(compare.locator('#runs'), new RegExp(`${otherId}.*${runId}|${runId}.*${otherId}`, 's'));
    assert.equal(await compare.locator('#runs .run').count(), 2);
    const expected = trainingRecords(0, 50).length + trainingRecords(0, 30).length;
    assert.equal(await waitForPoints(page, expected), expected);
    assert.deepEqual((await compare.locator('#runs .run-short').allTextContents()).sort(), [
      'units=3',
      'units=5',
    ]);
    // Each run has one colour, the same in every chart; the two runs' colours differ.
    const byRun = await seriesColoursByRun(compare);
    assert.deepEqual([...byRun.keys()].sort(), ['units=3', 'units=5']);
    for (const [run, set] of byRun)
      assert.equal(set.size, 1, `${run} has one colour in every chart: ${[...set]}`);
    const [first, second] = [...byRun.values()].map((set) => [...set][0]);
    assert.notEqual(first, second);
    // Each compared run has Remove, and the panels its run folder supports: Evaluation where it has
    // eval.json (the live run got one above), never Attention for these dense models.
    const rows = await compare.locator('#runs .run').all();
    const offered = await Promise.all(
      rows.map(async (row) => (await row.locator('vscode-button').allTextContents()).map((b) => b.trim())),
    );
    for (const buttons of offered) {
      assert.ok(buttons.includes('Remove'), `Remove for every run: ${buttons}`);
      assert.ok(
        !buttons.includes('Attention'),
        `no Attention for a model without attention layers: ${buttons}`,
      );
    }
    assert.ok(
      offered.some((buttons) => buttons.includes('Evaluation')),
      'Evaluation for the run with eval.json',
    );
    await screenshot(page, 'metrics-compare');
    // Removing the first run leaves the other, alone, as a single-run panel.
    const [removed, kept] = await compare
      .locator('#runs .run')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-run')!));
    await compare.locator('#remove-0').click();
    await compare.locator(`#runs .run[data-run="${removed}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(
      await compare
        .locator('#runs .run')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-run'))),
      [kept],
    );
    assert.equal(await compare.locator('#runs vscode-button', { hasText: 'Remove' }).count(), 0);
  });

  it('charts a regression run: validation MAE and RMSE together, R² on its own', async () => {
    const regressionId = '20261129-050100-waves';
    const regressionRun = createRunFolder(
      e2eSession().workspace,
      'waves-fixture',
      regressionId,
      'completed',
      [
        { type: 'lstm', units: 8 },
        { type: 'dense', units: 1 },
      ],
    );
    const records: MetricRecord[] = [];
    for (let step = 0; step < 200; step++) {
      const base = { step, epoch: Math.floor(step / 50), time: step * 0.1 };
      records.push({ ...base, split: 'train', name: 'loss', value: 1 / (1 + step / 20) });
      if (step % 20 === 19) {
        const fit = 1 - Math.exp(-step / 60);
        records.push({ ...base, split: 'validation', name: 'mae', value: 0.5 * (1 - fit) + 0.03 });
        records.push({ ...base, split: 'validation', name: 'rmse', value: 0.6 * (1 - fit) + 0.04 });
        records.push({ ...base, split: 'validation', name: 'r2', value: fit });
      }
    }
    appendMetrics(regressionRun, jsonLines(records));
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, regressionId);
    await waitForPoints(page, records.length);
    const metrics = await panelWith(page, '#charts');
    // Metric-family cards only: the training-dynamics section keeps its own (hidden) cards.
    const families = await metrics
      .locator('.chart-card[data-family]')
      .evaluateAll((cards) =>
        cards.map(
          (card) => `${(card as HTMLElement).dataset.family}: ${card.querySelector('h2')?.textContent}`,
        ),
      );
    assert.deepEqual(families, ['loss: Loss', 'error: Error (MAE / RMSE)', 'r2: R²']);
    const legend = await metrics.locator('.chart-card[data-family="error"] .series-toggle').allTextContents();
    assert.deepEqual(legend.sort(), ['validation/mae', 'validation/rmse']);
    await screenshot(page, 'metrics-regression');
  });
});
