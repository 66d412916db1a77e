/** What the benchmarks compile for a template experiment (its model, optimizer and batch, on the CPU) and feed it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment, LayersModelSection } from '../src/contract/experiment';
import type { Batch, CompileOptions } from '../src/engine';
import { Rng } from '../src/engine/init';

/** The templates all describe their model by layers. */
export type TemplateExperiment = Experiment & { model: LayersModelSection };

export function templateCompileOptions(
  e: TemplateExperiment,
  fusedSteps = e.training.fusedSteps,
): CompileOptions {
  const tokens = e.model.layers[0]?.type === 'embedding';
  return {
    model: {
      inputShape: e.model.input.shape,
      inputKind: tokens ? 'tokens' : 'float',
      layers: e.model.layers,
    },
    loss: e.training.loss,
    labelSmoothing: e.training.labelSmoothing,
    optimizer: e.training.optimizer,
    clipNorm: e.training.clipNorm,
    batchSize: e.training.batchSize,
    fusedSteps,
    seed: e.training.seed,
    device: 'cpu',
  };
}

export function loadTemplate(folder: string): TemplateExperiment {
  const dir = join('templates', folder);
  const file = readdirSync(dir).find((f) => f.endsWith('.experiment.json'));
  if (!file) throw new Error(`no experiment file in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as TemplateExperiment;
}

/** Random inputs and class targets of the right shapes (speed does not depend on the values). */
export function randomBatch(o: CompileOptions, outputShape: number[], seed = 3): Batch {
  const rng = new Rng(seed);
  const B = o.batchSize;
  const inputSize = B * o.model.inputShape.reduce((a, b) => a * b, 1);
  const first = o.model.layers[0];
  const x =
    first.type === 'embedding'
      ? BigInt64Array.from({ length: inputSize }, () => BigInt(Math.floor(rng.uniform() * first.vocabSize)))
      : Float32Array.from({ length: inputSize }, () => rng.normal());
  const classes = outputShape[outputShape.length - 1];
  const targets = outputShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const y = BigInt64Array.from({ length: targets }, () => BigInt(Math.floor(rng.uniform() * classes)));
  return { x, y };
}
