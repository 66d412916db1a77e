import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseCsv } from '../../../webview/metrics/csv';
import { runCommand, screenshot, webviewFrame } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { appendMetrics, createRunFolder, jsonLines, trainingRecords, writeEval } from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

async function pointsShown(page: Page): Promise<number> {
  const value = await webviewFrame(page).locator('body').getAttribute('data-points');
  return Number(value ?? 0);
}

async function waitForPoints(page: Page, atLeast: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const points = await pointsShown(page).catch(() => 0);
    if (points >= atLeast) return points;
    if (Date.now() > deadline) throw new Error(`chart shows ${points} points, expected at least ${atLeast}`);
    await page.waitForTimeout(200);
  }
}

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
    // code-server's save dialog is a quick input for the path: type where the file goes.
    const saved = join(e2eSession().workspace, 'exported-metrics.csv');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    // Wait for the dialog itself (it opens holding a folder path), not a palette that is still closing.
    const opened = Date.now() + 15_000;
    while (!(await input.inputValue().catch(() => '')).startsWith('/') && Date.now() < opened) {
      await page.waitForTimeout(200);
    }
    await input.fill(saved);
    // The dialog lists the typed folder asynchronously; Enter counts once it has settled.
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 15_000;
    while (!existsSync(saved) && Date.now() < deadline) {
      await page.waitForTimeout(500);
      if (!existsSync(saved) && (await input.isVisible())) await page.keyboard.press('Enter');
    }
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

  it('opens the evaluation view with the confusion matrix, in dark and light themes', async () => {
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
    await (await panelWith(page, '#charts')).locator('.chart-card').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-dark');
    await setColorTheme(evaluation, 'Light Modern');
    await screenshot(page, 'evaluation-light');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    await waitForPoints(page, trainingRecords(0, 40).length);
    const metrics = await panelWith(page, '#charts');
    await metrics.waitForSelector('body.vscode-light');
    await screenshot(page, 'metrics-light');
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

  it('overlays two runs of an experiment with a legend naming each run', async () => {
    const otherId = '20261129-021400-earlier';
    const other = createRunFolder(e2eSession().workspace, experiment, otherId, 'completed');
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
    const expected = trainingRecords(0, 45).length + trainingRecords(0, 30).length;
    assert.equal(await waitForPoints(page, expected), expected);
    const legend = await compare.locator('.chart-card[data-family="loss"] .series-toggle').allTextContents();
    assert.deepEqual(legend.map((l) => l.split(' · ')[0]).sort(), [
      `${experiment} / ${otherId}`,
      `${experiment} / ${otherId}`,
      `${experiment} / ${runId}`,
      `${experiment} / ${runId}`,
    ]);
    await screenshot(page, 'metrics-compare');
  });
});
