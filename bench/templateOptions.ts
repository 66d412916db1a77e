/** What the benchmarks compile for a template experiment: its model, optimizer and batch, on the CPU. */
import type { Experiment, LayersModelSection } from '../src/contract/experiment';
import type { CompileOptions } from '../src/engine';

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
