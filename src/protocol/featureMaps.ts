// What a conv model sees in one test example (the CNN inside view), as the playground's
// training process answers it (protocol/playground.ts, playground/featureMaps).
import { isFiniteNumber, isNumberArray, isRecord, isString } from '../contract/guards';

/** Channels of equally sized greyscale images, channel-major (values[(c * height + y) * width + x]). */
export interface ImageStack {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly values: number[];
}

export interface FeatureMapLayer extends ImageStack {
  /** Index of the conv2d layer in the experiment's `model.layers`. */
  readonly layer: number;
}

export interface FeatureMapView {
  /** Which checkpoint the weights come from, and its training step. */
  readonly checkpoint: 'best' | 'last';
  readonly step: number;
  readonly example: number;
  /** Examples in the test split: the picker's range is 0 … testExamples − 1. */
  readonly testExamples: number;
  /** The example's class name, for classifiers. */
  readonly label?: string;
  /** What the model answers for the example (classifiers): the likeliest class and its probability. */
  readonly prediction?: Prediction;
  readonly input: ImageStack;
  /** The first conv layer's filters: channels = filters, each kernel × kernel, input channels averaged. */
  readonly filters: ImageStack;
  readonly layers: FeatureMapLayer[];
}

export interface Prediction {
  readonly label: string;
  readonly probability: number;
}

function isPrediction(value: unknown): value is Prediction {
  return (
    isRecord(value) &&
    isString(value.label) &&
    isFiniteNumber(value.probability) &&
    value.probability >= 0 &&
    value.probability <= 1
  );
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

export function isImageStack(value: unknown): value is ImageStack {
  return (
    isRecord(value) &&
    isCount(value.channels) &&
    isCount(value.height) &&
    isCount(value.width) &&
    isNumberArray(value.values) &&
    value.values.length === value.channels * value.height * value.width
  );
}

export function isFeatureMapView(value: unknown): value is FeatureMapView {
  return (
    isRecord(value) &&
    (value.checkpoint === 'best' || value.checkpoint === 'last') &&
    isFiniteNumber(value.step) &&
    Number.isInteger(value.example) &&
    isCount(value.testExamples) &&
    (value.label === undefined || isString(value.label)) &&
    (value.prediction === undefined || isPrediction(value.prediction)) &&
    isImageStack(value.input) &&
    isImageStack(value.filters) &&
    Array.isArray(value.layers) &&
    value.layers.every((l) => isImageStack(l) && Number.isInteger((l as unknown as FeatureMapLayer).layer))
  );
}
