/**
 * model.onnx takes the data as the user has it: the feature scaling fitted at
 * training is part of the graph, so raw CSV rows give the trained accuracy
 * (before, they gave chance accuracy: the model expected scaled features).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { parseCsv } from '../../../src/data/csv';
import { assignSplits } from '../../../src/data/splits';
import { CLASSES_KEY, INPUT_ENCODING_KEY, INPUT_SCALING_KEY } from '../../../src/engine/runtime/exportDoc';
import { evaluateOnnxOnData } from '../../../src/trainer/onnxDataEvaluation';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { quickTraining } from '../../fixtures/experimentParts';
import { listRuns, readEvalReport } from '../../../src/runs/runReader';

const cli = resolve(__dirname, '../../../src/cli/cli.ts');
const templateDir = resolve(__dirname, '../../../templates/mlp-wine');
const runsDir = mkdtempSync(join(tmpdir(), 'model-lab-export-'));
after(() => rmSync(runsDir, { recursive: true, force: true }));

test('raw wine CSV rows through model.onnx give the accuracy the run reported on its test split', async () => {
  const experimentFile = join(templateDir, 'wine-mlp.experiment.json');
  const train = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'train',
      experimentFile,
      '--runs-dir',
      runsDir,
      '--device',
      'cpu',
      '--max-steps',
      '150',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(train.status, 0, train.stderr);
  const [run] = listRuns(runsDir, 'wine-mlp');
  const report = readEvalReport(run.dir)!;

  // The test split's rows exactly as they are in wine.csv: no scaling here.
  const experiment = JSON.parse(readFileSync(experimentFile, 'utf8'));
  const [header, ...rows] = parseCsv(readFileSync(join(templateDir, 'wine.csv'), 'utf8'), 'wine.csv');
  const target = header.cells.indexOf(experiment.data.target);
  const splits = assignSplits(rows.length, experiment.data.splits, experiment.data.seed);
  const testRows = Array.from(splits.test, (r) => rows[r].cells);
  const features = testRows.flatMap((cells) => cells.filter((_, c) => c !== target).map(Number));
  const labels = testRows.map((cells) => cells[target]);
  const classes = report.classes!.map((c) => c.label);

  const session = await ort.InferenceSession.create(readFileSync(join(run.dir, RUN_FILES.model)));
  const width = header.cells.length - 1;
  const { output } = await session.run({
    input: new ort.Tensor('float32', Float32Array.from(features), [testRows.length, width]),
  });
  const scores = output.data as Float32Array;
  const predicted = labels.map((_, i) => {
    const row = Array.from(scores.subarray(i * classes.length, (i + 1) * classes.length));
    return classes[row.indexOf(Math.max(...row))];
  });
  const accuracy = predicted.filter((label, i) => label === labels[i]).length / labels.length;
  await session.release();

  assert.equal(testRows.length, report.count);
  assert.ok(report.accuracy! > 0.85, `the run itself learned (test accuracy ${report.accuracy})`);
  assert.equal(accuracy, report.accuracy);

  // The graph starts by scaling its input, and the metadata says with what.
  const model = onnx.ModelProto.decode(readFileSync(join(run.dir, RUN_FILES.model)));
  const ops = model.graph!.node!.map((node) => node.opType).filter((op) => op !== 'Constant');
  assert.deepEqual(ops.slice(0, 2), ['Sub', 'Div']);
  // Its shift and scale are Constant nodes, not initializers: a framework that fine-tunes the
  // file (Model Lab's import included) trains float initializers, and these are no weights.
  assert.deepEqual(
    model.graph!.initializer!.map((t) => t.name).sort(),
    ['layer0', 'layer2', 'layer3'].flatMap((layer) => [`${layer}.dense.bias`, `${layer}.dense.weight`]),
  );
  const scaling = JSON.parse(model.metadataProps!.find((p) => p.key === INPUT_SCALING_KEY)!.value!);
  assert.equal(scaling.shift.length, width);
  assert.ok(scaling.scale.every((scale: number) => scale > 0));

  // It names its classes too, so rows of only two cultivars are scored by name: the same
  // predictions, where the data's own two labels would have been renumbered 0 and 1 (or refused).
  assert.deepEqual(JSON.parse(model.metadataProps!.find((p) => p.key === CLASSES_KEY)!.value!), classes);
  const notFirst = testRows.flatMap((cells, i) => (labels[i] === classes[0] ? [] : [{ cells, i }]));
  const subset = join(runsDir, 'two-cultivars.csv');
  writeFileSync(
    subset,
    [header.cells, ...notFirst.map((row) => row.cells)].map((cells) => cells.join(',')).join('\n'),
  );
  const scored = await evaluateOnnxOnData(join(run.dir, RUN_FILES.model), subset, createTrainerDeps());
  assert.equal(scored.count, notFirst.length);
  const right = notFirst.filter(({ i }) => predicted[i] === labels[i]).length;
  assert.equal(scored.values.accuracy, right / notFirst.length);
});

/** Trains `experiment` (its data already in `dir`) with the CLI; the run, its report and model. */
function trainTable(dir: string, experiment: { name: string }) {
  const experimentFile = join(dir, `${experiment.name}.experiment.json`);
  writeFileSync(experimentFile, JSON.stringify(experiment));
  const train = spawnSync(
    process.execPath,
    ['--import', 'tsx', cli, 'train', experimentFile, '--runs-dir', join(dir, 'runs'), '--device', 'cpu'],
    { encoding: 'utf8' },
  );
  assert.equal(train.status, 0, train.stderr);
  const [run] = listRuns(join(dir, 'runs'), experiment.name);
  const model = onnx.ModelProto.decode(readFileSync(join(run.dir, RUN_FILES.model)));
  const encoding = JSON.parse(model.metadataProps!.find((p) => p.key === INPUT_ENCODING_KEY)!.value!);
  return { stderr: train.stderr, dir: run.dir, report: readEvalReport(run.dir)!, model, encoding };
}

/** The share of `labels` model.onnx of the run in `runDir` predicts from `features` (rows × width). */
async function onnxAccuracy(runDir: string, features: number[], labels: string[], classes: string[]) {
  const session = await ort.InferenceSession.create(readFileSync(join(runDir, RUN_FILES.model)));
  const width = features.length / labels.length;
  const { output } = await session.run({
    input: new ort.Tensor('float32', Float32Array.from(features), [labels.length, width]),
  });
  await session.release();
  const scores = output.data as Float32Array;
  const correct = labels.filter((label, i) => {
    const row = Array.from(scores.subarray(i * classes.length, (i + 1) * classes.length));
    return classes[row.indexOf(Math.max(...row))] === label;
  }).length;
  return correct / labels.length;
}

test('with categorical columns, model.onnx takes rows encoded as its metadata says and gives the run’s test accuracy', async () => {
  const dir = mkdtempSync(join(runsDir, 'categorical-'));
  // The class follows the port; one test row embarks at "Q", a port no training row has.
  const splits = { train: 0.6, validation: 0.2, test: 0.2 };
  const split = assignSplits(240, splits, 4);
  const rows = Array.from({ length: 240 }, (_, i) => {
    const port = i === split.test[0] ? 'Q' : ['S', 'C'][i % 2];
    return [String((i * 7) % 13), port, port === 'C' ? 'yes' : 'no'];
  });
  writeFileSync(
    join(dir, 'ports.csv'),
    ['fare,port,survived', ...rows.map((r) => r.join(','))].join('\n') + '\n',
  );
  const experiment = {
    name: 'ports',
    task: 'classification',
    data: {
      source: 'ports.csv',
      target: 'survived',
      categorical: ['port'],
      splits,
      seed: 4,
    },
    model: { input: { shape: [3] }, layers: [{ type: 'dense', units: 2 }] },
    training: quickTraining({ epochs: 30, optimizer: { type: 'adam', learningRate: 0.05 } }),
  };
  const { dir: runDir, report, model, encoding } = trainTable(dir, experiment);
  assert.deepEqual(encoding, {
    numeric: ['fare'],
    categorical: [{ column: 'port', categories: ['C', 'S'] }],
  });
  assert.match(
    model.docString!,
    /its numeric columns as they are in the data file, then one position per category/,
  );

  // The test rows encoded from the metadata alone: fare as it is, then port one-hot ("Q" all zeros).
  const testRows = Array.from(split.test, (r) => rows[r]);
  assert.ok(
    testRows.some(([, port]) => port === 'Q'),
    'the test split holds a port training never saw',
  );
  const categories: string[] = encoding.categorical[0].categories;
  const features = testRows.flatMap(([fare, port]) => [
    Number(fare),
    ...categories.map((c) => (c === port ? 1 : 0)),
  ]);
  const classes = report.classes!.map((c) => c.label);
  const labels = testRows.map(([, , label]) => label);
  assert.ok(report.accuracy! > 0.9, `the run learned the ports (test accuracy ${report.accuracy})`);
  assert.equal(await onnxAccuracy(runDir, features, labels, classes), report.accuracy);
});

test('with data.missing "fill", model.onnx records the fill values: rows filled from its metadata give the run’s test accuracy', async () => {
  const dir = mkdtempSync(join(runsDir, 'missing-'));
  const splits = { train: 0.6, validation: 0.2, test: 0.2 };
  const split = assignSplits(240, splits, 6);
  // The class follows the port; some ages and ports are empty (an empty port reads as the
  // training rows' most frequent one, so its row is labelled as that port's are).
  const rows = Array.from({ length: 240 }, (_, i) => {
    const port = i % 17 === 5 ? '' : ['S', 'C', 'S'][i % 3];
    const age = i % 9 === 4 ? '' : String(20 + ((i * 11) % 40));
    return [String((i * 7) % 13), age, port, port === 'C' ? 'yes' : 'no'];
  });
  const noLabel = ['3', '30', 'S', ''];
  writeFileSync(
    join(dir, 'titanic.csv'),
    ['fare,age,port,survived', ...[...rows, noLabel].map((r) => r.join(','))].join('\n') + '\n',
  );
  const experiment = {
    name: 'titanic',
    task: 'classification',
    data: {
      source: 'titanic.csv',
      target: 'survived',
      categorical: ['port'],
      missing: 'fill',
      splits,
      seed: 6,
    },
    model: { input: { shape: [4] }, layers: [{ type: 'dense', units: 2 }] },
    training: quickTraining({ epochs: 30, optimizer: { type: 'adam', learningRate: 0.05 } }),
  };
  const { stderr, dir: runDir, report, model, encoding } = trainTable(dir, experiment);
  assert.match(stderr, /data\.missing "fill" left out 1 of 241 rows: they have no target\./);
  assert.match(model.docString!, /first each empty cell replaced by its column's value in fill/);

  // The fill values are the training rows' own: mean age (not all rows'), most frequent port.
  const trainRows = Array.from(split.train, (r) => rows[r]);
  const ages = trainRows.filter(([, age]) => age !== '').map(([, age]) => Number(age));
  const meanAge = ages.reduce((a, b) => a + b, 0) / ages.length;
  const fares = trainRows.map(([fare]) => Number(fare));
  const count = (port: string) => trainRows.filter(([, , p]) => p === port).length;
  assert.deepEqual(Object.keys(encoding.fill), ['fare', 'age', 'port']);
  assert.ok(
    Math.abs(encoding.fill.age - meanAge) < 1e-9,
    `age fill ${encoding.fill.age}, training mean ${meanAge}`,
  );
  assert.ok(Math.abs(encoding.fill.fare - fares.reduce((a, b) => a + b, 0) / fares.length) < 1e-9);
  assert.equal(encoding.fill.port, count('S') > count('C') ? 'S' : 'C');
  assert.deepEqual(encoding.categorical, [{ column: 'port', categories: ['C', 'S'] }]);

  // The test rows prepared from the metadata alone: gaps filled, then fare, age, port one-hot.
  const testRows = Array.from(split.test, (r) => rows[r]);
  assert.ok(
    testRows.some(([, age, port]) => age === '' || port === ''),
    'the test split has gaps',
  );
  const filled = (cell: string, column: string) => (cell === '' ? encoding.fill[column] : cell);
  const features = testRows.flatMap(([fare, age, port]) => [
    Number(filled(fare, 'fare')),
    Number(filled(age, 'age')),
    ...encoding.categorical[0].categories.map((c: string) => (c === filled(port, 'port') ? 1 : 0)),
  ]);
  const classes = report.classes!.map((c) => c.label);
  const labels = testRows.map(([, , , label]) => label);
  assert.ok(report.accuracy! > 0.9, `the run learned the ports (test accuracy ${report.accuracy})`);
  assert.equal(await onnxAccuracy(runDir, features, labels, classes), report.accuracy);

  // Evaluate on data… of model.onnx reads a table by its column names (here in another order),
  // encoded and filled as the metadata says: the run's test accuracy on its test rows.
  const reordered = join(dir, 'titanic-test.csv');
  writeFileSync(
    reordered,
    [
      'port,survived,age,fare',
      ...testRows.map(([fare, age, port, label]) => [port, label, age, fare].join(',')),
    ].join('\n'),
  );
  const scored = await evaluateOnnxOnData(join(runDir, RUN_FILES.model), reordered, createTrainerDeps());
  assert.equal(scored.count, testRows.length);
  assert.equal(scored.values.accuracy, report.accuracy);
  // A table without one of its columns is refused, naming it.
  writeFileSync(
    reordered,
    ['port,survived,fare', ...testRows.map(([fare, , port, label]) => [port, label, fare].join(','))].join(
      '\n',
    ),
  );
  await assert.rejects(
    evaluateOnnxOnData(join(runDir, RUN_FILES.model), reordered, createTrainerDeps()),
    /titanic-test\.csv:1: the model reads the columns "fare", "age", "port" by name, and the table has no "age"/,
  );
});
