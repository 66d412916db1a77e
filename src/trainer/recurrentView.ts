/**
 * What an LSTM/GRU model computes over one input (the LSTM/GRU inside view): every recurrent
 * layer's hidden state and gates at every step, the model's answer, and for character
 * classifiers which characters moved it. The input is a test example, or text the user typed
 * for a model that reads characters.
 *
 * Attribution is by occlusion: for each character, the predicted class's probability with
 * the name as it is minus the probability with that character removed (the rest left-padded
 * as the data is). Removing is what a person can do to a name, the answer is in probability
 * units, and unlike gradient × input it needs no backward graph of an eval model.
 */
import * as l10n from '@vscode/l10n';
import type { Layer } from '../contract/experiment';
import type { Dataset } from '../data/api';
import { readRow } from '../data/exampleRows';
import type { TrainableModel } from '../engine/api';
import { RECURRENT_SERIES, type RecurrentLayerView, type RecurrentView } from '../protocol/recurrentView';
import type { WeightsSource } from './featureMapView';
import { rowProbabilities } from './mistakes';
import { checkTestExample } from './testExampleRange';
import { leftPadded, readTypedCharacters, typedCharacterVocabulary } from './typedCharacters';

export interface RecurrentInput {
  readonly example?: number;
  readonly text?: string;
}

export interface RecurrentModel {
  readonly model: TrainableModel;
  readonly dataset: Dataset;
  readonly layers: readonly Layer[];
  readonly task: string;
}

export async function recurrentView(
  { model, dataset, layers, task }: RecurrentModel,
  input: RecurrentInput,
  source: WeightsSource,
): Promise<RecurrentView> {
  const types = new Map<number, 'lstm' | 'gru'>();
  layers.forEach((l, i) => (l.type === 'lstm' || l.type === 'gru') && types.set(i, l.type));
  if (types.size === 0) throw new Error(l10n.t('{0} has no lstm or gru layers.', source.experiment));
  const vocab = typedCharacterVocabulary(dataset, task);
  const examples = testExamples(dataset);
  let x: Float32Array | BigInt64Array;
  let label: string | undefined;
  let ignored: string | undefined;
  if (input.text !== undefined) {
    if (!vocab)
      throw new Error(
        l10n.t('{0} does not read typed characters: pick a test example instead.', source.experiment),
      );
    const typed = readTypedCharacters(vocab, input.text, dataset.inputShape[0]);
    x = typed.ids;
    if (typed.ignored) ignored = typed.ignored;
  } else {
    const example = input.example ?? 0;
    checkTestExample(source.experiment, example, examples.count);
    ({ x, label } = examples.read(example));
  }

  const inside = await model.recurrentInside(x);
  const classifier = task === 'classification' && dataset.classes !== undefined;
  const probabilities = classifier ? rowProbabilities(inside.output) : undefined;
  return {
    checkpoint: source.checkpoint,
    step: source.step,
    ...(input.text === undefined ? { example: input.example ?? 0 } : {}),
    testExamples: examples.count,
    acceptsText: vocab !== undefined,
    steps: stepLabels(dataset, x),
    ...(label !== undefined ? { label } : {}),
    ...(classifier ? { classes: dataset.classes, probabilities } : {}),
    ...(vocab && probabilities && x instanceof BigInt64Array
      ? { attribution: await occlusion(model, x, probabilities) }
      : {}),
    ...(ignored ? { ignored } : {}),
    layers: inside.layers.map((l): RecurrentLayerView => {
      const type = types.get(l.layer) ?? 'lstm';
      return {
        layer: l.layer,
        type,
        steps: l.steps,
        units: l.units,
        series: RECURRENT_SERIES[type].map((name) => ({ name, values: Array.from(l.values[name]) })),
      };
    }),
  };
}

/** The test split as examples of the model's input: rows, or consecutive windows of a text. */
function testExamples(dataset: Dataset): {
  count: number;
  read(example: number): { x: Float32Array | BigInt64Array; label?: string };
} {
  const arrays = dataset.arrays();
  const size = dataset.inputShape.reduce((a, b) => a * b, 1);
  if (arrays.kind === 'text') {
    const [start, end] = arrays.stretches.test;
    const window = arrays.contextLength;
    return {
      count: Math.max(0, Math.floor((end - start) / window)),
      read: (k) => ({
        x: BigInt64Array.from(arrays.ids.subarray(start + k * window, start + (k + 1) * window), BigInt),
      }),
    };
  }
  const rows = arrays.splits.test;
  return {
    count: rows.length,
    read(k) {
      const row = rows[k];
      const labelId = arrays.labels?.[row];
      return {
        x: readRow(arrays.x, row, size),
        ...(labelId !== undefined && dataset.classes ? { label: dataset.classes[labelId] } : {}),
      };
    },
  };
}

/** What each step reads: its character ('' for padding), or its number for numeric sequences. */
function stepLabels(dataset: Dataset, x: Float32Array | BigInt64Array): string[] {
  const steps = dataset.inputShape[0];
  if (x instanceof BigInt64Array && dataset.vocab)
    return Array.from(x, (id) => dataset.vocab!.tokens[Number(id)] ?? '');
  return Array.from({ length: steps }, (_, t) => String(t + 1));
}

/**
 * Per step: p(predicted | x) − p(predicted | x without that step's character), all variants
 * in one batch; 0 for padding steps.
 */
async function occlusion(
  model: TrainableModel,
  x: BigInt64Array,
  probabilities: number[],
): Promise<number[]> {
  const predicted = probabilities.indexOf(Math.max(...probabilities));
  const length = x.length;
  const positions = [...x.keys()].filter((t) => x[t] !== 0n);
  const variants = new BigInt64Array(positions.length * length);
  positions.forEach((t, k) => {
    const without = x.filter((id, s) => s !== t && id !== 0n);
    variants.set(leftPadded(without, length), k * length);
  });
  const attribution = new Array<number>(length).fill(0);
  if (positions.length === 0) return attribution;
  const outputs = await model.predict(variants, positions.length);
  const width = outputs.length / positions.length;
  positions.forEach((t, k) => {
    const p = rowProbabilities(outputs.subarray(k * width, (k + 1) * width))[predicted];
    attribution[t] = probabilities[predicted] - p;
  });
  return attribution;
}
