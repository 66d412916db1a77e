/**
 * Text classifiers exported from PyTorch read int64 token ids (nn.Embedding first). Fine-tuning
 * one from the experiment "Fine-tune…" scaffolds reads the CSV table's features as its token ids:
 * the run trains to the end; an id the embedding has no row for, or a value that is no id, is
 * refused before training, naming the file, the line, the column and the ids the model knows.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importOnnxFile } from '../../../src/engine/onnx';
import { onnxExperiment } from '../../../src/experiment/onnxExperiment';
import { listRuns, readMetrics } from '../../../src/runs/runReader';
import { modelLab } from '../../fixtures/modelLabCli';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-token-table-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ZOO = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo');
// A 2-layer bidirectional GRU over a 50-token embedding, 10 ids per example, 3 classes.
const MODEL = 'gru-2layer-bidirectional-opset17.onnx';

/** The scaffolded experiment beside the model, trained 2 epochs on `rows` (label, 10 ids each). */
function scaffold(name: string, rows: (number | string)[][]) {
  const dir = join(root, name);
  mkdirSync(dir);
  copyFileSync(join(ZOO, MODEL), join(dir, MODEL));
  const experiment = onnxExperiment(importOnnxFile(join(dir, MODEL)), MODEL, name);
  experiment.training.epochs = 2;
  const header = ['label', ...Array.from({ length: 10 }, (_, i) => `t${i}`)];
  writeFileSync(join(dir, 'data.csv'), [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  const file = join(dir, `${name}.experiment.json`);
  writeFileSync(file, JSON.stringify(experiment));
  return { file, runsDir: join(dir, 'runs') };
}

const idRows = (count: number) =>
  Array.from({ length: count }, (_, r) => [
    r % 3,
    ...Array.from({ length: 10 }, (_, t) => (r * 7 + t * 3) % 50),
  ]);

describe('fine-tuning a model that reads token ids from a CSV table', () => {
  it('the scaffolded experiment trains to the end', () => {
    const { file, runsDir } = scaffold('ids', idRows(60));
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'ids');
    assert.equal(run.info?.status, 'completed');
    const losses = readMetrics(run.dir).filter((m) => m.name === 'loss' && m.split === 'train');
    assert.ok(losses.length > 0 && losses.every((m) => Number.isFinite(m.value)), 'finite training losses');
  });

  for (const [what, bad] of [
    ['an id beyond the embedding', 50],
    ['a value that is no id', 2.5],
  ] as const)
    it(`${what} is refused before training, on its line`, () => {
      const rows = idRows(20);
      rows[6][4] = bad;
      const { file, runsDir } = scaffold(`bad-${bad}`, rows);
      const refused = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu');
      assert.equal(refused.status, 2, refused.stdout + refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `data\\.csv:8: column "t3" holds "${bad}", but the model reads token ids: whole numbers from 0 to 49 \\(its embedding has 50 rows\\)`,
        ),
      );
      assert.deepEqual(listRuns(runsDir, `bad-${bad}`), [], 'no run started');
    });
});
