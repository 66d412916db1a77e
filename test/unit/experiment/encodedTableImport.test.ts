/**
 * A run's model.onnx of a table (categorical columns, filled gaps) imported to fine-tune on new
 * rows: it reads the columns its metadata names, encoded and filled as it says, so the experiment
 * needs no data.columns or data.categorical, and one that gives them is warned they are not used.
 * Its weights train; its input scaling stays as it was.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseExperimentText, validateExperiment } from '../../../src/experiment/validate';
import { listRuns, readEvalReport } from '../../../src/runs/runReader';
import { quickTraining } from '../../fixtures/experimentParts';
import { modelLab } from '../../fixtures/modelLabCli';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'onnx', 'table-encoded');
const root = mkdtempSync(join(tmpdir(), 'modellab-encoded-table-'));
after(() => rmSync(root, { recursive: true, force: true }));

function experiment(data: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      name: 'ports-tuned',
      task: 'classification',
      data: {
        source: 'ports.csv',
        target: 'survived',
        normalize: 'none',
        splits: { train: 0.7, validation: 0.15, test: 0.15 },
        seed: 3,
        ...data,
      },
      model: { onnx: 'ports.onnx' },
      training: quickTraining({ epochs: 2, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 } }),
      metrics: ['accuracy'],
    },
    null,
    2,
  );
}

describe("fine-tuning a run's model.onnx of a table", () => {
  it('reads its columns by name without data.columns, trains its weights, and reports its classes', async () => {
    copyFileSync(join(FIXTURE, 'model.onnx'), join(root, 'ports.onnx'));
    // The fixture's rows with the columns in another order.
    const [header, ...rows] = readFileSync(join(FIXTURE, 'ports.csv'), 'utf8').trim().split('\n');
    const order = ['port', 'survived', 'fare', 'age'].map((name) => header.split(',').indexOf(name));
    writeFileSync(
      join(root, 'ports.csv'),
      [header, ...rows].map((row) => order.map((at) => row.split(',')[at]).join(',')).join('\n') + '\n',
    );
    const file = join(root, 'ports.experiment.json');
    writeFileSync(file, experiment());
    const { problems } = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), root);
    assert.deepEqual(problems, []);

    const summary = modelLab('summary', file, '--json');
    assert.equal(summary.status, 0, summary.stderr);
    // The dense layer's 5 × 2 weights and 2 biases; the scaling's shift and scale are constants.
    assert.equal(JSON.parse(summary.stdout).totalParams, 12);

    const trained = modelLab('train', file, '--runs-dir', join(root, 'runs'), '--device', 'cpu');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(join(root, 'runs'), 'ports-tuned');
    const report = readEvalReport(run.dir)!;
    assert.deepEqual(
      report.classes?.map((c) => c.label),
      ['no', 'yes'],
    );
    assert.ok(report.accuracy! > 0.8, `the fine-tuned model still knows the ports: ${report.accuracy}`);
  });

  it('warns that data.columns and data.categorical are not used, on those fields', async () => {
    const file = join(root, 'ports.experiment.json');
    writeFileSync(file, experiment({ columns: ['fare', 'port'], categorical: ['port'] }));
    const text = readFileSync(file, 'utf8');
    const { problems } = await validateExperiment(parseExperimentText(text), root);
    const lines = text.split('\n');
    assert.deepEqual(
      problems.map((p) => [p.severity, p.message, lines[p.range.start.line].trim()]),
      ['columns', 'categorical'].map((field) => [
        'warning',
        `ports.onnx reads the columns "fare", "age", "port" by name, encoded as its metadata says: data.${field} is not used, remove it`,
        `"${field}": [`,
      ]),
    );
  });
});
