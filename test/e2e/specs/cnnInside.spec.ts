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
import { loadCheckpoint, saveCheckpoint } from '../../../src/runs/checkpoints';

const LOOK_INSIDE = 'Look Inside (CNN)';

const digits = (name: string, layers: NonNullable<Experiment['model']['layers']>): Experiment => ({
  name,
  task: 'classification',
  data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
  model: { input: { shape: [1, 8, 8] }, layers },
  training: {
    epochs: 1,
    batchSize: 32,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'cross-entropy',
    seed: 1,
  },
  metrics: ['accuracy'],
});

/** What a canvas shows: opaque pixels, distinct grey levels among them, and a digest of all its bytes. */
async function canvasPixels(
  panel: Frame,
  id: string,
): Promise<{ width: number; opaque: number; levels: number; digest: string }> {
  return panel.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement | null;
    if (!canvas) throw new Error(`no canvas #${canvasId}`);
    const bytes = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let opaque = 0;
    let digest = 0;
    const levels = new Set<number>();
    for (let i = 0; i < bytes.length; i += 4) {
      digest = (digest * 31 + bytes[i] + 7 * bytes[i + 1] + 13 * bytes[i + 2] + bytes[i + 3]) >>> 0;
      if (bytes[i + 3] === 255) {
        opaque++;
        levels.add(bytes[i]);
      }
    }
    return { width: canvas.width, opaque, levels: levels.size, digest: String(digest) };
  }, id);
}

/** Every canvas of the view is drawn, and none is blank (a single grey level everywhere). */
async function assertDrawn(panel: Frame, ids: string[]): Promise<void> {
  for (const id of ids) {
    const pixels = await canvasPixels(panel, id);
    assert.ok(pixels.opaque > 0, `#${id} has drawn pixels`);
    assert.ok(pixels.levels > 2, `#${id} is not blank: ${pixels.levels} grey levels`);
  }
}

/** Waits until attribute `name` of `selector` in `panel` matches `pattern`; the error shows the last value. */
async function waitForAttributeMatch(
  panel: Frame,
  selector: string,
  name: string,
  pattern: RegExp,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: string | null = null;
  while (!(last !== null && pattern.test(last))) {
    if (Date.now() > deadline)
      throw new Error(`expected ${selector} ${name} to match ${pattern}, last: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await panel.locator(selector).getAttribute(name);
  }
}

/** Waits until the filters canvas is redrawn with a digest `accept` takes. */
async function waitForFilters(panel: Frame, accept: (digest: string) => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const digest = await canvasPixels(panel, 'filters')
      .then((p) => p.digest)
      .catch(() => '');
    if (digest && accept(digest)) return;
    if (Date.now() > deadline) throw new Error('the filters were not redrawn from the newer checkpoint');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('CNN inside view', () => {
  let cnnDir = '';
  let cnnRun = '';
  let denseRun = '';
  before(async () => {
    cnnDir = trainBriefly(
      digits('inside-cnn', [
        { type: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'maxpool2d', size: 2 },
        { type: 'conv2d', filters: 12, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 10 },
      ]),
      40,
    );
    cnnRun = basename(cnnDir);
    // Run ids are the start time to the second: a second apart, the two runs' ids differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    denseRun = basename(
      trainBriefly(
        digits('inside-dense', [
          { type: 'flatten' },
          { type: 'dense', units: 16, activation: 'relu' },
          { type: 'dense', units: 10 },
        ]),
        10,
      ),
    );
    assert.notEqual(denseRun, cnnRun);
  });

  it("opens from the Runs view on a CNN run: input, filters and each conv layer's maps, following the example picked", async function () {
    this.timeout(240_000);
    const page = await workbench();
    const menu = await contextMenuOf(page, cnnRun);
    assert.ok(menu.includes(LOOK_INSIDE), menu.join(', '));
    await chooseFromContextMenu(page, cnnRun, LOOK_INSIDE);
    const panel = await panelWith(page, '#cnn-inside');
    await panel.waitForSelector('body[data-example="0"]', { timeout: 60_000 });
    // A run trained with a validation split keeps a best checkpoint: the view names it.
    await waitForText(panel.locator('#checkpoint-status'), /best checkpoint, step \d+/);
    await waitForAttribute(panel.locator('body'), 'data-checkpoint', 'best');
    const canvases = ['input-image', 'filters', 'maps-0', 'maps-2'];
    await assertDrawn(panel, canvases);
    assert.equal(await panel.locator('#filters').getAttribute('data-maps'), '8');
    assert.equal(await panel.locator('#maps-0').getAttribute('data-maps'), '8');
    assert.equal(await panel.locator('#maps-2').getAttribute('data-maps'), '12');
    await waitForText(
      panel.locator('.layer-maps[data-layer="0"] figcaption'),
      /Layer 1 · conv2d · 8 × 8 × 8/,
    );
    await waitForText(
      panel.locator('.layer-maps[data-layer="2"] figcaption'),
      /Layer 3 · conv2d · 12 × 4 × 4/,
    );
    const labelLine = panel.locator('#label-line');
    const firstLabel = await waitForText(labelLine, /^True class: \d · predicted: \d \(\d+(\.\d)?%\)$/);
    const firstTruth = await labelLine.getAttribute('data-true');
    const firstMaps = await canvasPixels(panel, 'maps-0');
    const firstInput = await canvasPixels(panel, 'input-image');
    const filters = await canvasPixels(panel, 'filters');

    await setColorTheme(panel, 'Dark Modern');
    await screenshot(page, 'cnn-inside-dark');
    await setColorTheme(panel, 'Light Modern');
    await screenshot(page, 'cnn-inside-light');
    await setColorTheme(panel, 'Default High Contrast');
    await screenshot(page, 'cnn-inside-high-contrast');
    await setColorTheme(panel, 'Dark Modern');

    // A live run saves a newer best checkpoint (here: the first layer's filters flipped in sign):
    // the view reopens the model with it, names it and redraws the filters.
    const best = loadCheckpoint(cnnDir, 'best');
    const weight = best.state.tensors['layer0.conv2d.weight'];
    saveCheckpoint(cnnDir, 'best', {
      state: {
        ...best.state,
        tensors: {
          ...best.state.tensors,
          'layer0.conv2d.weight': { ...weight, data: weight.data.map((w) => -w) },
        },
      },
      position: { ...best.position, step: best.position.step + 10 },
    });
    await waitForAttribute(panel.locator('body'), 'data-step', String(best.position.step + 10));
    await waitForText(
      panel.locator('#checkpoint-status'),
      new RegExp(`best checkpoint, step ${best.position.step + 10}`),
    );
    await waitForFilters(panel, (digest) => digest !== filters.digest);
    const newFilters = await canvasPixels(panel, 'filters');

    // Next example: other pixels, other maps, the same filters (the same weights).
    await panel.locator('#next-example').click();
    await panel.waitForSelector('body[data-example="1"]');
    await assertDrawn(panel, canvases);
    assert.notEqual(
      (await canvasPixels(panel, 'input-image')).digest,
      firstInput.digest,
      'the input changed',
    );
    assert.notEqual((await canvasPixels(panel, 'maps-0')).digest, firstMaps.digest, 'the maps changed');
    assert.equal((await canvasPixels(panel, 'filters')).digest, newFilters.digest, 'the filters stay');

    // Walk on until the true class differs from the first example's: the label line follows.
    for (let example = 2; (await labelLine.getAttribute('data-true')) === firstTruth; example++) {
      assert.ok(example < 30, 'a test example of another class within the first 30');
      await panel.locator('#next-example').click();
      await panel.waitForSelector(`body[data-example="${example}"]`);
    }
    const otherLabel = (await labelLine.textContent()) ?? '';
    assert.notEqual(otherLabel, firstLabel);
    assert.match(otherLabel, /^True class: \d · predicted: \d \(\d+(\.\d)?%\)$/);

    // Typing an index goes straight there; Previous steps back.
    await panel.locator('#example').fill('7');
    await panel.locator('#example').press('Enter');
    await panel.waitForSelector('body[data-example="7"]');
    await panel.locator('#previous-example').click();
    await panel.waitForSelector('body[data-example="6"]');
    await assertDrawn(panel, canvases);
    // The arrow keys step too (focus is on the Previous button, not in the index field).
    await page.keyboard.press('ArrowRight');
    await panel.waitForSelector('body[data-example="7"]');
    assert.equal(await panel.locator('#example').inputValue(), '7');

    // Hovering a map names it and the values its black and white stand for.
    await panel.locator('#maps-0').hover({ position: { x: 5, y: 5 } });
    await waitForAttributeMatch(
      panel,
      '#maps-0',
      'title',
      /^Map 1 of 8: values from -?[\d.]+ \(black\) to [\d.]+ \(white\)$/,
    );
    await panel.locator('#filters').hover({ position: { x: 5, y: 5 } });
    await waitForAttributeMatch(
      panel,
      '#filters',
      'title',
      /^Filter 1 of 8: weights from -[\d.]+ \(black\) to [\d.]+ \(white\)$/,
    );
  });

  it('the metrics panel offers Look Inside beside Evaluation for the CNN run only', async () => {
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, `inside-cnn / ${cnnRun}`);
    const metrics = await panelWith(page, `.run[data-run$="${cnnRun}"] #open-cnn-inside`);
    assert.equal(await metrics.locator('#open-cnn-inside').count(), 1);
    // Its button brings the run's Look Inside panel (open since the test before) to the front.
    await metrics.locator('#open-cnn-inside').click();
    await page
      .locator('.tab.active', { hasText: `Look Inside: inside-cnn / ${cnnRun}` })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, `inside-dense / ${denseRun}`);
    const dense = await panelWith(page, `.run[data-run$="${denseRun}"]`);
    assert.equal(await dense.locator('#open-cnn-inside').count(), 0, 'a dense run has no Look Inside');
    assert.equal(await dense.locator('#open-evaluation').count(), 1, 'the dense run has its Evaluation');
  });

  it('a dense run does not offer it, and asking from the palette says why', async () => {
    const page = await workbench();
    const menu = await contextMenuOf(page, denseRun);
    await page.keyboard.press('Escape');
    assert.ok(menu.includes('Open Metrics'), menu.join(', '));
    assert.ok(!menu.includes(LOOK_INSIDE), menu.join(', '));
    await runCommand(page, `Model Lab: ${LOOK_INSIDE}`);
    await pickQuickItem(page, `inside-dense / ${denseRun}`);
    const toast = page.locator('.notification-toast', { hasText: 'has no conv2d layers' }).first();
    await waitForText(
      toast.locator('.notification-list-item-message'),
      `inside-dense / ${denseRun} has no conv2d layers: Look Inside (CNN) shows the filters and feature maps of convolutional models.`,
    );
  });
});
