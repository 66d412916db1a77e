// Channel: extension host <-> a training process serving the playground of one run: the process
// compiles the run's model once, loads its best (else last) checkpoint, then answers requests
// until the panel closes (the playground, the CNN and the LSTM/GRU inside views). Types start with `playground/`, so they never mix with training,
// engine-check or attention-probe messages on the same pipe.
import { isAttentionSnapshot, type AttentionSnapshot } from '../contract/attentionSnapshot';
import { hasType, isFiniteNumber, isNumberArray, isString } from '../contract/guards';
import { isFeatureMapView, type FeatureMapView } from './featureMaps';
import { isRecurrentView, type RecurrentView } from './recurrentView';

export interface PlaygroundOpen {
  readonly type: 'playground/open';
  readonly runDir: string;
}
/** A picture (image classifiers: channels × height × width values 0–1) or feature values (tables). */
export interface PlaygroundClassify {
  readonly type: 'playground/classify';
  readonly id: number;
  readonly input: number[];
}
export interface PlaygroundGenerate {
  readonly type: 'playground/generate';
  readonly id: number;
  readonly prompt: string;
  readonly temperature: number;
  readonly topK: number;
  readonly length: number;
}
/** The CNN inside view of one test example (image models with conv2d layers). */
export interface PlaygroundFeatureMaps {
  readonly type: 'playground/featureMaps';
  readonly id: number;
  /** Position of the example in the run's test split, from 0. */
  readonly example: number;
}
/** Name classifiers: the class probabilities of text the user types. */
export interface PlaygroundClassifyText {
  readonly type: 'playground/classifyText';
  readonly id: number;
  readonly text: string;
}
/** Classifiers of texts read by a tokenizer: the class probabilities of one text per text column (a pair: two). */
export interface PlaygroundClassifyTexts {
  readonly type: 'playground/classifyTexts';
  readonly id: number;
  readonly texts: string[];
}
/**
 * The LSTM/GRU inside view of one input: a test example by position, or text the user typed
 * (character models); exactly one of the two.
 */
export interface PlaygroundRecurrent {
  readonly type: 'playground/recurrent';
  readonly id: number;
  readonly example?: number;
  readonly text?: string;
}
/**
 * Language models: the attention maps of every attention layer over `text` (a prompt and what
 * was generated after it), its last context-length characters.
 */
export interface PlaygroundTextAttention {
  readonly type: 'playground/textAttention';
  readonly id: number;
  readonly text: string;
}
export type PlaygroundRequest =
  | PlaygroundOpen
  | PlaygroundTextAttention
  | PlaygroundClassify
  | PlaygroundClassifyText
  | PlaygroundClassifyTexts
  | PlaygroundGenerate
  | PlaygroundFeatureMaps
  | PlaygroundRecurrent;

/** What the model takes and how to show it, once the checkpoint is loaded. */
export interface PlaygroundModelInfo {
  /**
   * 'image': draw; 'text': prompt and generate; 'table': feature values; 'characters': type a name;
   * 'texts': type a text (or a pair of texts) the model's tokenizer reads.
   */
  kind: 'image' | 'text' | 'table' | 'characters' | 'texts';
  inputShape: number[];
  /** 'texts': the data's text columns, one field each. */
  textColumns?: string[];
  /** Class labels (classifiers). */
  labels: string[];
  /** The checkpoint answering, and its step. */
  checkpoint: 'best' | 'last';
  step: number;
  /** Built-in digits: drawn strokes are counted in 4×4 blocks of a 32×32 grid, as the data was made. */
  digits: boolean;
}
export interface PlaygroundReady {
  readonly type: 'playground/ready';
  readonly info: PlaygroundModelInfo;
}
export interface PlaygroundProbabilities {
  readonly type: 'playground/probabilities';
  readonly id: number;
  readonly probabilities: number[];
  /** Milliseconds the model took. */
  readonly ms: number;
}
export interface PlaygroundToken {
  readonly type: 'playground/token';
  readonly id: number;
  readonly text: string;
}
export interface PlaygroundDone {
  readonly type: 'playground/done';
  readonly id: number;
}
export interface PlaygroundFailure {
  readonly type: 'playground/failure';
  /** The request that failed; absent when opening the run failed. */
  readonly id?: number;
  readonly message: string;
}
export interface PlaygroundFeatureMapView {
  readonly type: 'playground/featureMapView';
  readonly id: number;
  readonly view: FeatureMapView;
}
export interface PlaygroundRecurrentView {
  readonly type: 'playground/recurrentView';
  readonly id: number;
  readonly view: RecurrentView;
}
/** The maps of playground/textAttention; the snapshot's step is the checkpoint's. */
export interface PlaygroundAttention {
  readonly type: 'playground/attention';
  readonly id: number;
  readonly snapshot: AttentionSnapshot;
}
export type PlaygroundReply =
  | PlaygroundReady
  | PlaygroundAttention
  | PlaygroundRecurrentView
  | PlaygroundProbabilities
  | PlaygroundToken
  | PlaygroundDone
  | PlaygroundFeatureMapView
  | PlaygroundFailure;

/** Largest input accepted: a 3×256×256 image. */
const MAX_INPUT = 3 * 256 * 256;
/** Longest typed text accepted (a name, a short sentence). */
const MAX_TEXT = 200;
/** Longest text typed for a tokenizer (a review, a passage): its tokens are cut to the model's length anyway. */
const MAX_TYPED_TEXTS = 20_000;
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export function isPlaygroundRequest(value: unknown): value is PlaygroundRequest {
  if (hasType(value, 'playground/open')) return isString(value.runDir);
  if (hasType(value, 'playground/classify'))
    return (
      isId(value.id) &&
      isNumberArray(value.input) &&
      value.input.length <= MAX_INPUT &&
      value.input.every(Number.isFinite)
    );
  if (hasType(value, 'playground/featureMaps')) return isId(value.id) && isId(value.example);
  if (hasType(value, 'playground/textAttention'))
    return isId(value.id) && isString(value.text) && value.text.length <= 12_000;
  if (hasType(value, 'playground/classifyText'))
    return isId(value.id) && isString(value.text) && value.text.length <= MAX_TEXT;
  if (hasType(value, 'playground/classifyTexts'))
    return (
      isId(value.id) &&
      Array.isArray(value.texts) &&
      value.texts.length >= 1 &&
      value.texts.length <= 2 &&
      value.texts.every((text) => isString(text) && text.length <= MAX_TYPED_TEXTS)
    );
  if (hasType(value, 'playground/recurrent'))
    return (
      isId(value.id) &&
      (value.example === undefined) !== (value.text === undefined) &&
      (value.example === undefined || isId(value.example)) &&
      (value.text === undefined || (isString(value.text) && value.text.length <= MAX_TEXT))
    );
  if (hasType(value, 'playground/generate'))
    return (
      isId(value.id) &&
      isString(value.prompt) &&
      value.prompt.length <= 10_000 &&
      isFiniteNumber(value.temperature) &&
      value.temperature > 0 &&
      value.temperature <= 5 &&
      isId(value.topK) &&
      isId(value.length) &&
      value.length <= 2000
    );
  return false;
}

export function isPlaygroundModelInfo(value: unknown): value is PlaygroundModelInfo {
  const v = value as Record<string, unknown>;
  return (
    typeof value === 'object' &&
    value !== null &&
    (v.kind === 'image' ||
      v.kind === 'text' ||
      v.kind === 'table' ||
      v.kind === 'characters' ||
      v.kind === 'texts') &&
    isNumberArray(v.inputShape) &&
    (v.textColumns === undefined || (Array.isArray(v.textColumns) && v.textColumns.every(isString))) &&
    Array.isArray(v.labels) &&
    v.labels.every(isString) &&
    (v.checkpoint === 'best' || v.checkpoint === 'last') &&
    isFiniteNumber(v.step) &&
    typeof v.digits === 'boolean'
  );
}

export function isPlaygroundReply(value: unknown): value is PlaygroundReply {
  if (hasType(value, 'playground/ready')) return isPlaygroundModelInfo(value.info);
  if (hasType(value, 'playground/probabilities'))
    return isId(value.id) && isNumberArray(value.probabilities) && isFiniteNumber(value.ms);
  if (hasType(value, 'playground/token')) return isId(value.id) && isString(value.text);
  if (hasType(value, 'playground/done')) return isId(value.id);
  if (hasType(value, 'playground/featureMapView')) return isId(value.id) && isFeatureMapView(value.view);
  if (hasType(value, 'playground/attention')) return isId(value.id) && isAttentionSnapshot(value.snapshot);
  if (hasType(value, 'playground/recurrentView')) return isId(value.id) && isRecurrentView(value.view);
  if (hasType(value, 'playground/failure'))
    return isString(value.message) && (value.id === undefined || isId(value.id));
  return false;
}
