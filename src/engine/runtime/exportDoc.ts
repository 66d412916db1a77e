/** The doc_string of an exported model.onnx: what goes in, what comes out, how to prepare it. */
import type { ModelPlan } from '../model/graphs';

/**
 * Every layer builds batch-independent graphs (reshapes keep the batch as -1, recurrent
 * initial states follow the input's batch), so the doc names the first axis `batch`.
 */
export function exportDocString(plan: ModelPlan): string {
  const { options, input, output } = plan;
  const inShape = ['batch', ...input.shape.slice(1)];
  const outShape = ['batch', ...output.slice(1)];
  const tokens = options.model.inputKind === 'tokens';
  const meaning =
    options.loss === 'cross-entropy'
      ? 'unnormalised class scores (logits); apply softmax over the last axis for probabilities'
      : options.loss === 'bce-with-logits'
        ? 'logits; apply a sigmoid for probabilities'
        : 'predicted values';
  return [
    'Model Lab inference model (eval mode: dropout off), trained weights as initializers.',
    `Input "input": ${tokens ? 'int64 token ids' : 'float32'} of shape [${inShape.join(', ')}]` +
      (tokens
        ? ', ids from the same vocabulary as training.'
        : ', preprocessed as in training (same scaling / normalisation of features or pixels).'),
    `Output "output": float32 of shape [${outShape.join(', ')}]: ${meaning}.`,
    `Layers: ${options.model.layers.map((l) => l.type).join(' → ')}.`,
  ].join('\n');
}
