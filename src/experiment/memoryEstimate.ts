/**
 * How much memory training an experiment needs, estimated from its layers
 * before anything is compiled: a model too large for the machine otherwise
 * grows for minutes until the system kills it, with no message.
 *
 *   parameters   4 bytes each, held several times during a train step: the
 *                weights, their gradients, the optimizer's state (Adam: two
 *                moments; SGD with momentum: one velocity) and the updated
 *                copies of weights and state the step returns;
 *   activations  every layer's output for the whole batch, kept for the
 *                backward pass, plus a gradient of the same size (attention
 *                adds its heads × positions² score maps).
 *
 * An estimate, not a measurement: the runtime's workspace comes on top.
 */
import type { Layer, OptimizerConfig } from '../contract/experiment';

export interface LayerCost {
  parameters: number;
  /** Float values of activations per example. */
  activations: number;
}

export interface MemoryEstimate {
  parameters: number;
  parameterBytes: number;
  activationBytes: number;
  totalBytes: number;
  /** Index of the layer with the most parameters. */
  largestLayer: number;
  largestLayerParameters: number;
  /** How many copies of the parameters a train step holds with this optimizer. */
  parameterCopies: number;
  /** Float values of the forward pass kept for the backward pass, per example. */
  activationsPerExample: number;
}

const FLOAT_BYTES = 4;
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Parameters and per-example activations of one layer, given its input and output shapes (no batch axis). */
export function layerCost(layer: Layer, input: number[], output: number[]): LayerCost {
  const last = input.at(-1) ?? 1;
  const activations = size(output);
  switch (layer.type) {
    case 'dense':
      return { parameters: last * layer.units + layer.units, activations };
    case 'conv2d':
      return {
        parameters: layer.filters * input[0] * layer.kernel * layer.kernel + layer.filters,
        activations,
      };
    case 'embedding': {
      const positions = (layer.positional ?? 'learned') === 'learned' ? input[0] * layer.dim : 0;
      return { parameters: layer.vocabSize * layer.dim + positions, activations };
    }
    case 'lstm':
    case 'gru': {
      const gates = layer.type === 'lstm' ? 4 : 3;
      const steps = input[0];
      return {
        parameters: gates * layer.units * (last + layer.units) + 2 * gates * layer.units,
        activations: activations + steps * gates * layer.units,
      };
    }
    case 'attention':
    case 'transformer': {
      const [positions, width] = input;
      const scores = layer.heads * positions * positions;
      const attention = 4 * (width * width + width);
      if (layer.type === 'attention') return { parameters: attention, activations: activations + scores };
      const ff = layer.ffDim ?? 4 * width;
      return {
        parameters: attention + 2 * width * ff + ff + width + 4 * width,
        activations: activations + scores + positions * ff,
      };
    }
    case 'layernorm':
      return { parameters: 2 * last, activations };
    default:
      return { parameters: 0, activations };
  }
}

/** Copies of the parameters alive in one train step (see the file comment). */
export function parameterCopies(optimizer: OptimizerConfig): number {
  const slots = optimizer.type === 'sgd' ? ((optimizer.momentum ?? 0) > 0 ? 1 : 0) : 2;
  // weights + gradients + state, and the step's updated weights and state.
  return 2 + 2 * slots + 1;
}

export function estimateMemory(
  layers: Layer[],
  inputShape: number[],
  shapes: number[][],
  batchSize: number,
  optimizer: OptimizerConfig,
): MemoryEstimate {
  let parameters = 0;
  let activations = size(inputShape);
  let largestLayer = 0;
  let largestLayerParameters = 0;
  layers.forEach((layer, i) => {
    const cost = layerCost(layer, i === 0 ? inputShape : shapes[i - 1], shapes[i]);
    parameters += cost.parameters;
    activations += cost.activations;
    if (cost.parameters > largestLayerParameters) {
      largestLayer = i;
      largestLayerParameters = cost.parameters;
    }
  });
  const copies = parameterCopies(optimizer);
  const parameterBytes = parameters * FLOAT_BYTES * copies;
  // Forward values kept for the backward pass, and their gradients.
  const activationBytes = activations * batchSize * FLOAT_BYTES * 2;
  return {
    parameters,
    parameterBytes,
    activationBytes,
    totalBytes: parameterBytes + activationBytes,
    largestLayer,
    largestLayerParameters,
    parameterCopies: copies,
    activationsPerExample: activations,
  };
}

export { formatBytes } from '../contract/modelSummaryText';
