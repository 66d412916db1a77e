/**
 * Analytic FLOPs of one training step (forward + backward) of an experiment's model, or of an
 * imported ONNX model: the matrix products and convolutions only (elementwise work, softmax and
 * normalisation are left out; they are a few per cent here). One multiply-add counts as 2 FLOPs.
 *
 * Per product of an activation with a weight (m multiply-adds): forward m, weight gradient m,
 * input gradient m unless nothing before it needs a gradient (the first layer's raw input).
 * Products of two activations (attention scores, probabilities·values, the recurrent h·W_hh
 * whose input is the previous state) cost m forward and 2m backward.
 * The embedding lookup counts as no FLOPs (its gradient is a scatter, not model arithmetic).
 * Each layer kind lists its products (`products` in src/engine/layers/); an imported model's
 * come from the shapes the engine builds its nodes with (`importedProducts` in src/engine/onnx/).
 */
import type { Layer } from '../src/contract/experiment';
import type { InputKind } from '../src/contract/inputKind';
import { kindOf } from '../src/engine/layers';
import { importedProducts, type ImportPlan } from '../src/engine/onnx';
import { inferShapes } from '../src/experiment/shapes';

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
  layers.forEach((layer, i) => {
    const input = i === 0 ? inputShape : shapes[i - 1];
    for (const { macs: m, operands } of kindOf(layer).products?.(layer, input, shapes[i]) ?? []) {
      if (operands === 'activation·activation') {
        macs += batch * m * 3;
      } else {
        macs += batch * m * (inputNeedsGrad ? 3 : 2);
        inputNeedsGrad = true;
      }
    }
  });
  return 2 * macs;
}

/** The same count for an imported model, whose weights may also be frozen. */
export function importedTrainingFlops(plan: ImportPlan, batch: number): number {
  let macs = 0;
  for (const p of importedProducts(plan, batch)) {
    const passes = p.activations ? 3 : 1 + Number(p.weightTrains) + Number(p.inputNeedsGradient);
    macs += p.macs * passes;
  }
  return 2 * macs;
}
