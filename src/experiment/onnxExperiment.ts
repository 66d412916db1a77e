/**
 * The experiment file that fine-tunes an imported ONNX model, written next to the model by
 * "Model Lab: Import ONNX Model…" (and the explorer's "Fine-tune…" on a .onnx file).
 * The task follows the model's output: [batch, classes] scores → classification,
 * [batch, positions, vocabulary] from token ids → a language model, anything else →
 * regression. The data source is a CSV beside the model for the user to provide, read as it
 * is (no feature scaling): the model was trained on its own preprocessing, which Model Lab
 * cannot know, so the file holds the features as the model expects them. Adam with PyTorch's
 * default learning rate continues a PyTorch training as its user expects. With a Hugging Face
 * tokenizer.json beside a text model, the CSV holds texts and a label, or a language model's
 * text is read as that tokenizer's tokens (`data.tokenizer`). The import's choices
 * for a model with several inputs or named axes (`input`, `fill`, `sizes`) are written out, for
 * the user to see and change.
 */
import type { Experiment, FillValue, OptimizerConfig } from '../contract/experiment';
import type { OnnxModelSummary, OnnxTensorInfo, OnnxTokenizerInfo } from '../contract/onnxModel';
import type { ImportPlan } from '../engine/onnx';

/** The batch and optimizer a fine-tuning experiment starts with (and the .onnx view's memory estimate assumes). */
export const FINE_TUNE_TRAINING: { batchSize: number; optimizer: OptimizerConfig } = {
  batchSize: 16,
  optimizer: { type: 'adam', learningRate: 0.001 },
};

/**
 * A Hugging Face tokenizer beside the model (`file`, with its pad token's id when it has one):
 * the scaffold's table then holds texts, which that tokenizer turns into the model's ids.
 */
export interface ScaffoldTokenizer {
  file: string;
  padId?: number;
  /** The separator after which a pair's second text has token type 1 (BERT's [SEP]). */
  secondTextAfter?: number;
}

/** What a tokenizer's own encoding gives the input `name`, computed from the ids; undefined when it is a constant. */
export function fillFromTokenizer(
  name: string,
  { padId, secondTextAfter }: ScaffoldTokenizer,
): FillValue | undefined {
  if (padId === undefined) return undefined;
  if (/mask/i.test(name)) return { padToken: padId };
  if (/type/i.test(name) && secondTextAfter !== undefined) return { padToken: padId, secondTextAfter };
  return undefined;
}

/** The task a model's output says: [batch, classes] scores, a language model's [batch, T, vocab], else regression. */
function taskOf(plan: ImportPlan): Experiment['task'] {
  const dims = plan.output.dims;
  if (plan.inputKind === 'tokens' && dims.length === 3) return 'language-model';
  return dims.length === 2 && dims[1] !== 1 ? 'classification' : 'regression';
}

export function onnxExperiment(
  plan: ImportPlan,
  modelFile: string,
  name: string,
  tokenizer?: ScaffoldTokenizer,
): Experiment {
  const task = taskOf(plan);
  // Texts in a table for a classifier or regressor of token ids; a language model reads its text file.
  const texts = tokenizer && plan.inputKind === 'tokens' && task !== 'language-model' ? tokenizer : undefined;
  // Padded texts: a mask input is 0 at the padding, as the tokenizer's own attention mask; type
  // ids are 1 on the second text of a pair, as the tokenizer's own (single texts: all 0).
  const fill = Object.fromEntries(
    plan.filled.map((f) => [f.name, texts ? (fillFromTokenizer(f.name, texts) ?? f.value) : f.value]),
  );
  return {
    name,
    description: `Fine-tunes ${modelFile} (${plan.parameters.length} trainable initializers).`,
    task,
    data: {
      source: task === 'language-model' ? 'data.txt' : 'data.csv',
      // A language model reads windows as long as its input (the text's default would not fit it).
      ...(task === 'language-model'
        ? { contextLength: plan.inputShape[0], ...(tokenizer ? { tokenizer: tokenizer.file } : {}) }
        : { target: 'label', normalize: 'none', ...(texts ? { tokenizer: texts.file } : {}) }),
      splits: { train: 0.8, validation: 0.1, test: 0.1 },
      seed: 1,
    },
    model: {
      onnx: modelFile,
      ...(plan.model.inputs.length > 1 ? { input: plan.input.name } : {}),
      ...(plan.model.outputs.length > 1 ? { output: plan.output.name } : {}),
      ...(Object.keys(plan.sizes).length ? { sizes: plan.sizes } : {}),
      ...(plan.filled.length ? { fill } : {}),
    },
    training: {
      epochs: 5,
      ...FINE_TUNE_TRAINING,
      loss: task === 'regression' ? 'mse' : 'cross-entropy',
      seed: 1,
    },
    metrics: task === 'regression' ? ['mae'] : ['accuracy'],
  };
}

/**
 * What "Evaluate on data…" in the .onnx model view scores: the model as it is, on every example
 * of `source` (all of it the test split), with the task and loss the scaffold would choose.
 * `target` names the CSV column of labels or targets. A language model saved with its
 * `tokenizer` reads the text as that tokenizer's tokens; so does a model of token ids whose table
 * holds text (`texts`: its text columns, one or the two of a pair), its other inputs filled as
 * the tokenizer's own encoding fills them.
 */
export function onnxEvaluationExperiment(
  plan: ImportPlan,
  modelFile: string,
  source: string,
  target: string | number,
  tokenizer?: ScaffoldTokenizer,
  texts: string[] = [],
): Experiment {
  const languageModel = taskOf(plan) === 'language-model';
  const reads = languageModel || texts.length > 0 ? tokenizer : undefined;
  const experiment = onnxExperiment(plan, modelFile, 'evaluation', reads);
  return {
    ...experiment,
    data: {
      ...experiment.data,
      source,
      ...(languageModel ? {} : { target }),
      ...(reads && texts.length ? { columns: texts } : {}),
      splits: { train: 0, validation: 0, test: 1 },
    },
  };
}

/** The kinds of data "Evaluate on data…" offers for a model, as training data is declared. */
export type EvaluationDataKind = 'csv' | 'images' | 'text';

/**
 * What data fits a model whose (first) graph input is `input`: token ids read a text file (or
 * CSV rows of ids); an image-shaped float input ([batch, 1 or 3, height, width]) a folder of
 * PNG or JPEG images by class, or CSV rows of pixels; any other input CSV rows. The likeliest first.
 */
export function evaluationDataKinds(input: OnnxTensorInfo | undefined): EvaluationDataKind[] {
  if (input?.dtype === 'int64') return ['text', 'csv'];
  const [, channels, height, width] = input?.dims ?? [];
  const image =
    input?.dims.length === 4 &&
    (channels === 1 || channels === 3) &&
    typeof height === 'number' &&
    typeof width === 'number';
  return image ? ['images', 'csv'] : ['csv'];
}

/**
 * What the .onnx view says of a tokenizer saved beside a model of token ids: Fine-tune… reads
 * texts through it, and which of the inputs the view lists as filled it then computes from the
 * ids; undefined without one.
 */
export function tokenizerInfo(
  summary: Pick<OnnxModelSummary, 'inputs' | 'filledInputs'>,
  tokenizer: ScaffoldTokenizer | undefined,
): OnnxTokenizerInfo | undefined {
  const filled = Object.keys(summary.filledInputs ?? {});
  const fed = summary.inputs.find((input) => !filled.includes(input.name));
  if (!tokenizer || (fed?.dtype !== 'int64' && fed?.dtype !== 'int32')) return undefined;
  const fromIds: OnnxTokenizerInfo['fromIds'] = {};
  for (const name of filled) {
    const value = fillFromTokenizer(name, tokenizer);
    if (typeof value === 'object') fromIds[name] = value.secondTextAfter === undefined ? 'mask' : 'types';
  }
  return { file: tokenizer.file, fromIds };
}
