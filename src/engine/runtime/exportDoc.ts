/** The doc_string and metadata of an exported model.onnx: what goes in, what comes out, how to prepare it. */
import type { ExportOptions } from '../api';
import type { ModelPlan } from '../model/graphs';

/** metadata_props key holding the feature scaling the graph applies, as JSON {shift, scale}. */
export const INPUT_SCALING_KEY = 'model_lab.input_scaling';
/** metadata_props key holding a table's input columns, as JSON {numeric, categorical: [{column, categories}], fill?: {column: value}}. */
export const INPUT_ENCODING_KEY = 'model_lab.input_encoding';
/** metadata_props key holding the target scaling the graph undoes, as JSON {shift, scale}. */
export const OUTPUT_SCALING_KEY = 'model_lab.output_scaling';
/** metadata_props key holding a classifier's class names (score i is class i), as a JSON array. */
export const CLASSES_KEY = 'model_lab.classes';

/**
 * Every layer builds batch-independent graphs (reshapes keep the batch as -1, recurrent
 * initial states follow the input's batch), so the doc names the first axis `batch`.
 */
export function exportDocString(plan: ModelPlan, options: ExportOptions = {}): string {
  const { options: compile, input, output } = plan;
  const inShape = ['batch', ...input.shape.slice(1)];
  const outShape = ['batch', ...output.slice(1)];
  const tokens = compile.model.inputKind === 'tokens';
  const meaning =
    compile.loss === 'cross-entropy'
      ? 'unnormalised class scores (logits); apply softmax over the last axis for probabilities'
      : compile.loss === 'bce-with-logits'
        ? 'logits; apply a sigmoid for probabilities'
        : options.outputScaling
          ? "predicted values in the target column's own units"
          : 'predicted values';
  const preparation = tokens
    ? ', ids from the same vocabulary as training.'
    : options.inputEncoding
      ? `, a table row encoded as ${INPUT_ENCODING_KEY} in the metadata says: ${options.inputEncoding.fill ? "first each empty cell replaced by its column's value in fill (the training split's mean, or most frequent category), then " : ''}its numeric columns as they are in the data file, then one position per category of each categorical column (1 for the row's category; all 0 for a category training never saw)${options.inputScaling ? '; the model scales the numeric values itself' : ''}.`
      : options.inputScaling
        ? `, raw values as in the data file: the model applies the training scaling (value − shift) / scale to the last axis itself (${INPUT_SCALING_KEY} in the metadata).`
        : ', preprocessed as in training (same scaling / normalisation of features or pixels).';
  return [
    'Model Lab inference model (eval mode: dropout off), trained weights as initializers.',
    `Input "input": ${tokens ? 'int64 token ids' : 'float32'} of shape [${inShape.join(', ')}]${preparation}`,
    `Output "output": float32 of shape [${outShape.join(', ')}]: ${meaning}.`,
    `Layers: ${compile.model.layers.map((l) => l.type).join(' → ')}.`,
  ].join('\n');
}

/** The scalings and classes as metadata, so a reader of model.onnx knows what the graph does to its data and what its scores mean. */
export function exportMetadata(options: ExportOptions): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (options.inputScaling) metadata[INPUT_SCALING_KEY] = JSON.stringify(options.inputScaling);
  if (options.outputScaling) metadata[OUTPUT_SCALING_KEY] = JSON.stringify(options.outputScaling);
  if (options.inputEncoding) metadata[INPUT_ENCODING_KEY] = JSON.stringify(options.inputEncoding);
  if (options.classes) metadata[CLASSES_KEY] = JSON.stringify(options.classes);
  return metadata;
}
