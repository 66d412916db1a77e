/**
 * Analytic FLOPs of one training step (forward + backward) of an experiment's model:
 * the matrix products and convolutions only (elementwise work, softmax and normalisation are
 * left out; they are a few per cent here). One multiply-add counts as 2 FLOPs.
 *
 * Per product of an activation with a weight (m multiply-adds): forward m, weight gradient m,
 * input gradient m unless nothing before it needs a gradient (the first layer's raw input).
 * Products of two activations (attention scores, probabilities·values, the recurrent h·W_hh
 * whose input is the previous state) cost m forward and 2m backward.
 * The embedding lookup counts as no FLOPs (its gradient is a scatter, not model arithmetic).
 */
import type { InputKind } from '../src/contract/inputKind';
import { inferShapes } from '../src/experiment/shapes';
import type { Layer } from '../src/contract/experiment';

const prod = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function trainingFlops(
  layers: Layer[],
  inputShape: number[],
  inputKind: InputKind,
  batch: number,
): number {
  const { shapes, problem } = inferShapes(inputShape, inputKind, layers);
  if (problem) throw new Error(`layer ${problem.layer}: ${problem.message}`);
  let macs = 0;
  let inputNeedsGrad = false;
  /** An activation·weight product with m multiply-adds per example. */
  const weighted = (m: number) => {
    macs += batch * m * (inputNeedsGrad ? 3 : 2);
    inputNeedsGrad = true;
  };
  const pairwise = (m: number) => (macs += batch * m * 3);

  layers.forEach((layer, i) => {
    const input = i === 0 ? inputShape : shapes[i - 1];
    const output = shapes[i];
    switch (layer.type) {
      case 'dense':
        weighted(prod(input.slice(0, -1)) * input[input.length - 1] * layer.units);
        break;
      case 'conv2d':
        weighted(prod(output) * input[0] * layer.kernel * layer.kernel);
        break;
      case 'lstm':
      case 'gru': {
        const gates = layer.type === 'lstm' ? 4 : 3;
        const [steps, features] = input;
        const recurrent = steps * layer.units * gates * layer.units;
        weighted(steps * features * gates * layer.units);
        pairwise(recurrent);
        break;
      }
      case 'embedding':
        inputNeedsGrad = true;
        break;
      case 'attention':
      case 'transformer': {
        const [steps, dim] = input;
        weighted(steps * dim * 3 * dim);
        pairwise(2 * steps * steps * dim);
        weighted(steps * dim * dim);
        if (layer.type === 'transformer') {
          const ff = layer.ffDim ?? 4 * dim;
          weighted(steps * dim * ff);
          weighted(steps * ff * dim);
        }
        break;
      }
      default:
        break;
    }
  });
  return 2 * macs;
}
