/**
 * initial-weights/ of an exported project: the parameters a Model Lab run of the experiment
 * starts from (the engine's seeded initialisation), in Model Lab's checkpoint format
 * (checkpoint.json + tensors-0.bin, float32 little-endian). train.py starts from them unless
 * told --init-from or --resume, so `python train.py` retraces the Model Lab run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment, Layer } from '../../contract/experiment';
import type { Dataset } from '../../data/api';
import { initialParameters } from '../../engine/initialParameters';

export const INITIAL_WEIGHTS = 'initial-weights';

export function writeInitialWeights(
  dir: string,
  experiment: Experiment,
  layers: Layer[],
  dataset: Dataset,
): void {
  const { training } = experiment;
  const params = initialParameters({
    model: { inputShape: dataset.inputShape, inputKind: dataset.inputKind, layers },
    loss: training.loss,
    optimizer: training.optimizer,
    batchSize: training.batchSize,
    seed: training.seed,
    device: 'cpu',
  });
  const total = params.reduce((sum, p) => sum + p.data.length, 0);
  const floats = new Float32Array(total);
  const tensors: { name: string; dims: number[]; offset: number; length: number }[] = [];
  let offset = 0;
  for (const p of params) {
    floats.set(p.data, offset);
    tensors.push({ name: p.name, dims: p.shape, offset, length: p.data.length });
    offset += p.data.length;
  }
  mkdirSync(dir, { recursive: true });
  const dataFile = 'tensors-0.bin';
  writeFileSync(join(dir, dataFile), new Uint8Array(floats.buffer));
  const position = { step: 0, epoch: 0, batchInEpoch: 0, validationsWithoutImprovement: 0 };
  const meta = { format: 1, position, dataFile, tensors, savedAt: new Date().toISOString() };
  writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(meta, null, 2));
}
