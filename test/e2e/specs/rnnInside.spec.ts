import { strict as assert } from 'node:assert';
import { basename } from 'node:path';
import type { Frame } from 'playwright-core';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { chooseFromContextMenu, contextMenuOf } from '../helpers/runsView';
import { workbench } from '../helpers/session';
import { trainBriefly } from '../helpers/trainBriefly';
import { waitForAttribute, waitForText } from '../helpers/waitFor';
import type { Experiment } from '../../../src/contract/experiment';

const LOOK_INSIDE = 'Look Inside (LSTM/GRU)';

const names = (name: string, layers: NonNullable<Experiment['model']['layers']>): Experiment => ({
  name,
  task: 'classification',
  data: {
    source: 'builtin:names',
    contextLength: 12,
    splits: { train: 0.8, validation: 0.1, test: 0.1 },
    seed: 1,
  },
  model: { input: { shape: [12] }, layers },
  training: {
    epochs: 1,
    batchSize: 64,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'cross-entropy',
    seed: 1,
  },
  metrics: ['accuracy'],
});

/** Each heatmap of the view: its series, distinct colours among its pixels, and a digest of them. */
async function heatmaps(panel: Frame): Promise<{ series: string; colours: number; digest: string }[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('canvas.heatmap')].map((canvas) => {
      const bytes = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      let digest = 0;
      for (let i = 0; i < bytes.length; i += 4) {
        colours.add((bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]);
        digest = (digest * 31 + bytes[i] + 7 * bytes[i + 1] + 13 * bytes[i + 2]) >>> 0;
      }
      return { series: canvas.dataset.series ?? '', colours: colours.size, digest: String(digest) };
    }),
  );
}

/** The letters of the attribution row and each one's change, as drawn. */
async function attribution(panel: Frame): Promise<string[]> {
  return panel
    .locator('[data-testid="attribution"] .letter')
    .evaluateAll((letters) =>
      letters.map(
        (l) => `${l.querySelector('.character')?.textContent}:${(l as HTMLElement).dataset.change}`,
      ),
    );
}

const SERIES = 'hidden,cell,input,forget,output,hidden,update,reset';

describe('LSTM/GRU inside view', () => {
  let namesRun = '';
  let denseRun = '';
  before(async () => {
    namesRun = basename(
      trainBriefly(
        names('inside-names', [
          { type: 'embedding', vocabSize: 28, dim: 16 },
          { type: 'lstm', units: 24, returnSequences: true },
          { type: 'gru', units: 12 },
          { type: 'dense', units: 2 },
        ]),
        60,
      ),
    );
    // Run ids are the start time to the second: a second apart, the two runs' ids differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    denseRun = basename(
      trainBriefly(
        names('inside-names-dense', [
          { type: 'embedding', vocabSize: 28, dim: 4 },
          { type: 'flatten' },
          { type: 'dense', units: 2 },
        ]),
        5,
      ),
    );
  });

  it('opens from the Runs view on a names run: every layer’s gates as heatmaps, following the example and the typed name', async function () {
    this.timeout(240_000);
    const page = await workbench();
    const menu = await contextMenuOf(page, namesRun);
    assert.ok(menu.includes(LOOK_INSIDE), menu.join(', '));
    await chooseFromContextMenu(page, namesRun, LOOK_INSIDE);
    const panel = await panelWith(page, '#rnn-inside');
    await panel.waitForSelector('body[data-input="example 0"]', { timeout: 60_000 });
    await waitForText(panel.locator('#checkpoint-status'), /best checkpoint, step \d+/);
    await waitForText(panel.locator('.rnn-layer[data-layer="1"] h2'), 'Layer 2: LSTM, 24 units');
    await waitForText(panel.locator('.rnn-layer[data-layer="2"] h2'), 'Layer 3: GRU, 12 units');
    const first = await heatmaps(panel);
    assert.equal(first.map((m) => m.series).join(), SERIES);
    for (const map of first)
      assert.ok(map.colours > 8, `the ${map.series} heatmap is drawn, not blank: ${map.colours}`);
    await waitForText(
      panel.locator('#input-line'),
      /^Test example 0 · true class: (female|male) · predicted: (female|male) \(/,
    );
    assert.ok((await attribution(panel)).length > 0, 'the letters of the example are shown');

    // Next example: other letters, other states.
    await panel.locator('#next-example').click();
    await panel.waitForSelector('body[data-input="example 1"]');
    const second = await heatmaps(panel);
    assert.notEqual(second[0].digest, first[0].digest, 'the hidden states follow the example');
    // The arrow keys step too (focus is on the Next button, not in a field).
    await page.keyboard.press('ArrowRight');
    await panel.waitForSelector('body[data-input="example 2"]');
    await page.keyboard.press('ArrowLeft');
    await panel.waitForSelector('body[data-input="example 1"]');
    assert.equal(await panel.locator('#example').inputValue(), '1');

    // A typed name replaces the example; another name changes the heatmaps and the attribution.
    // In the name box the arrow keys move the caret: the missing letter goes where it belongs.
    await panel.locator('#typed-text').fill('christophr');
    await panel.locator('#typed-text').press('ArrowLeft');
    await panel.locator('#typed-text').press('e');
    assert.equal(await panel.locator('#typed-text').inputValue(), 'christopher');
    await waitForText(panel.locator('#input-line'), /^Typed: christopher · predicted: /);
    await waitForAttribute(panel.locator('body'), 'data-input', 'text');
    const christopher = { maps: await heatmaps(panel), letters: await attribution(panel) };
    assert.deepEqual(
      christopher.letters.map((l) => l.split(':')[0]),
      [...'christopher'],
    );
    assert.ok(
      christopher.letters.some((l) => Math.abs(Number(l.split(':')[1])) > 0.001),
      `some letter moved the decision: ${christopher.letters.join(' ')}`,
    );
    await setColorTheme(panel, 'Dark Modern');
    await screenshot(page, 'rnn-inside-dark');
    await setColorTheme(panel, 'Light Modern');
    await screenshot(page, 'rnn-inside-light');
    await setColorTheme(panel, 'Default High Contrast');
    await screenshot(page, 'rnn-inside-high-contrast');
    await setColorTheme(panel, 'Dark Modern');

    await panel.locator('#typed-text').fill('christina');
    await waitForText(panel.locator('#input-line'), /^Typed: christina · predicted: /);
    const christina = { maps: await heatmaps(panel), letters: await attribution(panel) };
    assert.deepEqual(
      christina.letters.map((l) => l.split(':')[0]),
      [...'christina'],
    );
    for (const [k, map] of christina.maps.entries())
      assert.notEqual(map.digest, christopher.maps[k].digest, `the ${map.series} heatmap follows the name`);
    assert.notDeepEqual(christina.letters, christopher.letters);

    // A character the names never had is left out and said so.
    await panel.locator('#typed-text').fill('zoë');
    await waitForText(panel.locator('#input-line'), /^Typed: zo · .*left out \(not in the vocabulary\): ë$/);
    // The input line and the letters are redrawn together from one answer.
    assert.equal((await attribution(panel)).map((l) => l.split(':')[0]).join(''), 'zo');
  });

  it('the metrics panel offers Look Inside for the recurrent run only', async () => {
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, `inside-names / ${namesRun}`);
    const metrics = await panelWith(page, `.run[data-run$="${namesRun}"] #open-rnn-inside`);
    assert.equal(await metrics.locator('#open-rnn-inside').textContent(), 'Look Inside');
    assert.equal(await metrics.locator('#open-cnn-inside').count(), 0, 'no conv layers: no CNN view');
    await screenshot(page, 'rnn-inside-metrics-button');
    // Its button brings the run's Look Inside panel (open since the test before) to the front.
    await metrics.locator('#open-rnn-inside').click();
    await page
      .locator('.tab.active', { hasText: `Look Inside: inside-names / ${namesRun}` })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, `inside-names-dense / ${denseRun}`);
    const dense = await panelWith(page, `.run[data-run$="${denseRun}"]`);
    assert.equal(await dense.locator('#open-rnn-inside').count(), 0, 'a dense run has no Look Inside');
    assert.equal(await dense.locator('#open-evaluation').count(), 1, 'the dense run has its Evaluation');
  });

  it('a run without lstm or gru layers does not offer it, and asking from the palette says why', async () => {
    const page = await workbench();
    const menu = await contextMenuOf(page, denseRun);
    await page.keyboard.press('Escape');
    assert.ok(menu.includes('Open Metrics'), menu.join(', '));
    assert.ok(!menu.includes(LOOK_INSIDE), menu.join(', '));
    await runCommand(page, `Model Lab: ${LOOK_INSIDE}`);
    await pickQuickItem(page, `inside-names-dense / ${denseRun}`);
    const toast = page.locator('.notification-toast', { hasText: 'has no lstm or gru layers' }).first();
    await waitForText(
      toast.locator('.notification-list-item-message'),
      `inside-names-dense / ${denseRun} has no lstm or gru layers: Look Inside (LSTM/GRU) shows the hidden states and gates of recurrent models.`,
    );
  });
});
