/**
 * The stored PyTorch trajectory through the whole trainer: the reference's four fixed batches
 * written to a CSV in order, trained by `model-lab train` with `"shuffle": false` (batches in
 * file order), every example in the training split, unscaled features and `fusedSteps: 1`.
 * metrics.jsonl then holds the loss of every step (that step's batch, before its update), and
 * each equals PyTorch's within 1e-4 (the dropout case: PyTorch drew Model Lab's keyed masks
 * for training seed 1). For models with BatchNorm, the last checkpoint holds PyTorch's running
 * statistics after the last step; for those and the dropout case the run's model.onnx, run by
 * onnxruntime, gives PyTorch's eval-mode output. The Hugging Face style case trains from its
 * token ids with the experiment's "sizes" and "fill".
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { importOnnxFile } from '../../../src/engine/onnx';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns, readMetrics } from '../../../src/runs/runReader';
import { modelPath, readReference } from '../engine/onnxFixtures';
import { modelLab } from '../../fixtures/modelLabCli';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-trajectory-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('an imported model trains along PyTorch’s stored trajectory', () => {
  // The cases with one label or target per example (the Transformer predicts every position's next token).
  for (const name of [
    'cnn',
    'batchnorm',
    'convbn',
    'dropout',
    'lstm',
    'bilstm',
    'gru',
    'bert-style',
    'bert-padded',
    'bert-pairs',
  ]) {
    it(`${name}: every step's loss within 1e-4 of PyTorch's`, async () => {
      const ref = readReference(name);
      const regression = ref.loss === 'mse';
      const dir = join(root, name);
      const features = ref.batches[0].x.length / ref.batchSize;
      const rows = ref.batches.flatMap((batch) =>
        Array.from({ length: ref.batchSize }, (_, k) => [
          ...batch.x.slice(k * features, (k + 1) * features),
          regression ? batch.y[k] : `c${batch.y[k]}`,
        ]),
      );
      const header = [...Array.from({ length: features }, (_, i) => `f${i}`), 'label'];
      mkdirSync(dir);
      writeFileSync(join(dir, 'batches.csv'), [header, ...rows].map((r) => r.join(',')).join('\n') + '\n');
      copyFileSync(modelPath(name), join(dir, 'model.onnx'));
      const steps = ref.trajectory.length;
      const file = join(dir, `${name}.experiment.json`);
      writeFileSync(
        file,
        JSON.stringify({
          name,
          task: regression ? 'regression' : 'classification',
          data: {
            source: 'batches.csv',
            target: 'label',
            splits: { train: 1, validation: 0, test: 0 },
            seed: 1,
            normalize: 'none',
            shuffle: false,
          },
          model: { onnx: 'model.onnx', ...ref.import },
          training: {
            epochs: steps / ref.batches.length,
            batchSize: ref.batchSize,
            fusedSteps: 1,
            optimizer: ref.optimizer,
            loss: ref.loss,
            seed: 1,
          },
        }),
      );
      const runsDir = join(dir, 'runs');
      const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu');
      assert.equal(trained.status, 0, trained.stderr);
      const [run] = listRuns(runsDir, name);
      const losses = readMetrics(run.dir)
        .filter((m) => m.name === 'loss' && m.split === 'train')
        .map((m) => ({ step: m.step, value: m.value }));
      assert.deepEqual(
        losses.map((l) => l.step),
        Array.from({ length: steps }, (_, i) => i + 1),
        'one training loss per step',
      );
      const worst = losses.reduce((w, l, i) => Math.max(w, Math.abs(l.value - ref.trajectory[i])), 0);
      assert.ok(worst < 1e-4, `largest difference from PyTorch ${worst}`);
      if (!ref.evalOutput) return;

      const { buffers } = importOnnxFile(modelPath(name));
      const { state } = loadCheckpoint(run.dir, 'last');
      const last = ref.runningStats?.[ref.runningStats.length - 1];
      for (const buffer of last ? buffers : [])
        last![buffer.onnxName].forEach((want, i) => {
          const got = state.tensors[buffer.name].data[i];
          assert.ok(
            Math.abs(got - want) <= 1e-5 + 1e-4 * Math.abs(want),
            `checkpoint ${buffer.onnxName}[${i}]: ${got}, PyTorch ${want}`,
          );
        });
      const session = await openSession(readFileSync(join(run.dir, RUN_FILES.model)));
      const result = await session.run({
        input: tensor('float32', Float32Array.from(ref.batches[0].x), [ref.batchSize, ...ref.input.shape]),
      });
      await session.release();
      const output = result.output.data as Float32Array;
      ref.evalOutput!.forEach((want, i) =>
        assert.ok(
          Math.abs(output[i] - want) <= 1e-4 + 1e-4 * Math.abs(want),
          `model.onnx output[${i}]: ${output[i]}, PyTorch ${want}`,
        ),
      );
    });
  }
});
