import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');

/** Trains `experiment` a few steps with the model-lab CLI into the workspace's runs folder; returns the run id. */
function trainBriefly(name: string, experiment: object, steps: number): string {
  const { workspace } = e2eSession();
  const file = join(workspace, `${name}.experiment.json`);
  writeFileSync(file, JSON.stringify({ name, ...experiment }, null, 2));
  const runs = join(workspace, '.modellab', 'runs');
  const cli = join(repo, 'src', 'cli', 'cli.ts');
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'train',
      file,
      '--runs-dir',
      runs,
      '--device',
      'cpu',
      '--max-steps',
      String(steps),
    ],
    { cwd: repo, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  return readdirSync(join(runs, name))[0];
}

async function openPlayground(page: Page, runId: string, selector: string): Promise<Frame> {
  await runCommand(page, 'Model Lab: Open Playground');
  await pickQuickItem(page, runId);
  return panelWith(page, selector);
}

/** Polls `attribute` of `locator` until `accept` takes its value (state, not a fixed sleep). */
async function attributeWhen(
  locator: Locator,
  attribute: string,
  accept: (value: string) => boolean,
  what: string,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await locator.getAttribute(attribute);
    if (value !== null && accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last ${attribute}: ${value})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const training = (batchSize: number) => ({
  epochs: 1,
  batchSize,
  optimizer: { type: 'adam', learningRate: 0.01 },
  loss: 'cross-entropy',
  seed: 1,
});

describe('Playground', () => {
  let digitsRun = '';
  let textRun = '';
  let namesRun = '';
  before(() => {
    digitsRun = trainBriefly(
      'playground-digits',
      {
        task: 'classification',
        data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
        model: {
          input: { shape: [1, 8, 8] },
          layers: [
            { type: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
            { type: 'flatten' },
            { type: 'dense', units: 10 },
          ],
        },
        training: training(32),
      },
      40,
    );
    textRun = trainBriefly(
      'playground-text',
      {
        task: 'language-model',
        data: {
          source: 'builtin:tiny-shakespeare',
          contextLength: 32,
          splits: { train: 0.9, validation: 0.05, test: 0.05 },
          seed: 1,
        },
        model: {
          input: { shape: [32] },
          layers: [
            { type: 'embedding', vocabSize: 65, dim: 32 },
            { type: 'transformer', heads: 2, ffDim: 64, causal: true },
            { type: 'dense', units: 65 },
          ],
        },
        training: { ...training(16), stepsPerEpoch: 20 },
      },
      20,
    );
    namesRun = trainBriefly(
      'playground-names',
      {
        task: 'classification',
        data: {
          source: 'builtin:names',
          contextLength: 12,
          splits: { train: 0.8, validation: 0.1, test: 0.1 },
          seed: 1,
        },
        model: {
          input: { shape: [12] },
          layers: [
            { type: 'embedding', vocabSize: 28, dim: 16 },
            { type: 'lstm', units: 32 },
            { type: 'dense', units: 2 },
          ],
        },
        training: { ...training(64), stepsPerEpoch: 60 },
      },
      60,
    );
  });

  it('draws a stroke on the pad and the class probabilities change', async () => {
    const page = await workbench();
    const view = await openPlayground(page, `playground-digits / ${digitsRun}`, '#pad');
    await setColorTheme(view, 'Dark Modern');
    const bars = view.locator('#probabilities');
    // The blank pad is answered first.
    await attributeWhen(bars, 'data-answers', (n) => Number(n) >= 1, 'the blank pad to be answered');
    const before = (await bars.getAttribute('data-probabilities'))!;
    assert.equal(await bars.locator('.probability').count(), 10);
    const box = (await view.locator('#pad').boundingBox())!;
    // A "7": a bar across the top, then a diagonal down to the bottom left.
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.2);
    await page.mouse.down();
    for (const [fx, fy] of [
      [0.5, 0.2],
      [0.75, 0.2],
      [0.6, 0.5],
      [0.45, 0.85],
    ])
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 8 });
    await page.mouse.up();
    const after = await attributeWhen(
      bars,
      'data-probabilities',
      (p) => p !== before,
      'the probabilities to follow the drawing',
    );
    const sum = after.split(' ').reduce((s, p) => s + Number(p), 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to 1: ${sum}`);
    assert.ok(Number(await bars.getAttribute('data-answers')) > 1, 'answered while drawing');
    await screenshot(page, 'playground-digit-dark');
    await setColorTheme(view, 'Light Modern');
    await screenshot(page, 'playground-digit-light');
    await setColorTheme(view, 'Default High Contrast');
    await screenshot(page, 'playground-digit-high-contrast');
    await setColorTheme(view, 'Dark Modern');
    await view.locator('#clear').click();
    await attributeWhen(
      bars,
      'data-probabilities',
      (p) => p === before,
      'the cleared pad to be answered as before',
    );
  });

  it('types a name and the class probabilities follow each keystroke', async () => {
    const page = await workbench();
    const view = await openPlayground(page, `playground-names / ${namesRun}`, '#name');
    const bars = view.locator('#probabilities');
    // The name the box starts with is answered first.
    await attributeWhen(bars, 'data-answers', (n) => Number(n) >= 1, 'the first name to be answered');
    assert.equal(await bars.locator('.probability').count(), 2);
    await view.locator('#name').fill('');
    await view.locator('#name').pressSequentially('christopher', { delay: 30 });
    const male = await attributeWhen(
      bars,
      'data-top',
      (top) => top === 'male',
      '"christopher" to be answered male',
    );
    assert.equal(male, 'male');
    const christopher = (await bars.getAttribute('data-probabilities'))!;
    await view.locator('#name').fill('christina');
    await attributeWhen(bars, 'data-top', (top) => top === 'female', '"christina" to be answered female');
    assert.notEqual(await bars.getAttribute('data-probabilities'), christopher);
    await screenshot(page, 'playground-name-dark');
  });

  it('types a prompt and the generated text streams in', async () => {
    const page = await workbench();
    const view = await openPlayground(page, `playground-text / ${textRun}`, '#prompt');
    await view.locator('#prompt').fill('KING:\n');
    await view.locator('#top-k').fill('5');
    // Count the updates of the output: streamed text arrives in many pieces, not once at the end.
    await view.evaluate(() => {
      const out = document.getElementById('generated')!;
      const counter = { updates: 0 };
      (window as unknown as { updates: typeof counter }).updates = counter;
      new MutationObserver((records) => (counter.updates += records.length)).observe(out, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await view.locator('#generate').click();
    const generated = view.locator('#generated');
    await waitForAttribute(generated, 'data-state', 'done', 60_000);
    const text = (await generated.textContent()) ?? '';
    assert.equal([...text].length, 200, `200 characters generated: ${JSON.stringify(text)}`);
    const updates = await view.evaluate(
      () => (window as unknown as { updates: { updates: number } }).updates.updates,
    );
    assert.ok(updates >= 100, `the text arrived character by character (${updates} updates)`);
    // Then the attention of the last layer over the prompt and what followed (its last 32 characters).
    const heatmap = view.locator('#text-attention');
    const tokens = await attributeWhen(heatmap, 'data-tokens', (t) => t.length > 0, 'the text attention');
    assert.equal(tokens, ('KING:\n' + text).slice(-32));
    assert.equal(await heatmap.getAttribute('data-layer'), '1');
    assert.equal(await heatmap.getAttribute('data-head'), '0');
    const colours = () =>
      heatmap.evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return [...seen].sort().join(',');
      });
    const head1 = await colours();
    assert.ok(head1.split(',').length > 8, 'the heatmap is drawn in many colours, not blank');
    await view.locator('#attention-head').selectOption('1');
    await attributeWhen(heatmap, 'data-head', (h) => h === '1', 'the second head');
    assert.notEqual(await colours(), head1, 'another head draws another map');
    await screenshot(page, 'playground-text-dark');
  });
});
