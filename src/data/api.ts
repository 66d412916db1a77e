/**
 * The data surface used by the trainer (training process and CLI) and by
 * experiment validation. `loadDataset` (loadDataset.ts) turns an experiment's
 * `data` section into a `Dataset`: shapes, labels or vocabulary, split sizes, and batch
 * iterators whose `x` / `y` match the engine's `Batch`. Plain Node: never
 * import `vscode`.
 */
import type { Batch } from '../engine/api';
import type { InputEncoding } from '../contract/inputEncoding';
import type { InputKind } from '../contract/inputKind';
import type { Experiment } from '../contract/experiment';
import type { Split } from '../contract/runStatus';
import type { ExampleValues } from './exampleRows';
import type { Rng } from './rng';

export type { Rng } from './rng';
export { createRng } from './rng';
export { DataError } from './dataError';

/** A batch plus how many examples it holds (`x` and `y` are sized for exactly `count`). */
export interface DataBatch extends Batch {
  count: number;
}

/**
 * Vocabulary of a language model: token id i is `tokens[i]`; characters, or a Hugging Face
 * tokenizer's tokens for an imported model (`data.tokenizer`).
 */
export interface Vocabulary {
  readonly tokens: string[];
  /** Ids of the characters of `text`; a character outside the vocabulary is a `DataError`. */
  encode(text: string): BigInt64Array;
  /** Ids of what the vocabulary knows of `text` (typed text): the characters it lacks are left out. */
  encodeKnown(text: string): BigInt64Array;
  decode(ids: ArrayLike<number | bigint>): string;
}

export interface TypedTexts {
  readonly columns: string[];
  /** One example's token ids from one text per column; a DataError names what the model cannot read. */
  encode(texts: string[]): BigInt64Array;
}

/** An affine column scaling: scaled = (value − shift) / scale, with scale > 0. */
export interface TargetScaling {
  shift: number;
  scale: number;
}

export interface BatchOptions {
  /**
   * Language models only: how many random-window batches one pass over the
   * training split yields (the experiment's `training.stepsPerEpoch`).
   * Default: as many as fit the training text once.
   */
  maxBatches?: number;
  /**
   * Rows (tables, images): false takes the training split in the order of the file, true
   * (default) shuffles it with the epoch's `rng`.
   */
  shuffle?: boolean;
}

export interface Dataset {
  /** The experiment's `data.source`, for messages and run.json. */
  readonly source: string;
  /** 'tokens': x holds int64 ids (models start with an embedding); 'float' otherwise. */
  readonly inputKind: InputKind;
  /** One example without the batch dimension, e.g. [1, 8, 8], [13], [64]. */
  readonly inputShape: number[];
  /**
   * What the model must output per example: [classes] for classification,
   * [T, vocab] for language models, [targets] for regression, [1] for
   * binary classification with bce-with-logits.
   */
  readonly outputShape: number[];
  /** Classification: label of each class id. */
  readonly classes?: string[];
  /**
   * An imported classifier that keeps its last layer: the labels were read as its own classes,
   * by its class names or as class indices (data/modelClasses.ts), `held` of them in the data.
   */
  readonly labelsRead?: { by: 'names' | 'indices'; held: number };
  /** Language models and token-sequence tasks: the character vocabulary. */
  readonly vocab?: Vocabulary;
  /**
   * Regression targets the loader scaled (series): target = (value − shift) / scale.
   * Absent when targets are the data's own values. Evaluation maps predictions
   * back with value = target × scale + shift to report errors in the data's units.
   */
  readonly targetScaling?: TargetScaling;
  /**
   * Feature scaling the loader applied, one entry per position of the input's
   * last axis: feature = (value − shift) / scale. Absent when features are the
   * data's own values. The exported model.onnx applies it itself.
   */
  readonly inputScaling?: TargetScaling[];
  /**
   * A table with categorical columns (or data.missing "fill"): which columns the input row holds,
   * numeric ones first, then each categorical column's categories (one-hot), and what fills an
   * empty cell. The exported model.onnx takes rows encoded this way and records it in its metadata.
   */
  readonly inputEncoding?: InputEncoding;
  /**
   * Set when data.tokenizer read pairs of texts (two columns): the separator after which the
   * tokenizer gives the second text type id 1 (undefined when its pairs are one type throughout)
   * and its pad token, for the check that the model's type ids input is filled to match.
   */
  readonly textPairs?: { secondTextAfter?: number; padId?: number };
  /**
   * A table of texts read by data.tokenizer: its text columns (one, or two for pairs) and how
   * texts typed in the playground become one example's token ids, as the table's rows did.
   */
  readonly typedTexts?: TypedTexts;
  /** What loading did to the data that the user should hear of (rows left out), logged as a run starts. */
  readonly notes?: string[];
  /**
   * Examples per split. Language models: non-overlapping windows of
   * contextLength + 1 characters in each split's contiguous stretch of text.
   */
  readonly sizes: Record<Split, number>;
  /**
   * Batches of one split.
   * - train: shuffled with `rng`, or in file order when `options.shuffle` is false
   *   (language models: random windows drawn with `rng`); every batch holds exactly `batchSize` examples — the last partial
   *   training batch is dropped because the engine's train-step graph has a
   *   static batch size.
   * - validation / test: every example once, in order; the last batch may be
   *   smaller (`count` < batchSize) since evaluation runs at any size.
   * Targets: int64 class ids [B] for cross-entropy classification, int64
   * next-character ids [B, T] for language models, float32 [B, outputs] for
   * mse and bce-with-logits.
   */
  batches(split: Split, batchSize: number, rng: Rng, options?: BatchOptions): Iterable<DataBatch>;
  /**
   * The loaded examples as plain arrays (what `batches` draws from), for the PyTorch
   * export: its data.py draws the same batches from them with the same seeded order.
   */
  arrays(): DatasetArrays;
}

/**
 * A dataset's examples after loading (scaling, vocabulary and splits applied).
 * - rows: one example per row of `x`; `splits` lists each split's rows in the order
 *   `batches` reads them (train before its per-epoch shuffle).
 * - text: character ids of the whole text and each split's [start, end) stretch.
 */
export type DatasetArrays =
  | {
      kind: 'rows';
      /** Images: 8-bit pixels (exampleRows.ts `readRow` gives a row as the model reads it). */
      x: ExampleValues;
      count: number;
      labels?: Int32Array;
      targets?: Float32Array;
      targetWidth?: number;
      splits: Record<Split, Int32Array>;
    }
  | { kind: 'text'; ids: Int32Array; contextLength: number; stretches: Record<Split, [number, number]> };

/** Told how many of the data's images are decoded (`done` of `total`), after each. */
export type ReadingProgress = (done: number, total: number) => void;

/**
 * Signature of `loadDataset`: paths in `experiment.data.source` resolve against `experimentDir`.
 */
export type LoadDataset = (
  experiment: Experiment,
  experimentDir: string,
  options?: LoadOptions,
) => Promise<Dataset>;

/** How an image folder is read: on at most `threads` threads (every core when absent), `reading` told of it. */
export interface LoadOptions {
  threads?: number;
  reading?: ReadingProgress;
}

/** What validation reads of the data (`DatasetFacts`), listed once for the type and for `loadDatasetFacts`. */
export const FACT_KEYS = [
  'source',
  'inputKind',
  'inputShape',
  'outputShape',
  'classes',
  'vocab',
  'inputEncoding',
  'textPairs',
  'labelsRead',
  'sizes',
] as const satisfies readonly (keyof Dataset)[];

/** What validation needs to know about the data: a loaded `Dataset` has all of it (sizes optional). */
export type DatasetFacts = Pick<Dataset, Exclude<(typeof FACT_KEYS)[number], 'sizes'>> &
  Partial<Pick<Dataset, 'sizes'>>;

/** How much of the examples a load reads. */
export interface LoadDepth extends LoadOptions {
  /** Image folders: decode every image (false: list them only, for the facts; the examples stay empty). */
  pixels: boolean;
}

/**
 * Signature of `loadDatasetFacts` (or of `loadDataset`, whose datasets are facts too): what the
 * editor validates an experiment against before a run, without the examples' values.
 */
export type LoadDatasetFacts = (experiment: Experiment, experimentDir: string) => Promise<DatasetFacts>;
