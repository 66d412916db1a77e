/**
 * Data for imported (ONNX) models. The data loaders read an example's shape from
 * `model.input.shape`; an imported model declares it in its ONNX graph input instead, so the
 * loaders see the experiment with that shape filled in. CSV features are then viewed
 * row-major in the model's input shape, as for built-in models.
 */
import { statSync } from 'node:fs';
import {
  isOnnxModel,
  type Experiment,
  type LayersModelSection,
  type OnnxModelSection,
} from '../contract/experiment';
import { isInputEncoding, type InputEncoding } from '../contract/inputEncoding';
import type { ImportPlan, NewHead, OnnxModel } from '../engine/onnx';
import { onnxImporter } from '../engine/onnxImporter';
import { INPUT_ENCODING_KEY } from '../engine/runtime/exportDoc';
import { classNamesOf, type ModelClasses } from './modelClasses';
import { resolveSource } from './resolveSource';
import type { TextTokenizer } from './textTokenizer';

/**
 * An experiment whose model declares its input shape (built-in, or imported and read). An
 * imported model that reads int64 token ids (an embedding first, as text classifiers do) also
 * says how many ids it knows: a CSV table's features are then its token ids.
 */
export type ShapedExperiment = Experiment & {
  model: LayersModelSection;
  tokenIds?: number;
  /** `data.tokenizer`, read: a table's text column becomes token ids. */
  textTokenizer?: TextTokenizer;
  /** An imported classifier that keeps its last layer: the classes its scores stand for. */
  modelClasses?: ModelClasses;
  /**
   * A Model Lab model.onnx of a table: how its input row is made from named columns (its
   * metadata), applied to the data as it was to the rows it was trained on.
   */
  inputEncoding?: InputEncoding;
};

/**
 * The last plans made, for the file as it was then: a run asks for them to validate, to load data
 * and to compile. Two, because an experiment with newHead is planned with the file's own last
 * layer (before its data is read) and with the new one, in every validation.
 */
const recentPlans = new Map<string, ImportPlan>();
const RECENT_PLANS = 2;

/**
 * Reads and plans the experiment's ONNX model (paths relative to the experiment file). A model
 * file can be hundreds of megabytes, so the plan is made once per file version and options,
 * not once per caller (plans are read-only to their users).
 *
 * With `"newHead": true` and the data's output size in `head` (headFor), the model's last layer
 * is replaced by a new one of that size; without `head` (no data read yet) it is the file's own.
 */
export function importPlanFor(
  model: OnnxModelSection,
  experimentDir: string,
  head?: Omit<NewHead, 'output'>,
): ImportPlan {
  const path = resolveSource(model.onnx, experimentDir);
  const options = {
    input: model.input,
    output: model.output,
    freeze: model.freeze,
    sizes: model.sizes,
    fill: model.fill,
  };
  const file = statSync(path, { throwIfNoEntry: false });
  const newHead = model.newHead ? head : undefined;
  const key = file && JSON.stringify([path, file.mtimeMs, file.size, options, newHead]);
  const cached = key ? recentPlans.get(key) : undefined;
  if (cached) {
    // The most recently used last in the map's order.
    recentPlans.delete(key!);
    recentPlans.set(key!, cached);
    return cached;
  }
  const plan = onnxImporter().importOnnxFile(path, options, newHead);
  if (key) {
    recentPlans.set(key, plan);
    for (const old of recentPlans.keys()) if (recentPlans.size > RECENT_PLANS) recentPlans.delete(old);
  }
  return plan;
}

/** The new last layer an experiment's data asks for: as many features as one example's target has. */
export function headFor(experiment: Experiment, outputShape: number[]): Omit<NewHead, 'output'> {
  return { outputs: outputShape.reduce((a, b) => a * b, 1), seed: experiment.training.seed };
}

export function shapedExperiment(experiment: Experiment, experimentDir: string): ShapedExperiment {
  if (!isOnnxModel(experiment.model)) return experiment as ShapedExperiment;
  const plan = importPlanFor(experiment.model, experimentDir);
  const modelClasses = modelClassesOf(experiment, plan, resolveSource(experiment.model.onnx, experimentDir));
  return {
    ...experiment,
    model: { input: { shape: plan.inputShape }, layers: [] },
    ...(plan.inputKind === 'tokens' ? { tokenIds: onnxImporter().tokenIdRange(plan) } : {}),
    ...(modelClasses ? { modelClasses } : {}),
    ...inputEncodingOf(plan.model),
  };
}

/** The input encoding a model.onnx keeps in its metadata, when it has a well-formed one. */
export function inputEncodingOf(model: OnnxModel): { inputEncoding?: InputEncoding } {
  const json = model.metadata[INPUT_ENCODING_KEY];
  if (json === undefined) return {};
  try {
    const inputEncoding: unknown = JSON.parse(json);
    return isInputEncoding(inputEncoding) ? { inputEncoding } : {};
  } catch {
    return {};
  }
}

/**
 * The classes of a classifier scored one per class ([batch, classes], cross-entropy) that keeps its
 * own last layer; a new one (newHead) takes the data's classes instead.
 */
function modelClassesOf(experiment: Experiment, plan: ImportPlan, path: string): ModelClasses | undefined {
  const model = experiment.model as OnnxModelSection;
  const [, count, ...more] = plan.output.dims;
  if (experiment.task !== 'classification' || model.newHead || experiment.training.loss !== 'cross-entropy')
    return undefined;
  if (typeof count !== 'number' || count < 2 || more.length > 0) return undefined;
  const names = classNamesOf(plan.model, path, count);
  return { count, ...(names ? { names } : {}) };
}
