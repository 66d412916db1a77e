/**
 * Data for imported (ONNX) models. The data loaders read an example's shape from
 * `model.input.shape`; an imported model declares it in its ONNX graph input instead, so the
 * loaders see the experiment with that shape filled in. CSV features are then viewed
 * row-major in the model's input shape, as for built-in models.
 */
import {
  isOnnxModel,
  type Experiment,
  type LayersModelSection,
  type OnnxModelSection,
} from '../contract/experiment';
import { importOnnxFile, type ImportPlan } from '../engine/onnx';
import { resolveSource } from './resolveSource';

/** An experiment whose model declares its input shape (built-in, or imported and read). */
export type ShapedExperiment = Experiment & { model: LayersModelSection };

/** Reads and plans the experiment's ONNX model (paths relative to the experiment file). */
export function importPlanFor(model: OnnxModelSection, experimentDir: string): ImportPlan {
  return importOnnxFile(resolveSource(model.onnx, experimentDir), {
    input: model.input,
    output: model.output,
    freeze: model.freeze,
  });
}

export function shapedExperiment(experiment: Experiment, experimentDir: string): ShapedExperiment {
  if (!isOnnxModel(experiment.model)) return experiment as ShapedExperiment;
  const shape = importPlanFor(experiment.model, experimentDir).inputShape;
  return { ...experiment, model: { input: { shape }, layers: [] } };
}
