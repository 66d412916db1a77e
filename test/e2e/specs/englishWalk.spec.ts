// The English walk through Model Lab's UI, as a new user takes it: the template picker,
// a finished Transformer run's metrics, evaluation and attention panels, in dark, light and
// high contrast, at a comfortable and a narrow width. Each step checks one rough edge
// found in such a walk (issue "简体中文 and polish", polish list).
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { MetricRecord } from '../../../src/contract/metricRecord';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import {
  appendMetrics,
  createRunFolder,
  jsonLines,
  trainingRecords,
  writeAttentionSnapshot,
  writeEval,
} from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute, waitForText, waitUntil } from '../helpers/waitFor';

const experiment = 'walk-transformer';
const runId = '20261201-120000-walk';
const mlpRunId = '20261201-120500-walk-mlp';
const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Editor groups that hold at least one editor. */
async function editorGroups(page: Page): Promise<number> {
  return page.locator('.editor-group-container:has(.tab)').count();
}

/** Pixels of an element's screenshot that stand out from the page background (colour distance > 120). */
async function visiblePixels(element: Locator, background: [number, number, number]): Promise<number> {
  const png = PNG.sync.read(await element.screenshot());
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const distance =
      Math.abs(png.data[i] - background[0]) +
      Math.abs(png.data[i + 1] - background[1]) +
      Math.abs(png.data[i + 2] - background[2]);
    if (distance > 120) count++;
  }
  return count;
}

describe('English UI walk', () => {
  let page: Page;
  let metrics: Frame;

  before(() => {
    const workspace = e2eSession().workspace;
    const runDir = createRunFolder(workspace, experiment, runId, 'completed', [
      { type: 'embedding', dim: 16, vocabSize: 40 },
      { type: 'transformer', heads: 2, causal: true },
    ]);
    // 60 steps a quarter second apart (15 s of wall time), validation every 10, and one test point.
    const test: MetricRecord = { step: 59, epoch: 2, time: 15, split: 'test', name: 'accuracy', value: 0.93 };
    appendMetrics(runDir, jsonLines([...trainingRecords(0, 60), test]));
    writeEval(runDir, digits);
    for (const step of [20, 40, 60]) writeAttentionSnapshot(runDir, 'To be, or not', step, 1, 2);
    const mlpDir = createRunFolder(workspace, 'walk-mlp', mlpRunId, 'completed');
    // The first steps of a cosine schedule from 0.002: a learning rate that barely moves (0.002 to 0.001996).
    const slowLr = trainingRecords(0, 10).map((r) =>
      r.name === 'lr' ? { ...r, value: 0.001 * (1 + Math.cos((Math.PI * r.step) / 140)) } : r,
    );
    appendMetrics(mlpDir, jsonLines(slowLr));
    writeEval(mlpDir, ['a', 'b', 'c']);
  });

  it('New Experiment lists each template with a short first line and its target in the detail line', async () => {
    page = await workbench();
    await runCommand(page, 'Model Lab: New Experiment…');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'CNN — handwritten digit' });
    await waitForText(row, /Target: ≥ 98 % test accuracy in about a minute on CPU/);
    await screenshot(page, 'walk-template-picker');
    await page.keyboard.press('Escape');
  });

  it('the run picker names runs and their folders relative to the workspace', async () => {
    await runCommand(page, 'Model Lab: Open Metrics');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: runId }).first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes(`${experiment} / ${runId}`), text);
    assert.ok(text.includes(`.modellab/runs/${experiment}/${runId}`), text);
    assert.ok(!text.includes(e2eSession().workspace), `no absolute path: ${text}`);
    await screenshot(page, 'walk-run-picker');
    await pickQuickItem(page, runId);
    metrics = await panelWith(page, '#charts .chart-card[data-family="lr"]');
    await setColorTheme(metrics, 'Dark Modern');
  });

  it('charts: a test point is a marker; smoothing leaves validation and the learning rate alone', async () => {
    const card = (family: string) => metrics.locator(`.chart-card[data-family="${family}"]`);
    // The single test accuracy point is drawn as a marker (an invisible line otherwise).
    await waitForAttribute(card('accuracy'), 'data-markers', '1');
    await waitForAttribute(card('loss'), 'data-markers', '0');
    // Default smoothing 0.6: train/loss is smoothed, validation/loss (6 points) is not; nor is the learning rate.
    assert.equal(await card('loss').getAttribute('data-smoothed'), 'true');
    await waitForAttribute(card('loss'), 'data-smoothed-series', '1');
    await waitForAttribute(card('lr'), 'data-smoothed-series', '0');

    // The tooltip gives the smoothed value and the raw one.
    const canvas = card('loss').locator('canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.hover({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    // chart.js shows its tooltip on pointer moves: nudge the pointer until it has drawn one.
    const smoothedAndRaw = /train\/loss: [\d.]+ \(raw [\d.]+\)/;
    let lines = '';
    for (let nudge = 0; nudge < 20 && !smoothedAndRaw.test(lines); nudge++) {
      await canvas.hover({ position: { x: box.width * 0.5 + nudge, y: box.height * 0.5 } });
      lines = (await card('loss').getAttribute('data-tooltip')) ?? '';
    }
    assert.match(lines, smoothedAndRaw);
    // validation/loss is drawn raw, so its line has one value.
    if (lines.includes('validation/loss')) assert.match(lines, /validation\/loss: [\d.]+$/m);
    await screenshot(page, 'walk-metrics-tooltip-dark');

    // Wall time: 15 s of run on distinct clock ticks.
    await metrics.locator('#x-axis').click();
    await metrics.locator('#x-axis').getByRole('option', { name: 'Wall time', exact: true }).click();
    await waitForAttribute(card('loss'), 'data-x-axis', 'time');
    const ticks = ((await card('loss').getAttribute('data-x-ticks')) ?? '').split(' ');
    assert.ok(ticks.length >= 3, ticks.join(' '));
    assert.equal(new Set(ticks).size, ticks.length, `distinct wall-time ticks: ${ticks.join(' ')}`);
    assert.ok(
      ticks.every((t) => /^\d+(\.\d)?s$/.test(t)),
      ticks.join(' '),
    );
    // Log scale: no more labels than the chart's height holds.
    await metrics.locator('#log-scale').click();
    await waitForAttribute(card('loss'), 'data-y-scale', 'logarithmic');
    const yTicks = ((await card('loss').getAttribute('data-y-ticks')) ?? '').split(' ').filter(Boolean);
    const height = (await canvas.boundingBox())!.height;
    assert.ok(yTicks.length <= Math.max(2, height / 28) + 1, `${yTicks.length} y ticks in ${height} px`);
    await screenshot(page, 'walk-metrics-dark');
    await metrics.locator('#log-scale').click();
  });

  it('Evaluation and Attention open beside the metrics panel in the same group', async () => {
    const before = await editorGroups(page);
    await metrics.locator('#open-evaluation').click();
    await panelWith(page, '#confusion');
    // Back to the metrics panel (Open Metrics reveals the one showing this run), then Attention from it.
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    metrics = await panelWith(page, '#open-attention');
    await metrics.locator('#open-attention').click();
    const attention = await panelWith(page, '#attention-grid .thumb');
    assert.equal(await editorGroups(page), before, 'no new editor group for Evaluation or Attention');
    const groups = page.locator('.editor-group-container:has(.tab)');
    const tabsInLast = await groups.last().locator('.tab').allTextContents();
    assert.ok(
      ['Metrics', 'Evaluation', 'Attention'].every((title) => tabsInLast.some((tab) => tab.includes(title))),
      `one group holds the three panels: ${tabsInLast.join(' | ')}`,
    );
    await screenshot(page, 'walk-one-group');

    // Attention: after scrubbing, the panel says which snapshot it shows.
    await attention.locator('#step-slider').fill('0');
    await attention.waitForSelector('body[data-step="20"]');
    await waitForText(
      attention.locator('#shown'),
      'Showing the snapshot taken at step 20 while training (1 of 3).',
    );
  });

  it('a narrow panel reflows: the page never scrolls sideways, the confusion matrix scrolls in its box', async () => {
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: 640, height: viewport.height });
    try {
      await runCommand(page, 'Model Lab: Open Evaluation');
      await pickQuickItem(page, runId);
      const evaluation = await panelWith(page, '#confusion');
      const widths = await evaluation.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
      }));
      await screenshot(page, 'walk-narrow-evaluation');
      assert.ok(widths.view < 420, `the panel is narrow: ${widths.view} px`);
      assert.ok(widths.page <= widths.view + 1, `no sideways page scroll: ${widths.page} > ${widths.view}`);
      const confusion = await evaluation
        .locator('#confusion')
        .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(confusion.client <= widths.view, `the matrix box fits: ${confusion.client}`);
      assert.ok(
        confusion.scroll > confusion.client,
        'ten classes are wider than the panel: the matrix scrolls',
      );
      await runCommand(page, 'Model Lab: Open Metrics');
      await pickQuickItem(page, runId);
      const narrowMetrics = await panelWith(page, '#charts .chart-card');
      await screenshot(page, 'walk-narrow-metrics');
      const chartsWidth = await narrowMetrics.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
      }));
      assert.ok(
        chartsWidth.page <= chartsWidth.view + 1,
        `charts reflow: ${chartsWidth.page} > ${chartsWidth.view}`,
      );
    } finally {
      await page.setViewportSize(viewport);
    }
  });

  it('light and high contrast: the smoothing and step sliders show their thumbs', async () => {
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    metrics = await panelWith(page, '#smoothing');
    await setColorTheme(metrics, 'Light Modern');
    await screenshot(page, 'walk-metrics-light');
    await setColorTheme(metrics, 'Default High Contrast');
    const slider = metrics.locator('#smoothing');
    // Dark High Contrast paints the page black: the thumb and its contrast border must stand out.
    const lit = await visiblePixels(slider, [0, 0, 0]);
    assert.ok(lit >= 60, `the smoothing slider shows ${lit} visible pixels in high contrast`);
    await screenshot(page, 'walk-metrics-high-contrast');
    await runCommand(page, 'Model Lab: Open Attention');
    await pickQuickItem(page, runId);
    const attention = await panelWith(page, 'body.vscode-high-contrast #step-slider');
    await attention.waitForSelector('body[data-step]');
    const stepLit = await visiblePixels(attention.locator('#step-slider'), [0, 0, 0]);
    assert.ok(stepLit >= 60, `the attention step slider shows ${stepLit} visible pixels in high contrast`);
    await screenshot(page, 'walk-attention-high-contrast');
    await setColorTheme(attention, 'Dark Modern');
  });

  it('the metrics panel offers Attention only for a model with attention layers', async () => {
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, mlpRunId);
    const mlp = await panelWith(page, `#runs:has-text("${mlpRunId}")`);
    await mlp.waitForSelector('#open-evaluation');
    assert.equal(await mlp.locator('#open-attention').count(), 0, 'no Attention button for an MLP');
    // Its learning rate moves in the fourth significant digit: the y labels still differ from each other.
    // The chart is drawn once its ten points are in: read its labels then.
    const lrTicks = await waitUntil('the learning-rate chart drawn with its y labels', async () => {
      const ticks = ((await mlp.locator('.chart-card[data-family="lr"]').getAttribute('data-y-ticks')) ?? '')
        .split(' ')
        .filter(Boolean);
      return ticks.length >= 3 ? ticks : undefined;
    });
    assert.equal(new Set(lrTicks).size, lrTicks.length, `distinct learning-rate ticks: ${lrTicks.join(' ')}`);
    await screenshot(page, 'walk-mlp-metrics');
  });
  it('the Get Started walkthrough: Train it has a Train… button, and Inspect and compare opens the runs table', async () => {
    writeFileSync(
      join(e2eSession().workspace, 'walkthrough-digits.experiment.json'),
      JSON.stringify({ name: 'walkthrough-digits' }),
    );
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pickQuickItem(page, 'Get started with Model Lab');
    const step = (title: string) => page.locator('.getting-started-step', { hasText: title }).first();
    const stepButton = (label: string) =>
      page.locator('.getting-started-step.expanded .monaco-button', { hasText: label }).first();
    await step('Train it').click();
    await stepButton('Train…').click();
    const picker = page.locator('.quick-input-widget');
    await waitForText(picker.locator('.quick-input-title'), /Train which experiment\?/);
    // The step is marked done as the command starts, and the walkthrough takes focus: the picker stays.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'walkthrough-digits' }).waitFor();
    await waitForAttribute(step('Train it'), 'aria-checked', 'true');
    assert.ok(await picker.isVisible(), 'the experiment picker stays open');
    await screenshot(page, 'walk-walkthrough-train');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });
    await step('Inspect and compare').click();
    await screenshot(page, 'walk-walkthrough-inspect');
    await stepButton('Open Runs Table').click();
    const table = await panelWith(page, '[data-testid="runs-count"]');
    await waitForText(table.locator('[data-testid="runs-count"]'), /\d/);
  });
});
