// Training dynamics end to end: an experiment with training.dynamics trained by the CLI leaves
// dynamics.jsonl in its run folder, one record every N steps; a bad setting is refused first.
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { DynamicsFileTail } from '../../../src/runs/metricsFileTail';
import { listRuns, readMetrics } from '../../../src/runs/runReader';
import { modelLab } from '../../fixtures/modelLabCli';

const wine = resolve(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
const root = mkdtempSync(join(tmpdir(), 'modellab-dynamics-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The wine template with `dynamics` in its training section, beside a copy of its data. */
function wineWith(dynamics: unknown): string {
  const folder = mkdtempSync(join(root, 'wine-'));
  copyFileSync(join(dirname(wine), 'wine.csv'), join(folder, 'wine.csv'));
  const experiment = JSON.parse(readFileSync(wine, 'utf8'));
  const file = join(folder, 'wine-mlp.experiment.json');
  writeFileSync(
    file,
    JSON.stringify({ ...experiment, training: { ...experiment.training, dynamics } }, null, 2),
  );
  return file;
}

test('model-lab train records dynamics.jsonl every N steps, each record at a step that has its loss', async () => {
  const runsDir = join(root, 'runs');
  const result = modelLab(
    'train',
    wineWith({ everySteps: 5 }),
    '--runs-dir',
    runsDir,
    '--device',
    'cpu',
    '--max-steps',
    '20',
  );
  assert.equal(result.status, 0, result.stderr);
  const [run] = listRuns(runsDir, 'wine-mlp');
  const { records } = await new DynamicsFileTail(run.dir).read();
  assert.deepEqual(
    records.map((r) => r.step),
    [5, 10, 15, 20],
  );
  const lossSteps = new Set(
    readMetrics(run.dir)
      .filter((r) => r.name === 'loss')
      .map((r) => r.step),
  );
  assert.ok(records.every((r) => lossSteps.has(r.step)));
  for (const record of records) {
    assert.deepEqual(
      record.params.map((p) => p.name),
      [
        'layer0.dense.weight',
        'layer0.dense.bias',
        'layer2.dense.weight',
        'layer2.dense.bias',
        'layer3.dense.weight',
        'layer3.dense.bias',
      ],
    );
    const squares = record.params.reduce((sum, p) => sum + p.gradNorm ** 2, 0);
    assert.ok(Math.abs(Math.sqrt(squares) - record.gradNorm) <= 1e-6 * record.gradNorm);
    // No clipNorm in this experiment: clipping leaves every norm as it was.
    assert.equal(record.clippedGradNorm, record.gradNorm);
    for (const p of record.params) {
      for (const bands of [p.weights, p.grads])
        assert.ok(
          bands.every((v, i) => i === 0 || v >= bands[i - 1]),
          `${p.name} percentiles ascend`,
        );
      assert.ok(p.updateNorm > 0 && p.weightNorm > 0);
    }
  }
});

test('a training.dynamics.everySteps below 1 exits 2 naming the field, before any run folder', () => {
  const file = wineWith({ everySteps: 0 });
  const runsDir = join(root, 'refused');
  const result = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu');
  assert.equal(result.status, 2);
  assert.match(result.stderr, new RegExp(`^${file}:\\d+:\\d+: error: .*everySteps`, 'm'));
  assert.equal(existsSync(runsDir), false);
});
