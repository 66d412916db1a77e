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
import { INPUT_ENCODING_KEY, INPUT_SCALING_KEY } from '../../../src/engine/runtime/exportDoc';
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
  assert.deepEqual(
    model.graph!.node!.slice(0, 2).map((node) => node.opType),
    ['Sub', 'Div'],
  );
  const scaling = JSON.parse(model.metadataProps!.find((p) => p.key === INPUT_SCALING_KEY)!.value!);
  assert.equal(scaling.shift.length, width);
  assert.ok(scaling.scale.every((scale: number) => scale > 0));
});

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
  const experimentFile = join(dir, 'ports.experiment.json');
  writeFileSync(experimentFile, JSON.stringify(experiment));
  const train = spawnSync(
    process.execPath,
    ['--import', 'tsx', cli, 'train', experimentFile, '--runs-dir', join(dir, 'runs'), '--device', 'cpu'],
    { encoding: 'utf8' },
  );
  assert.equal(train.status, 0, train.stderr);
  const [run] = listRuns(join(dir, 'runs'), 'ports');
  const report = readEvalReport(run.dir)!;
  const model = onnx.ModelProto.decode(readFileSync(join(run.dir, RUN_FILES.model)));
  const encoding = JSON.parse(model.metadataProps!.find((p) => p.key === INPUT_ENCODING_KEY)!.value!);
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
  const session = await ort.InferenceSession.create(readFileSync(join(run.dir, RUN_FILES.model)));
  const { output } = await session.run({
    input: new ort.Tensor('float32', Float32Array.from(features), [testRows.length, 3]),
  });
  await session.release();
  const classes = report.classes!.map((c) => c.label);
  const scores = output.data as Float32Array;
  const correct = testRows.filter(([, , label], i) => {
    const row = Array.from(scores.subarray(i * 2, i * 2 + 2));
    return classes[row.indexOf(Math.max(...row))] === label;
  }).length;
  assert.ok(report.accuracy! > 0.9, `the run learned the ports (test accuracy ${report.accuracy})`);
  assert.equal(correct / testRows.length, report.accuracy);
});
