/**
 * A checkpoint of an imported BatchNorm model saved before checkpoints kept the running mean and
 * variance: resuming it, and opening it in the panels that evaluate it, say which checkpoint file
 * is too old and to train the experiment again, instead of blaming "a different model".
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importOnnxFile } from '../../../src/engine/onnx';
import { loadCheckpoint, saveCheckpoint } from '../../../src/runs/checkpoints';
import { listRuns } from '../../../src/runs/runReader';
import { PlaygroundSession } from '../../../src/trainer/playground';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { modelPath, readReference } from '../engine/onnxFixtures';
import { modelLab } from '../../fixtures/modelLabCli';
import { experimentFixture } from '../../fixtures/runInfo';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-old-checkpoint-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The stored PyTorch batches of the BatchNorm case as a CSV table, one example a row. */
function batchnormCsv(): string {
  const ref = readReference('batchnorm');
  const features = ref.input.shape.reduce((a, b) => a * b, 1);
  const header = [...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',');
  const rows = ref.batches.flatMap((batch) =>
    batch.y.map((y, k) => [...batch.x.slice(k * features, (k + 1) * features), `c${y}`].join(',')),
  );
  return [header, ...rows].join('\n') + '\n';
}

describe('a BatchNorm checkpoint saved before the running statistics were kept', () => {
  it('resume and the playground name the checkpoint file and say to train again', async () => {
    const dir = mkdtempSync(join(root, 'ws-'));
    copyFileSync(modelPath('batchnorm'), join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'batches.csv'), batchnormCsv());
    const file = join(dir, 'bn.experiment.json');
    const base = experimentFixture();
    const data = { source: 'batches.csv', target: 'label', splits: { train: 0.5, validation: 0.5, test: 0 } };
    const config = { ...base, name: 'bn', data: { ...data, seed: 1 }, model: { onnx: 'model.onnx' } };
    writeFileSync(file, JSON.stringify({ ...config, training: { ...base.training, epochs: 1 } }));
    const runsDir = join(dir, 'runs');
    const args = ['train', file, '--runs-dir', runsDir, '--device', 'cpu'];
    const trained = modelLab(...args);
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'bn');

    // What an earlier Model Lab saved: the same checkpoints without the running statistics.
    const { buffers } = importOnnxFile(modelPath('batchnorm'));
    assert.ok(buffers.length >= 2, 'the model has running statistics');
    for (const kind of ['last', 'best'] as const) {
      const { state, position } = loadCheckpoint(run.dir, kind);
      for (const buffer of buffers) {
        assert.ok(state.tensors[buffer.name], `the ${kind} checkpoint keeps ${buffer.onnxName} today`);
        delete state.tensors[buffer.name];
      }
      saveCheckpoint(run.dir, kind, { state, position });
    }
    const statistics = buffers.map((buffer) => buffer.onnxName).join(', ');
    const explanation = (kind: string) =>
      `${join(run.dir, 'checkpoints', kind, 'checkpoint.json')} was saved by an earlier Model Lab, before checkpoints kept BatchNormalization's running mean and variance (${statistics}): these weights cannot be evaluated or trained further without them. Train the experiment again as a new run (not resumed from this one); its checkpoints keep them.`;

    const resumed = modelLab(...args, '--resume', run.dir);
    assert.notEqual(resumed.status, 0);
    assert.ok(resumed.stderr.includes(explanation('last')), resumed.stderr);
    assert.doesNotMatch(resumed.stderr, /different model/);
    const chinese = modelLab(...args, '--resume', run.dir, '--lang', 'zh-CN');
    assert.match(chinese.stderr, /由较早版本的 Model Lab 保存.*请把实验重新训练为一个新运行/);

    await assert.rejects(PlaygroundSession.open(run.dir, createTrainerDeps()), (error: Error) => {
      assert.equal(error.message, explanation('best'));
      return true;
    });
  });
});
