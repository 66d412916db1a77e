/**
 * The experiment file (`*.experiment.json`): the one document a user edits.
 * Its JSON Schema lives in `schemas/experiment.schema.json` and must describe
 * exactly these types. Everything downstream (validation, data loading, the
 * engine's model compiler, the trainer, the CLI) reads this shape.
 */
import type { DeviceName } from './devices';

export interface Experiment {
  /** Optional pointer to the schema, written by the templates. */
  $schema?: string;
  /** Experiment name; the run folder is `.modellab/runs/<name>/<run-id>/`. */
  name: string;
  description?: string;
  /** What the model learns; decides the loss targets and the evaluation. */
  task: Task;
  data: DataSection;
  model: ModelSection;
  training: TrainingSection;
  /** Metrics computed on validation (and test) splits, besides the loss. */
  metrics?: MetricName[];
  /** Transformer runs: the probe input whose attention is snapshotted. */
  probe?: ProbeSection;
  /** Several runs of this experiment with some settings changed (Run Sweep, `model-lab sweep`). */
  sweep?: SweepSection;
}

export type Task = 'classification' | 'language-model' | 'regression';
export type MetricName = 'accuracy' | 'f1' | 'perplexity' | 'mae' | 'rmse' | 'r2';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/** CSV tables of the same columns, one per split (paths relative to the experiment file). */
export interface SplitFiles {
  train: string;
  validation?: string;
  test?: string;
}

export const isSplitFiles = (source: DataSection['source']): source is SplitFiles =>
  typeof source === 'object';

/** The source in one line, for messages and run records: split files joined with " + ". */
export const sourceLabel = (source: DataSection['source']): string =>
  isSplitFiles(source)
    ? [source.train, source.validation, source.test].filter((f) => f !== undefined).join(' + ')
    : source;

export interface DataSection {
  /**
   * `builtin:<id>` for data that ships with Model Lab (see src/data/builtin),
   * or a path relative to the experiment file: a `.csv` (table or series),
   * a `.txt` (character language model) or a folder of images by class.
   * Or one CSV table per split (`SplitFiles`), in place of `splits`.
   */
  source: string | SplitFiles;
  /**
   * CSV only: 'table' (default) gives one example per row; 'series' reads one
   * time step per row and gives windows of `model.input.shape[0]` consecutive
   * rows, each predicting the next row's `target` (see src/data/seriesDataset.ts).
   */
  format?: 'table' | 'series';
  /** CSV only: the column holding the label / regression target (name or 0-based index). */
  target?: string | number;
  /**
   * Tables: the feature columns (names or indices; default: every column but the target).
   * Series: the columns fed to the model at each step (default: all columns).
   */
  /**
   * An imported model that reads token ids: a Hugging Face tokenizer.json (path relative to this
   * file) that turns a table's one text column, or a language model's .txt text, into the
   * model's token ids.
   */
  tokenizer?: string;
  columns?: (string | number)[];
  /** Tables: feature columns one-hot encoded over the training split's categories (names or indices). */
  categorical?: (string | number)[];
  /**
   * Tables: what to do with a row that has a missing cell (empty; in numeric columns also NA,
   * N/A, NaN, null). Default 'error'. See src/data/missingValues.ts.
   */
  missing?: MissingValues;
  /** CSV only: whether the first row holds column names (default true). */
  header?: boolean;
  /** Language models and sequence tasks: tokens per training example. */
  contextLength?: number;
  /** Fractions of the examples; they must sum to 1. Required for a single source (the schema says so), unused with split files. */
  splits?: SplitFractions;
  /** Seed of the shuffle that assigns examples to splits. */
  seed: number;
  /** Feature scaling for tables, fitted on the training split only. */
  normalize?: 'standard' | 'minmax' | 'none';
  /**
   * Tables and image folders: false takes the training batches in the order of the file every
   * epoch (default true: reshuffled each epoch). Text is read as random windows either way.
   */
  shuffle?: boolean;
  /** Image folders: every image is resized to this [height, width]. */
  imageSize?: [number, number];
}

/** data.missing: refuse the row, leave it out, or fill its feature cells from the training split. */
export type MissingValues = 'error' | 'drop' | 'fill';

/** A model described by its layers in the experiment file. */
export interface LayersModelSection {
  /**
   * Shape of one example without the batch dimension: [channels, height, width]
   * for images, [features] for tables, [contextLength] for token sequences,
   * [steps, features] for numeric series.
   */
  input: { shape: number[] };
  layers: Layer[];
  onnx?: undefined;
}

/**
 * A model imported from an ONNX file (exported from PyTorch or elsewhere) and fine-tuned.
 * Its input shape comes from the file's graph input (first axis: the batch).
 */
export interface OnnxModelSection {
  /** Path of the .onnx file, relative to the experiment file. */
  onnx: string;
  /** The graph input fed with the data, when the graph has several. */
  input?: string;
  /** The graph output the loss reads, when the graph has several. */
  output?: string;
  /**
   * Initializer names or name prefixes kept fixed; every other float initializer trains. Or
   * "backbone": everything but the last layer (the Gemm, MatMul or 1×1 Conv making the output).
   */
  freeze?: string[] | 'backbone';
  /** Sizes of the input's named axes after the batch (a symbolic sequence length), by axis name. */
  sizes?: Record<string, number>;
  /** Other graph inputs (an attention mask), each fed one value at every position, or a mask of the padding. */
  fill?: Record<string, FillValue>;
  /** Replace the last linear layer with a new one sized for the data (a model trained on other classes). */
  newHead?: boolean;
  layers?: undefined;
}

/**
 * What an imported model's other input is fed: one value at every position, or
 * `{ "padToken": id }`: 1 where the fed token ids are not that id, 0 where they are (Hugging
 * Face's attention mask over ids padded with the tokenizer's pad token), or with
 * `"secondTextAfter": separator` a pair's token type ids: 1 after the first separator in the ids
 * (the second text and its closing separator), 0 before it and at the padding, as BERT's.
 */
export type FillValue = number | { padToken: number; secondTextAfter?: number };

export type ModelSection = LayersModelSection | OnnxModelSection;

export const isOnnxModel = (model: ModelSection): model is OnnxModelSection => typeof model.onnx === 'string';

export type Activation = 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'none';

export type Layer =
  | { type: 'dense'; units: number; activation?: Activation }
  | {
      type: 'conv2d';
      filters: number;
      kernel: number;
      stride?: number;
      /** 'same' keeps height and width at stride 1; a number pads every side. */
      padding?: 'same' | 'valid' | number;
      dilation?: number;
      activation?: Activation;
    }
  | { type: 'maxpool2d'; size: number; stride?: number }
  | { type: 'avgpool2d'; size: number; stride?: number }
  /** Averages each channel over the whole image: [channels, height, width] → [channels]. */
  | { type: 'globalavgpool' }
  | { type: 'flatten' }
  | { type: 'dropout'; rate: number }
  | { type: 'embedding'; dim: number; vocabSize: number; positional?: 'learned' | 'sinusoidal' | 'none' }
  | { type: 'lstm'; units: number; returnSequences?: boolean }
  | { type: 'gru'; units: number; returnSequences?: boolean }
  | { type: 'attention'; heads: number; causal?: boolean }
  | { type: 'transformer'; heads: number; ffDim?: number; dropout?: number; causal?: boolean }
  | { type: 'layernorm' }
  | { type: 'activation'; activation: Exclude<Activation, 'none'> };

export type LayerType = Layer['type'];

export interface OptimizerConfig {
  type: 'sgd' | 'adam' | 'adamw';
  learningRate: number;
  /** SGD only. */
  momentum?: number;
  /** Adam / AdamW: [beta1, beta2]. */
  betas?: [number, number];
  weightDecay?: number;
}

export interface ScheduleConfig {
  type: 'constant' | 'cosine' | 'step' | 'warmup-cosine';
  warmupSteps?: number;
  /** 'step': multiply by gamma every stepSize steps. */
  stepSize?: number;
  gamma?: number;
  /** cosine: floor of the decay as a fraction of the base rate. */
  minFactor?: number;
}

export type LossName = 'cross-entropy' | 'mse' | 'bce-with-logits';

export interface TrainingSection {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  schedule?: ScheduleConfig;
  loss: LossName;
  labelSmoothing?: number;
  /** Clip gradients by global norm; off when absent. */
  clipNorm?: number;
  /** Stop after `patience` validations without improvement of `metric`. */
  earlyStopping?: { metric: string; patience: number; mode?: 'min' | 'max' };
  /** Validate every N steps (default: once per epoch). */
  validateEverySteps?: number;
  checkpoint?: { everySteps?: number };
  /** Overrides the `modelLab.device` setting for this experiment. */
  device?: DeviceName;
  /** Seed for weight initialisation, batch order and dropout. */
  seed: number;
  /** Optimizer steps fused into one runtime call (ONNX Loop); 1 disables fusion. */
  fusedSteps?: number;
  /** Language models: batches drawn per epoch (random windows of the text). */
  stepsPerEpoch?: number;
  /** Record gradient norms, update ratios and weight / gradient distributions every N steps (off when absent). */
  dynamics?: { everySteps: number };
}

export interface ProbeSection {
  /** Text (language models) whose attention maps are recorded. */
  text: string;
  /** Snapshot every N optimizer steps (and at the end). */
  everySteps?: number;
}

/** Any JSON value: what a swept setting may take. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A sweep trains one run (a trial) per combination of settings. Each trial is
 * the experiment with the swept settings replaced and without `sweep`.
 */
export interface SweepSection {
  /** grid: every combination of the listed values; random: `trials` draws. */
  method: 'grid' | 'random';
  /** random: how many trials to draw. */
  trials?: number;
  /**
   * Settings by dotted path into this file (`training.optimizer.learningRate`,
   * `model.layers.0.units`) and the values each trial takes.
   */
  parameters: Record<string, SweepParameter>;
  /** Trials that train at the same time (default: as many as the cores fit). */
  parallel?: number;
  /** The metric trials are ranked by: `<split>/<name>` or a name on the validation split (default: validation loss). */
  metric?: string;
  /** Whether a higher or lower metric is better (default: what suits the metric). */
  goal?: SweepGoal;
  /** Seed of the random draws (default: training.seed). */
  seed?: number;
}

export type SweepGoal = 'minimize' | 'maximize';

/** A list (grid values, or a uniform choice when random), an explicit choice, or a distribution (random only). */
export type SweepParameter = JsonValue[] | { choice: JsonValue[] } | SweepDistribution;

export interface SweepDistribution {
  /** log-uniform: uniform in log space between min and max (both > 0), for learning rates and the like. */
  distribution: 'uniform' | 'log-uniform';
  min: number;
  max: number;
}
