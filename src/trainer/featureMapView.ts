/**
 * What a conv model sees in one test example (the CNN inside view): the example's pixels,
 * the first conv layer's filters and every conv2d layer's maps (eval mode), from the
 * weights the model holds (the playground session's loaded checkpoint).
 */
import * as l10n from '@vscode/l10n';
import type { Dataset } from '../data/api';
import { readRow } from '../data/exampleRows';
import type { TrainableModel, TrainingState } from '../engine/api';
import type { FeatureMapView, ImageStack, Prediction } from '../protocol/featureMaps';
import { rowProbabilities } from './mistakes';
import { checkTestExample } from './testExampleRange';

/** The checkpoint the model's weights come from, named in the view. */
export interface WeightsSource {
  readonly experiment: string;
  readonly checkpoint: 'best' | 'last';
  readonly step: number;
}

export async function featureMapView(
  model: TrainableModel,
  dataset: Dataset,
  example: number,
  source: WeightsSource,
): Promise<FeatureMapView> {
  const arrays = dataset.arrays();
  const [channels, height, width] = dataset.inputShape;
  if (arrays.kind !== 'rows' || arrays.x instanceof BigInt64Array || dataset.inputShape.length !== 3)
    throw new Error(
      l10n.t(
        '{0} does not read images [channels, height, width]: no feature maps to show.',
        source.experiment,
      ),
    );
  const testRows = arrays.splits.test;
  checkTestExample(source.experiment, example, testRows.length);
  const size = channels * height * width;
  const row = testRows[example];
  const image = readRow(arrays.x, row, size) as Float32Array;
  const maps = await model.featureMaps(image);
  if (maps.length === 0) throw new Error(l10n.t('{0} has no conv2d layers.', source.experiment));
  const labelId = arrays.labels?.[row];
  const prediction = dataset.classes && (await predictedClass(model, image, dataset.classes));
  return {
    checkpoint: source.checkpoint,
    step: source.step,
    example,
    testExamples: testRows.length,
    ...(labelId !== undefined && dataset.classes ? { label: dataset.classes[labelId] } : {}),
    ...(prediction ? { prediction } : {}),
    input: { channels, height, width, values: Array.from(image) },
    filters: convFilters(await model.getState(), maps[0].layer),
    layers: maps.map((m) => ({ ...m, values: Array.from(m.values) })),
  };
}

/** The likeliest class for one example, as the playground classifies it (same model, same pixels). */
async function predictedClass(
  model: TrainableModel,
  image: Float32Array,
  classes: readonly string[],
): Promise<Prediction> {
  const probabilities = rowProbabilities(await model.predict(image, 1));
  const best = probabilities.reduce((top, p, c) => (p > probabilities[top] ? c : top), 0);
  return { label: classes[best] ?? String(best), probability: probabilities[best] };
}

/** Each filter of a conv layer as one kernel-sized image: the mean of its weights over input channels. */
function convFilters(state: TrainingState, layer: number): ImageStack {
  const name = `layer${layer}.conv2d.weight`;
  const weight = state.tensors[name];
  if (!weight || weight.dims.length !== 4)
    throw new Error(l10n.t('The model has no conv2d weights {0}.', name));
  const [filters, inputChannels, kh, kw] = weight.dims;
  const values = new Array<number>(filters * kh * kw).fill(0);
  for (let f = 0; f < filters; f++)
    for (let c = 0; c < inputChannels; c++)
      for (let i = 0; i < kh * kw; i++)
        values[f * kh * kw + i] += weight.data[(f * inputChannels + c) * kh * kw + i] / inputChannels;
  return { channels: filters, height: kh, width: kw, values };
}
