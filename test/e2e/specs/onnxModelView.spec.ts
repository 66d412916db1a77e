import { strict as assert } from 'node:assert';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { runCommand, screenshot, webviewFrame } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import { openFileThroughDialog, openThroughDialog } from '../helpers/folderDialog';
import { chooseFromContextMenu } from '../helpers/runsView';
import { answerInputBox, panelWith, pickQuickItem, waitForPoints } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { stopRunsStillTraining } from '../helpers/stopRuns';
import { waitForText, waitUntil } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');
/** A PyTorch CNN exported at opset 13: input [batch, 1, 8, 8], three classes (bench/pytorch/onnx_references.py). */
const NAME = 'view-cnn';

/**
 * Rows of side×side pixel columns and a label of three classes: each class lights one band of
 * rows of the image (a third of its height), so a few epochs of fine-tuning learn it. By default
 * 96 rows of 8×8 images labelled c0, c1, c2.
 */
function writePixelsCsv(
  file: string,
  { side = 8, rows = 96, label: labelText = (label: number) => `c${label}` } = {},
): void {
  const size = side * side;
  const lines = [[...Array.from({ length: size }, (_, i) => `p${i}`), 'label'].join(',')];
  for (let row = 0; row < rows; row++) {
    const label = row % 3;
    const pixels = Array.from({ length: size }, (_, i) => {
      const band = Math.floor(Math.floor(i / side) / Math.ceil(side / 3));
      return ((band === label ? 0.8 : 0.1) + ((row * 31 + i * 17) % 10) / 50).toFixed(2);
    });
    lines.push([...pixels, labelText(label)].join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** Check in the model view answers that the model trains faithfully. */
async function checkPasses(view: FrameLocator): Promise<void> {
  await view.getByTestId('check-button').click();
  await waitForText(view.getByTestId('check-status'), /^Trainable: the training graph builds/, 120_000);
}

/** 12 PNG images of 8×8 in a folder per class (c0, c1, c2), as an image dataset is declared. */
function writeImageFolder(folder: string): void {
  for (let label = 0; label < 3; label++) {
    mkdirSync(join(folder, `c${label}`), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const image = new PNG({ width: 8, height: 8 });
      for (let p = 0; p < 64; p++) {
        const level = Math.floor(Math.floor(p / 8) / 3) === label ? 200 : 30 + ((i * 17 + p) % 20);
        image.data.set([level, level, level, 255], p * 4);
      }
      writeFileSync(join(folder, `c${label}`, `${i}.png`), PNG.sync.write(image));
    }
  }
}

/**
 * "Fine-tune…" in the open model view: the experiment scaffolded beside the model opens; with the
 * data the scaffold names written by `writeData`, its CodeLens "Train" runs it to a completed run
 * with live charts.
 */
async function fineTuneFromView(
  page: Page,
  name: string,
  writeData: (file: string) => void,
  shot: string,
  answerQuestions: () => Promise<void> = async () => {},
  scaffolded: { task: string; source: string } = { task: 'classification', source: 'data.csv' },
): Promise<Record<string, unknown>> {
  const { workspace } = e2eSession();
  const view = webviewFrame(page);
  await view.getByTestId('fine-tune-button').click();
  await answerQuestions();
  const experimentFile = join(workspace, `${name}.experiment.json`);
  await waitUntil(`${name}.experiment.json`, () => (existsSync(experimentFile) ? true : undefined));
  await page
    .locator('.tabs-container .tab', { hasText: `${name}.experiment.json` })
    .first()
    .waitFor({ timeout: 20_000 });
  const experiment = JSON.parse(readFileSync(experimentFile, 'utf8'));
  assert.equal(experiment.model.onnx, `${name}.onnx`);
  assert.equal(experiment.task, scaffolded.task);
  assert.equal(experiment.data.source, scaffolded.source);
  await screenshot(page, shot);

  // The user provides the data the scaffold names, then trains from the experiment's CodeLens.
  writeData(join(workspace, scaffolded.source));
  const train = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
  await train.waitFor({ timeout: 30_000 });
  await train.click();
  await waitForPoints(page, 2, 120_000);
  assert.equal(await runEnded(name), 'completed');
  return experiment;
}

/** The status of the experiment's first run (runs/<name>/) once it is no longer running. */
async function runEnded(name: string): Promise<string> {
  const runsDir = join(e2eSession().workspace, '.modellab', 'runs', name);
  return waitUntil(
    `the run of ${name} to end`,
    () => {
      const [runId] = existsSync(runsDir) ? readdirSync(runsDir) : [];
      if (!runId) return undefined;
      const info = JSON.parse(readFileSync(join(runsDir, runId, 'run.json'), 'utf8')) as { status: string };
      return info.status === 'running' ? undefined : info.status;
    },
    120_000,
  );
}

/**
 * Runs `act` with the WordPiece fixture tokenizer (tokenizer.json and tokenizer_config.json) in
 * the workspace, as save_pretrained leaves them beside a model; the other models of this
 * workspace are saved without one, so it is removed after.
 */
async function withTokenizerBeside(act: () => Promise<void>): Promise<void> {
  const { workspace } = e2eSession();
  const files = ['tokenizer.json', 'tokenizer_config.json'];
  for (const name of files)
    copyFileSync(join(repo, 'test/fixtures/tokenizers/wordpiece', name), join(workspace, name));
  try {
    await act();
  } finally {
    for (const name of files) rmSync(join(workspace, name), { force: true });
  }
}

/**
 * Opens `file` of the workspace (first copied from the repository's `fixture`, when given)
 * from the explorer in the model view. A file opened before the
 * workbench knows the extensions' editors opens as text (VS Code's editor resolver): wait until
 * Model Lab's commands are listed first.
 */
async function openModelView(file: string, fixture?: string): Promise<{ page: Page; view: FrameLocator }> {
  if (fixture) copyFileSync(join(repo, fixture), join(e2eSession().workspace, file));
  const page = await workbench();
  await runCommand(page, 'Model Lab: Focus on Runs View');
  await openFromExplorer(page, file);
  return { page, view: webviewFrame(page) };
}

describe('The .onnx model view', () => {
  before(() => {
    writeImageFolder(join(e2eSession().workspace, `${NAME}-images`));
    copyFileSync(
      join(repo, 'test/fixtures/onnx/cnn/model.onnx'),
      join(e2eSession().workspace, `${NAME}.onnx`),
    );
    writePixelsCsv(join(e2eSession().workspace, `${NAME}-pixels.csv`));
  });

  let page: Page;
  let view: FrameLocator;
  afterEach(async function () {
    // The failure as it was, before workbench() closes the editors.
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-${this.currentTest.title.slice(0, 40)}`);
    await stopRunsStillTraining(await workbench(), e2eSession().workspace);
  });

  it('opens a .onnx file on its inputs, ops and initializers; Check answers from the training process', async function () {
    this.timeout(180_000);
    ({ page, view } = await openModelView(`${NAME}.onnx`));
    await waitForText(
      view.getByTestId('import-status'),
      'Model Lab can fine-tune this model: 283 of 283 parameter values train.',
    );
    await waitForText(view.getByTestId('origin'), /^ONNX opset 13 · exported by pytorch /);
    // Adam keeps 7 copies of the 283 parameters (8 kB); 733 activation values per example,
    // kept with their gradients at batch 16 (94 kB).
    await waitForText(
      view.getByTestId('memory'),
      'Estimated fine-tuning memory at batch 16: about 102 kB (8 kB for parameters, gradients and optimizer state; 94 kB for activations, 733 values per example)',
    );
    const tensors = (await view.getByTestId('tensors').textContent()) ?? '';
    assert.match(tensors, /inputinputfloat32batch × 1 × 8 × 8/);
    assert.match(tensors, /outputoutputfloat32batch × 3/);
    assert.match((await view.getByTestId('ops').textContent()) ?? '', /Conv2supported/);
    assert.match(
      (await view.getByTestId('initializers').textContent()) ?? '',
      /conv2\.weight6 × 4 × 3 × 3216trains/,
    );
    await screenshot(page, 'onnx-model-view');

    await checkPasses(view);
    const details = (await view.getByTestId('check').textContent()) ?? '';
    assert.match(
      details,
      /Forward vs onnxruntime \(random inputs, batch 2\): largest difference \d\.\d\de-\d+/,
    );
    assert.match(details, /Gradient of conv1\.weight vs finite differences: relative error/);
    await screenshot(page, 'onnx-model-view-checked');

    // An image input takes a CSV of pixels or a folder of images by class: the view asks which.
    await view.getByTestId('evaluate-button').click();
    await pickQuickItem(page, 'CSV table');
    await openFileThroughDialog(page, join(e2eSession().workspace, `${NAME}-pixels.csv`));
    await waitForText(
      view.getByTestId('evaluation-scores'),
      new RegExp(`^96 examples of ${NAME}-pixels\\.csv: loss \\d+(\\.\\d+)? · accuracy (0|1|0\\.\\d+)$`),
      120_000,
    );
    await screenshot(page, 'onnx-model-view-evaluated');
    await view.getByTestId('evaluate-button').click();
    await pickQuickItem(page, 'Folder of images by class');
    await openThroughDialog(page, join(e2eSession().workspace, `${NAME}-images`), 'Evaluate');
    await waitForText(
      view.getByTestId('evaluation-scores'),
      new RegExp(`^12 examples of ${NAME}-images: loss \\d+(\\.\\d+)? · accuracy (0|1|0\\.\\d+)$`),
      120_000,
    );
    await screenshot(page, 'onnx-model-view-evaluated-images');
  });

  it('a classifier saved with its config.json: the outputs table names its classes, Evaluate on data… reads labels by name', async function () {
    this.timeout(180_000);
    const { workspace } = e2eSession();
    // Hugging Face's id2label beside the model, in an order that is not the names' sorted one.
    const config = join(workspace, 'config.json');
    writeFileSync(config, JSON.stringify({ id2label: { 0: 'low', 1: 'middle', 2: 'high' } }));
    try {
      // Rows of two of its three classes, labelled by name: 64 of the 96.
      const [header, ...rows] = readFileSync(join(workspace, `${NAME}-pixels.csv`), 'utf8')
        .trim()
        .split('\n');
      const named = rows
        .filter((row) => !row.endsWith(',c1'))
        .map((row) => row.replace(/,c0$/, ',low').replace(/,c2$/, ',high'));
      writeFileSync(join(workspace, 'view-named.csv'), [header, ...named].join('\n') + '\n');
      ({ page, view } = await openModelView(`${NAME}.onnx`));
      await waitForText(
        view.getByTestId('tensors'),
        /outputoutput, scores of 3 classes: low, middle, highfloat32batch × 3/,
      );
      await view.getByTestId('evaluate-button').click();
      await pickQuickItem(page, 'CSV table');
      await openFileThroughDialog(page, join(workspace, 'view-named.csv'));
      await waitForText(
        view.getByTestId('evaluation-scores'),
        /^64 examples of view-named\.csv: loss \d+(\.\d+)? · accuracy (0|1|0\.\d+)$/,
        120_000,
      );
      // Per class, by name: the two classes the rows hold, 32 each (and "middle" only where the
      // model predicted it), then the macro and weighted averages.
      const classRows = view.locator('#classes tbody tr');
      const supports = new Map<string, string>();
      for (const row of await classRows.all())
        supports.set(
          (await row.locator('th').textContent()) ?? '',
          (await row.locator('td').last().textContent()) ?? '',
        );
      assert.equal(supports.get('low'), '32');
      assert.equal(supports.get('high'), '32');
      assert.ok([undefined, '0'].includes(supports.get('middle')), `middle: ${supports.get('middle')}`);
      await waitForText(view.locator('#average-macro th'), 'macro avg');
      await screenshot(page, 'onnx-model-view-class-names');
    } finally {
      rmSync(config, { force: true });
    }
  });

  it("a run's model.onnx of a table: the view names the columns it reads, Evaluate on data… reads them by name", async function () {
    this.timeout(180_000);
    const { workspace } = e2eSession();
    // The fixture's rows with the columns in another order, the target first.
    const [header, ...rows] = readFileSync(join(repo, 'test/fixtures/onnx/table-encoded/ports.csv'), 'utf8')
      .trim()
      .split('\n');
    const order = ['survived', 'port', 'age', 'fare'].map((name) => header.split(',').indexOf(name));
    const reordered = [header, ...rows].map((row) => order.map((at) => row.split(',')[at]).join(','));
    writeFileSync(join(workspace, 'view-ports.csv'), reordered.join('\n') + '\n');
    ({ page, view } = await openModelView('view-ports.onnx', 'test/fixtures/onnx/table-encoded/model.onnx'));
    // Its weights train; its input scaling's shift and scale are constants, not parameters.
    await waitForText(
      view.getByTestId('import-status'),
      'Model Lab can fine-tune this model: 12 of 12 parameter values train.',
    );
    await waitForText(
      view.getByTestId('tensors'),
      /inputinput, a row of the columns fare, age, then port one-hotfloat32batch × 5/,
    );
    assert.match(
      (await view.getByTestId('tensors').textContent()) ?? '',
      /outputoutput, scores of 2 classes: no, yes/,
    );
    await view.getByTestId('evaluate-button').click();
    await openFileThroughDialog(page, join(workspace, 'view-ports.csv'));
    await waitForText(
      view.getByTestId('evaluation-scores'),
      /^120 examples of view-ports\.csv: loss \d+(\.\d+)? · accuracy (0|1|0\.\d+)$/,
      120_000,
    );
    await screenshot(page, 'onnx-model-view-table-columns');
  });

  it('a language model is evaluated on a text file, in windows as long as its input', async function () {
    this.timeout(180_000);
    const { workspace } = e2eSession();
    // A Transformer reading 8 token ids, 11 tokens (bench/pytorch/onnx_references.py); the text
    // has 7 different characters, so 49 windows of 8 out of its 396.
    writeFileSync(join(workspace, 'view-gpt.txt'), 'a cab bade a bad cab. '.repeat(18));
    ({ page, view } = await openModelView('view-gpt.onnx', 'test/fixtures/onnx/transformer/model.onnx'));
    await waitForText(view.getByTestId('import-status'), /^Model Lab can fine-tune this model/);
    await view.getByTestId('evaluate-button').click();
    await pickQuickItem(page, 'Text file');
    await openFileThroughDialog(page, join(workspace, 'view-gpt.txt'));
    await waitForText(
      view.getByTestId('evaluation-scores'),
      /^49 examples of view-gpt\.txt: loss \d+(\.\d+)? · accuracy (0|1|0\.\d+) · perplexity \d+(\.\d+)?$/,
      120_000,
    );
    await screenshot(page, 'onnx-model-view-evaluated-text');
  });

  it('a GPT-2 style export with an open sequence length: Evaluate on data… asks how long each window of the text is', async function () {
    this.timeout(180_000);
    const { workspace } = e2eSession();
    // test/fixtures/onnx-zoo/export.py: token ids and an attention mask over [batch, sequence], 50 tokens.
    // 7 different characters in 396: windows of 16 make 24 examples.
    writeFileSync(join(workspace, 'view-gpt2.txt'), 'a cab bade a bad cab. '.repeat(18));
    ({ page, view } = await openModelView(
      'view-gpt2.onnx',
      'test/fixtures/onnx-zoo/gpt2-style-opset17.onnx',
    ));
    await waitForText(
      view.getByTestId('import-status'),
      /Fine-tune… asks for the size of sequence in one example\.$/,
    );
    await view.getByTestId('evaluate-button').click();
    await pickQuickItem(page, 'Text file');
    await openFileThroughDialog(page, join(workspace, 'view-gpt2.txt'));
    await page
      .locator('.quick-input-title', { hasText: 'Evaluate view-gpt2.onnx: the size of "sequence"' })
      .waitFor();
    await screenshot(page, 'onnx-model-view-gpt2-window-question');
    const prompt = await answerInputBox(page, '16');
    assert.match(prompt, /how many tokens should each window of the text hold\?/);
    await waitForText(
      view.getByTestId('evaluation-scores'),
      /^24 examples of view-gpt2\.txt: loss \d+(\.\d+)? · accuracy (0|1|0\.\d+) · perplexity \d+(\.\d+)?$/,
      120_000,
    );
    await screenshot(page, 'onnx-model-view-gpt2-evaluated');
  });

  it('Fine-tune… scaffolds an experiment beside the model, which trains to a completed run with live charts', async function () {
    this.timeout(240_000);
    ({ page, view } = await openModelView(`${NAME}.onnx`));
    await waitForText(view.getByTestId('import-status'), /^Model Lab can fine-tune this model/);
    await fineTuneFromView(page, NAME, (file) => writePixelsCsv(file), 'onnx-model-view-fine-tune');
    await screenshot(page, 'onnx-model-view-fine-tuned');
  });

  it('a model trained on other classes: the experiment names "newHead", which trains a new last layer for the data', async function () {
    this.timeout(240_000);
    const { workspace } = e2eSession();
    const name = 'two-class-cnn';
    // The three-class CNN on pixels of two classes only (c2 rows left out).
    writePixelsCsv(join(workspace, `${name}.csv`));
    const rows = readFileSync(join(workspace, `${name}.csv`), 'utf8')
      .trim()
      .split('\n');
    writeFileSync(
      join(workspace, `${name}.csv`),
      rows.filter((row) => !row.endsWith(',c2')).join('\n') + '\n',
    );
    const experiment = {
      name,
      task: 'classification',
      data: {
        source: `${name}.csv`,
        target: 'label',
        normalize: 'none',
        splits: { train: 0.8, validation: 0.1, test: 0.1 },
        seed: 1,
      },
      model: { onnx: `${NAME}.onnx` },
      training: {
        epochs: 3,
        batchSize: 8,
        optimizer: { type: 'adam', learningRate: 0.001 },
        loss: 'cross-entropy',
        seed: 1,
      },
      metrics: ['accuracy'],
    };
    const file = join(workspace, `${name}.experiment.json`);
    writeFileSync(file, JSON.stringify(experiment, null, 2));
    page = await workbench();
    await openFromExplorer(page, `${name}.experiment.json`);
    const problemLens = page
      .locator('.codelens-decoration a', { hasText: '1 problem to fix before training' })
      .first();
    await problemLens.click({ timeout: 60_000 });
    const problems = page.locator('.markers-panel');
    await waitForText(problems, /add "newHead": true to train a new last layer of that size/, 30_000);
    // The summary counts the file's own last layer: Gemm 6 → 3, 283 parameters in all.
    const summaryLens = page.locator('.codelens-decoration a', { hasText: 'parameters' }).first();
    await waitForText(summaryLens, /^\S*\s*283 parameters ·/);
    assert.match(
      (await problems.textContent()) ?? '',
      /output of view-cnn\.onnx gives \[3\] per example, but the data needs \[2\]/,
    );
    await screenshot(page, 'onnx-new-head-problem');

    // The fix the message names, saved from outside the editor: the editor reloads the file.
    writeFileSync(
      file,
      JSON.stringify({ ...experiment, model: { onnx: `${NAME}.onnx`, newHead: true } }, null, 2),
    );
    const train = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
    await waitUntil('the problem to go', async () =>
      (await page.locator('.codelens-decoration a', { hasText: 'problem to fix' }).count()) === 0
        ? true
        : undefined,
    );
    // Once the data is read, the summary counts the new last layer, Gemm 6 → 2: 7 parameters fewer.
    await waitForText(summaryLens, /^\S*\s*276 parameters ·/, 30_000);
    await train.click({ timeout: 30_000 });
    assert.equal(await runEnded(name), 'completed');
    const runsDir = join(workspace, '.modellab', 'runs', name);
    const [runId] = readdirSync(runsDir);
    // The run's Model tab reads the run's data too: its last row is the new layer.
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, runId);
    const panel = await panelWith(page, '#tab-model');
    await panel.locator('#tab-model').click();
    await waitForText(panel.locator('[data-testid="total-params"]'), '276');
    const layerRows = panel.locator('[data-testid="model-table"] tbody tr');
    await waitForText(layerRows.last(), /Gemm/);
    // #, layer, output shape, parameters (6·2 + 2), FLOPs.
    assert.deepEqual((await layerRows.last().locator('td').allTextContents()).slice(1, 4), [
      'Gemm /fc/Gemm',
      '[2]',
      '14',
    ]);
    await screenshot(page, 'onnx-new-head-model-tab');
    const report = JSON.parse(readFileSync(join(runsDir, runId, 'eval.json'), 'utf8')) as {
      classes?: { label: string }[];
    };
    assert.deepEqual(
      report.classes?.map((c) => c.label),
      ['c0', 'c1'],
    );
    await screenshot(page, 'onnx-new-head-trained');
  });

  it('MNIST as the ONNX Model Zoo writes it (opset 8, auto_pad SAME_UPPER): Check passes, Fine-tune… trains it on a CSV of pixels', async function () {
    this.timeout(300_000);
    // test/fixtures/onnx-zoo/converted.py: input [batch, 1, 28, 28], ten classes.
    const name = 'zoo-mnist';
    ({ page, view } = await openModelView(
      `${name}.onnx`,
      'test/fixtures/onnx-zoo/keras-style-cnn-opset8.onnx',
    ));
    await waitForText(view.getByTestId('import-status'), /^Model Lab can fine-tune this model/);
    await waitForText(view.getByTestId('origin'), /^ONNX opset 8 · /);
    assert.match((await view.getByTestId('ops').textContent()) ?? '', /MaxPool2supported/);
    await checkPasses(view);
    await screenshot(page, 'onnx-model-view-opset8-checked');
    // Digits 0, 1 and 2 as bands of rows of the 28×28 image, read as the model's class indices.
    await fineTuneFromView(
      page,
      name,
      (file) => writePixelsCsv(file, { side: 28, rows: 60, label: String }),
      'onnx-model-view-opset8-fine-tune',
    );
    await screenshot(page, 'onnx-model-view-opset8-trained');
  });

  it('a text classifier from PyTorch (bidirectional GRUs over token ids): Check passes, Fine-tune… trains it on a CSV of ids', async function () {
    this.timeout(300_000);
    // test/fixtures/onnx-zoo/export.py: nn.Embedding(50, 8), 2 bidirectional GRU layers, 3 classes, 10 ids per example.
    ({ page, view } = await openModelView(
      'view-text-classifier.onnx',
      'test/fixtures/onnx-zoo/gru-2layer-bidirectional-opset17.onnx',
    ));
    await waitForText(view.getByTestId('import-status'), /^Model Lab can fine-tune this model/);
    assert.match((await view.getByTestId('ops').textContent()) ?? '', /GRU2supported/);
    await checkPasses(view);
    await screenshot(page, 'onnx-model-view-text-classifier-checked');

    await fineTuneFromView(
      page,
      'view-text-classifier',
      (file) => {
        const rows = Array.from({ length: 60 }, (_, r) => [
          r % 3,
          ...Array.from({ length: 10 }, (_, t) => (r * 7 + t * 3) % 50),
        ]);
        const header = ['label', ...Array.from({ length: 10 }, (_, t) => `t${t}`)];
        writeFileSync(file, [header, ...rows].map((row) => row.join(',')).join('\n') + '\n');
      },
      'onnx-model-view-text-classifier-fine-tune',
    );
    await screenshot(page, 'onnx-model-view-text-classifier-fine-tuned');
  });

  it('a Hugging Face style export (input_ids, attention_mask, token_type_ids): fills the mask, asks for the sequence length, trains', async function () {
    this.timeout(300_000);
    // test/fixtures/onnx-zoo/export.py: a 2-layer BERT over 50 token ids, 3 classes, inputs over [batch, sequence].
    ({ page, view } = await openModelView(
      'view-bert.onnx',
      'test/fixtures/onnx-zoo/bert-style-opset17.onnx',
    ));
    await waitForText(
      view.getByTestId('import-status'),
      /^Model Lab can fine-tune this model: [\d,]+ of [\d,]+ parameter values train\. Fine-tuning feeds attention_mask = 1, token_type_ids = 0 at every position\. Fine-tune… asks for the size of sequence in one example\.$/,
    );
    assert.match(
      (await view.getByTestId('tensors').textContent()) ?? '',
      /attention_maskinput, filled with 1int64batch × sequence/,
    );
    await checkPasses(view);
    assert.match(
      (await view.getByTestId('check').textContent()) ?? '',
      /Checked with: sequence = 8, attention_mask filled with 1, token_type_ids filled with 0/,
    );
    await screenshot(page, 'onnx-model-view-bert-checked');

    const experiment = await fineTuneFromView(
      page,
      'view-bert',
      (file) => {
        const rows = Array.from({ length: 60 }, (_, r) => {
          const ids = Array.from({ length: 12 }, (_, t) => (r * 7 + t * 11 + r * t) % 50);
          return [...ids, ids[0] % 3];
        });
        const header = [...Array.from({ length: 12 }, (_, t) => `t${t}`), 'label'];
        writeFileSync(file, [header, ...rows].map((row) => row.join(',')).join('\n') + '\n');
      },
      'onnx-model-view-bert-fine-tune',
      async () => {
        await page.locator('.quick-input-title', { hasText: 'the size of "sequence"' }).waitFor();
        await screenshot(page, 'onnx-model-view-bert-sequence-question');
        const prompt = await answerInputBox(page, '12', 'the size of "sequence"');
        assert.match(prompt, /input_ids takes batch × sequence, and the file leaves "sequence" open/);
      },
    );
    assert.deepEqual(experiment.model, {
      onnx: 'view-bert.onnx',
      input: 'input_ids',
      sizes: { sequence: 12 },
      fill: { attention_mask: 1, token_type_ids: 0 },
    });
    await screenshot(page, 'onnx-model-view-bert-fine-tuned');
  });

  it('a model saved with its tokenizer.json: Fine-tune… reads a table of texts through it and trains', async function () {
    this.timeout(300_000);
    // The BERT-style export beside a WordPiece tokenizer of its 50 tokens ([PAD] is 0), as save_pretrained leaves them.
    await withTokenizerBeside(async () => {
      ({ page, view } = await openModelView(
        'view-reviews.onnx',
        'test/fixtures/onnx-zoo/bert-style-opset17.onnx',
      ));
      // The view says how texts are read: the mask and the type ids come from the tokenizer's ids.
      await waitForText(
        view.getByTestId('import-status'),
        /Fine-tune… reads texts through tokenizer\.json beside it: attention_mask is 0 at the padding, token_type_ids is 1 on the second text of a pair\. Fine-tune… asks for the size of sequence in one example\.$/,
      );
      assert.match(
        (await view.getByTestId('tensors').textContent()) ?? '',
        /attention_maskinput, the mask of the paddingint64batch × sequencetoken_type_idsinput, a pair's type idsint64/,
      );
      await screenshot(page, 'onnx-model-view-tokenizer');
      // Evaluate on data… reads a table of pairs of texts through the tokenizer: it asks their length in tokens.
      const pairs = [
        '"The cat sat.","The dog ran!",0',
        '"I love this movie.","It was so fun.",1',
        '"An awful film.","So boring.",2',
      ];
      writeFileSync(
        join(e2eSession().workspace, 'view-pairs.csv'),
        ['premise,hypothesis,label', ...pairs, ...pairs, ...pairs].join('\n') + '\n',
      );
      await view.getByTestId('evaluate-button').click();
      await pickQuickItem(page, 'CSV table');
      await openFileThroughDialog(page, join(e2eSession().workspace, 'view-pairs.csv'));
      await page
        .locator('.quick-input-title', { hasText: 'Evaluate view-reviews.onnx: the size of "sequence"' })
        .waitFor();
      const prompt = await answerInputBox(page, '12');
      assert.match(prompt, /how many tokens should each text \(or pair of texts\) be cut or padded to\?/);
      await waitForText(
        view.getByTestId('evaluation-scores'),
        /^9 examples of view-pairs\.csv: loss \d+(\.\d+)? · accuracy (0|1|0\.\d+)$/,
        120_000,
      );
      await screenshot(page, 'onnx-model-view-tokenizer-evaluated-pairs');
      const experiment = await fineTuneFromView(
        page,
        'view-reviews',
        (file) => {
          const texts = [
            'The cat sat on the mat.',
            'An awful, boring film!',
            'I love this movie, it was great.',
          ];
          const rows = Array.from({ length: 60 }, (_, r) => `"${texts[r % 3]}",${r % 3}`);
          writeFileSync(file, ['review,label', ...rows].join('\n') + '\n');
        },
        'onnx-model-view-tokenizer-fine-tune',
        () => answerInputBox(page, '12', 'the size of "sequence"').then(() => undefined),
      );
      assert.equal((experiment.data as { tokenizer?: string }).tokenizer, 'tokenizer.json');
      // The mask of the padding, and type ids 1 after the first [SEP] (3) for pairs of texts.
      assert.deepEqual((experiment.model as { fill?: object }).fill, {
        attention_mask: { padToken: 0 },
        token_type_ids: { padToken: 0, secondTextAfter: 3 },
      });
      await screenshot(page, 'onnx-model-view-tokenizer-fine-tuned');

      // The run keeps the tokenizer beside its model; Export Model… takes it along.
      const runsDir = join(e2eSession().workspace, '.modellab', 'runs', 'view-reviews');
      const [runId] = readdirSync(runsDir);
      assert.ok(existsSync(join(runsDir, runId, 'tokenizer.json')), "the run's tokenizer.json");
      const exported = join(e2eSession().workspace, 'exported');
      mkdirSync(exported, { recursive: true });
      await runCommand(page, 'Notifications: Clear All Notifications');
      await chooseFromContextMenu(page, runId, 'Export Model (ONNX)…');
      await openFileThroughDialog(page, join(exported, 'reviews.onnx'));
      await page
        .locator('.notification-toast', { hasText: 'with its tokenizer.json beside it' })
        .first()
        .waitFor({ timeout: 30_000 });
      for (const name of ['reviews.onnx', 'tokenizer.json', 'tokenizer_config.json'])
        assert.ok(existsSync(join(exported, name)), name);
      await screenshot(page, 'onnx-model-view-tokenizer-exported');

      // Its playground reads a typed review through the tokenizer, answering each change.
      await runCommand(page, 'Model Lab: Open Playground');
      await pickQuickItem(page, `view-reviews / ${runId}`);
      const playground = await panelWith(page, '#text-0');
      assert.match((await playground.locator('label[for="text-0"]').textContent()) ?? '', /^review/);
      const review = playground.locator('#text-0');
      const bars = playground.locator('#probabilities');
      await review.fill('I love this movie.');
      await waitUntil('the typed review to be answered', async () =>
        (await bars.locator('.probability').count()) === 3 ? true : undefined,
      );
      const first = await bars.getAttribute('data-probabilities');
      await review.fill('An awful, boring film!');
      await waitUntil('the second review to be answered', async () =>
        (await bars.getAttribute('data-probabilities')) !== first ? true : undefined,
      );
      assert.deepEqual(await bars.locator('.probability .label').allTextContents(), ['0', '1', '2']);
      await screenshot(page, 'playground-typed-text');
    });
  });

  it("a GPT-2 style export saved with its tokenizer.json: Fine-tune… reads the text as the tokenizer's tokens and trains", async function () {
    this.timeout(300_000);
    // The GPT-2 style export (50 token ids) beside the WordPiece tokenizer of 50 tokens.
    await withTokenizerBeside(async () => {
      ({ page, view } = await openModelView(
        'view-story.onnx',
        'test/fixtures/onnx-zoo/gpt2-style-opset17.onnx',
      ));
      await waitForText(view.getByTestId('import-status'), /Fine-tune… asks for the size of sequence/);
      const experiment = await fineTuneFromView(
        page,
        'view-story',
        (file) => writeFileSync(file, 'The cat sat on the mat. The dog ran on the mat. '.repeat(60)),
        'onnx-model-view-gpt2-tokenizer-fine-tune',
        () => answerInputBox(page, '16', 'the size of "sequence"').then(() => undefined),
        { task: 'language-model', source: 'data.txt' },
      );
      assert.equal((experiment.data as { tokenizer?: string }).tokenizer, 'tokenizer.json');
      // The run's end reaches the window: its notification, and the status bar lets the run go.
      await page
        .locator('.notification-toast', { hasText: 'view-story finished' })
        .first()
        .waitFor({ timeout: 30_000 });
      await page
        .locator('.statusbar-item', { hasText: 'view-story' })
        .waitFor({ state: 'hidden', timeout: 10_000 });
      await screenshot(page, 'onnx-model-view-gpt2-tokenizer-fine-tuned');
    });
  });
});
