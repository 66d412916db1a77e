/**
 * Fine-tuning an imported ONNX model through the normal trainer: `"model": { "onnx": … }` in an
 * experiment file, a CSV whose 64 features are viewed row-major as the CNN's [1, 8, 8] input,
 * trained by `model-lab train` with checkpoints, evaluation, resume and a model.onnx export that
 * runs for any batch size. And the diagnostics of experiments whose import cannot work.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { CLASSES_KEY } from '../../../src/engine/runtime/exportDoc';
import { parseExperimentText, validateExperiment } from '../../../src/experiment/validate';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns, readEvalReport, readMetrics } from '../../../src/runs/runReader';
import { importOnnxFile, readOnnxFile } from '../../../src/engine/onnx';
import { onnxExperiment } from '../../../src/experiment/onnxExperiment';
import { modelPath } from '../engine/onnxFixtures';
import { modelLab } from '../../fixtures/modelLabCli';
import type { ModelSummary } from '../../../src/contract/modelSummary';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** 90 rows of 64 pixel values and a class: the mean brightness decides it. */
function pixelsCsv(): string {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const header = [...Array.from({ length: 64 }, (_, i) => `p${i}`), 'label'].join(',');
  const rows = Array.from({ length: 90 }, () => {
    const pixels = Array.from({ length: 64 }, () => next());
    const mean = pixels.reduce((a, b) => a + b, 0) / 64;
    const label = mean < -0.03 ? 'dark' : mean > 0.03 ? 'light' : 'grey';
    return [...pixels.map((v) => v.toFixed(4)), label].join(',');
  });
  return [header, ...rows].join('\n') + '\n';
}

function experiment(model: Record<string, unknown>, name = 'pixels-cnn'): string {
  return JSON.stringify(
    {
      name,
      task: 'classification',
      data: {
        source: 'pixels.csv',
        target: 'label',
        splits: { train: 0.7, validation: 0.15, test: 0.15 },
        seed: 3,
      },
      model,
      training: {
        epochs: 50,
        batchSize: 8,
        optimizer: { type: 'adam', learningRate: 0.01 },
        loss: 'cross-entropy',
        seed: 1,
      },
      metrics: ['accuracy'],
    },
    null,
    2,
  );
}

/** The class names a run's model.onnx keeps in its metadata. */
function exportedClasses(runDir: string): unknown {
  const model = onnx.ModelProto.decode(readFileSync(join(runDir, RUN_FILES.model)));
  const entry = model.metadataProps?.find((p) => p.key === CLASSES_KEY);
  return entry?.value ? JSON.parse(entry.value) : undefined;
}

function workspace(model: Record<string, unknown>): { dir: string; file: string } {
  const dir = mkdtempSync(join(root, 'ws-'));
  copyFileSync(modelPath('cnn'), join(dir, 'cnn.onnx'));
  copyFileSync(modelPath('lstm'), join(dir, 'lstm.onnx'));
  writeFileSync(join(dir, 'pixels.csv'), pixelsCsv());
  const file = join(dir, 'pixels.experiment.json');
  writeFileSync(file, experiment(model));
  return { dir, file };
}

describe('fine-tuning an imported ONNX model', () => {
  it('model-lab train fine-tunes it: metrics, evaluation, checkpoints, resume, export', async () => {
    const { dir, file } = workspace({ onnx: 'cnn.onnx' });
    const runsDir = join(dir, 'runs');
    const args = ['train', file, '--runs-dir', runsDir, '--device', 'cpu'];
    const first = modelLab(...args, '--max-steps', '12');
    assert.equal(first.status, 0, first.stderr);
    const [run] = listRuns(runsDir, 'pixels-cnn');
    assert.equal(run.info?.status, 'completed');
    const losses = readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'loss');
    assert.equal(losses.length, 12);
    assert.ok(readMetrics(run.dir).some((r) => r.split === 'validation' && r.name === 'accuracy'));
    assert.deepEqual(
      readEvalReport(run.dir)?.classes?.map((c) => c.label),
      ['dark', 'grey', 'light'],
    );
    assert.equal(loadCheckpoint(run.dir, 'last').position.step, 12);

    const resumed = modelLab(...args, '--max-steps', '20', '--resume', run.dir);
    assert.equal(resumed.status, 0, resumed.stderr);
    const second = listRuns(runsDir, 'pixels-cnn').find((entry) => entry.dir !== run.dir)!;
    assert.equal(loadCheckpoint(second.dir, 'last').position.step, 20);

    // The export is the original graph with trained weights: any batch size, new predictions.
    const exported = await ort.InferenceSession.create(readFileSync(join(second.dir, RUN_FILES.model)));
    const original = await ort.InferenceSession.create(readFileSync(modelPath('cnn')));
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 5 * 64 }, (_, i) => Math.sin(i)),
      [5, 1, 8, 8],
    );
    const tuned = (await exported.run({ input: x })).output.data as Float32Array;
    const before = (await original.run({ input: x })).output.data as Float32Array;
    assert.equal(tuned.length, 15);
    assert.ok(
      tuned.some((v, i) => Math.abs(v - before[i]) > 1e-3),
      'fine-tuning changed the outputs',
    );
    await exported.release();
    await original.release();
  });
});

describe('fine-tuning on split files', () => {
  it('model-lab train reads train / validation / test from their own files', () => {
    const { dir, file } = workspace({ onnx: 'cnn.onnx' });
    // The same 90 rows, cut into files: 48 to train on, 18 to validate, 24 to test.
    const [header, ...rows] = pixelsCsv().trim().split('\n');
    const write = (name: string, part: string[]) =>
      writeFileSync(join(dir, name), [header, ...part].join('\n') + '\n');
    write('train.csv', rows.slice(0, 48));
    write('val.csv', rows.slice(48, 66));
    write('test.csv', rows.slice(66));
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.data.source = { train: 'train.csv', validation: 'val.csv', test: 'test.csv' };
    delete config.data.splits;
    config.training.epochs = 1;
    writeFileSync(file, JSON.stringify(config, null, 2));
    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'pixels-cnn');
    assert.equal(run.info?.status, 'completed');
    const losses = readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'loss');
    assert.equal(losses.at(-1)?.step, 48 / 8, 'one epoch is the 48 rows of train.csv in batches of 8');
    const report = readEvalReport(run.dir);
    assert.equal(report?.count, 24, 'the test evaluation scores the 24 rows of test.csv');
  });
});

describe('fine-tuning a model trained on other classes', () => {
  /** The same rows with two classes where the model scores three: grey is counted as dark. */
  const twoClasses = (dir: string) =>
    writeFileSync(join(dir, 'pixels.csv'), pixelsCsv().replace(/,grey$/gm, ',dark'));

  it('asks for "newHead" on the model field, then trains a new last layer of the data\'s size', async () => {
    const { dir, file } = workspace({ onnx: 'cnn.onnx' });
    twoClasses(dir);
    const problems = async () =>
      (await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir)).problems;
    const [refused, ...others] = await problems();
    assert.deepEqual(others, []);
    const onnxLine = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes('"onnx"'));
    assert.equal(refused.range.start.line, onnxLine, 'on the model\'s "onnx" line');
    assert.equal(
      refused.message,
      'output of cnn.onnx gives [3] per example, but the data needs [2]: add "newHead": true to train a new last layer of that size in place of its own',
    );

    // The summary's last layer is the file's own: Gemm over 6 features to 3 classes.
    const summary = () => {
      const printed = modelLab('summary', file, '--json');
      assert.equal(printed.status, 0, printed.stderr);
      return JSON.parse(printed.stdout) as ModelSummary;
    };
    const own = summary();
    assert.deepEqual(
      [own.layers.at(-1)?.type, own.layers.at(-1)?.outputShape, own.layers.at(-1)?.params],
      ['Gemm', [3], 6 * 3 + 3],
    );

    writeFileSync(file, experiment({ onnx: 'cnn.onnx', newHead: true }));
    assert.deepEqual(await problems(), []);
    // With newHead the summary reads the data: its last layer scores the data's two classes.
    const headed = summary();
    assert.deepEqual(
      [headed.layers.at(-1)?.type, headed.layers.at(-1)?.outputShape, headed.layers.at(-1)?.params],
      ['Gemm', [2], 6 * 2 + 2],
    );
    assert.equal(headed.totalParams, own.totalParams - 7);
    const runsDir = join(dir, 'runs');
    const args = ['train', file, '--runs-dir', runsDir, '--device', 'cpu'];
    const trained = modelLab(...args, '--max-steps', '8');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'pixels-cnn');
    assert.deepEqual(
      readEvalReport(run.dir)?.classes?.map((c) => c.label),
      ['dark', 'light'],
    );
    // A resume starts from the checkpoint's head, of the new size.
    const resumed = modelLab(...args, '--max-steps', '12', '--resume', run.dir);
    assert.equal(resumed.status, 0, resumed.stderr);
    const second = listRuns(runsDir, 'pixels-cnn').find((entry) => entry.dir !== run.dir)!;
    assert.equal(loadCheckpoint(second.dir, 'last').position.step, 12);

    // model.onnx scores two classes, for any batch size.
    const exported = await ort.InferenceSession.create(readFileSync(join(second.dir, RUN_FILES.model)));
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 64 }, (_, i) => Math.sin(i)),
      [3, 1, 8, 8],
    );
    assert.deepEqual((await exported.run({ input: x })).output.dims, [3, 2]);
    await exported.release();
    // Its metadata names the new head's classes.
    assert.deepEqual(exportedClasses(second.dir), ['dark', 'light']);
  });

  it("keeps its own last layer for data labelled with some of its class indices: scores and report are the model's classes", async () => {
    const { dir, file } = workspace({ onnx: 'cnn.onnx' });
    // Classes 0 and 2 of its three (no grey rows).
    const rows = pixelsCsv().split('\n');
    const relabelled = rows
      .filter((row) => !row.endsWith(',grey'))
      .map((row) => row.replace(/,dark$/, ',0').replace(/,light$/, ',2'));
    writeFileSync(join(dir, 'pixels.csv'), relabelled.join('\n'));
    // Trained as they are, with a warning that says so, and the fix were they classes of the user's own.
    const { problems } = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    const text = readFileSync(file, 'utf8').split('\n');
    assert.deepEqual(
      problems.map((p) => [p.severity, p.message, text[p.range.start.line].trim()]),
      [
        [
          'warning',
          'the labels are read as class indices of cnn.onnx: the data holds 2 of its 3 classes. If they are classes of your own, add "newHead": true to train a new last layer for them',
          '"onnx": "cnn.onnx"',
        ],
      ],
    );
    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '8');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'pixels-cnn');
    assert.deepEqual(
      readEvalReport(run.dir)?.classes?.map((c) => c.label),
      ['0', '1', '2'],
    );
    assert.deepEqual(exportedClasses(run.dir), ['0', '1', '2']);
  });

  it('with "freeze": "backbone" only the new last layer trains: model.onnx keeps every other weight', async () => {
    const { dir, file } = workspace({ onnx: 'cnn.onnx' });
    twoClasses(dir);
    writeFileSync(file, experiment({ onnx: 'cnn.onnx', newHead: true, freeze: 'backbone' }));
    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '8');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'pixels-cnn');
    const original = readOnnxFile(modelPath('cnn'));
    const tuned = readOnnxFile(join(run.dir, RUN_FILES.model));
    const head = original.nodes.find((n) => n.opType === 'Gemm')!.inputs.slice(1);
    for (const [name, tensor] of original.initializers) {
      if (head.includes(name)) continue;
      assert.deepEqual(tuned.initializers.get(name)?.data, tensor.data, `${name} is frozen`);
    }
    assert.deepEqual(tuned.initializers.get(head[0])?.dims.includes(2), true, 'the head has two outputs');
    assert.equal(
      readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'loss').length,
      8,
      'it trained',
    );
  });
});

describe('experiments importing a model that cannot work say so on the model field', () => {
  const problemsOf = async (model: Record<string, unknown>) => {
    const { dir, file } = workspace(model);
    const { problems } = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    return problems.map((p) => p.message);
  };

  it('a valid import has no problems', async () => {
    assert.deepEqual(await problemsOf({ onnx: 'cnn.onnx' }), []);
  });

  it('a missing file', async () => {
    assert.deepEqual(await problemsOf({ onnx: 'missing.onnx' }), [
      'the model file "missing.onnx" does not exist (paths are relative to this experiment file)',
    ]);
  });

  it('input shapes that do not fit the data', async () => {
    const [message] = await problemsOf({ onnx: 'lstm.onnx' });
    assert.equal(
      message,
      'the data gives examples of shape [64] (64 values), but input input of lstm.onnx takes [6, 3] (18 values) per example',
    );
  });

  it('layers next to an imported model, and a named output that does not exist', async () => {
    const messages = await problemsOf({ onnx: 'cnn.onnx', layers: [{ type: 'flatten' }], output: 'logits' });
    assert.deepEqual(messages, [
      'an imported model takes its layers from its ONNX file: remove "layers"',
      'cnn.onnx: the graph has no output named logits; its outputs are: output',
    ]);
  });

  it('a layers model still needs its layers', async () => {
    assert.deepEqual(await problemsOf({ input: { shape: [64] } }), [
      'model is missing "layers" (or "onnx" to import a model from an ONNX file)',
    ]);
  });
});

describe('the experiment scaffolded for an imported model', () => {
  it('picks the task from the output, validates once data.csv is there, and trains to completion', async () => {
    assert.equal(
      onnxExperiment(importOnnxFile(modelPath('transformer')), 'm.onnx', 'lm').task,
      'language-model',
    );
    assert.equal(onnxExperiment(importOnnxFile(modelPath('gru')), 'm.onnx', 'waves').task, 'regression');
    const { dir } = workspace({ onnx: 'cnn.onnx' });
    const scaffolded = onnxExperiment(importOnnxFile(join(dir, 'cnn.onnx')), 'cnn.onnx', 'cnn');
    assert.equal(scaffolded.task, 'classification');
    const file = join(dir, 'cnn.experiment.json');
    writeFileSync(file, JSON.stringify(scaffolded, null, 2));
    const missing = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    assert.deepEqual(
      missing.problems.map((p) => p.message),
      ['the data file "data.csv" does not exist (paths are relative to this experiment file)'],
    );
    writeFileSync(join(dir, 'data.csv'), pixelsCsv());
    const valid = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    assert.deepEqual(valid.problems, []);
    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '3');
    assert.equal(trained.status, 0, trained.stderr);
    assert.equal(listRuns(runsDir, 'cnn')[0].info?.status, 'completed');
  });
});
