/**
 * Activation functions as builder ops. Gelu is the exact erf form 0.5·x·(1 + erf(x/√2)),
 * built from opset-17 ops (the Gelu op only arrives in opset 20); onnxruntime's optimizer
 * fuses the pattern back into one Gelu kernel, and autodiff differentiates it through Erf.
 */
import type { Activation } from '../../experiment/types';
import type { GraphBuilder, Value } from '../graph/builder';

export function gelu(b: GraphBuilder, x: Value): Value {
  const erf = b.unary('Erf', b.mul(x, b.scalar(Math.SQRT1_2, x.dtype)));
  return b.mul(b.mul(x, b.scalar(0.5, x.dtype)), b.add(erf, b.scalar(1, x.dtype)));
}

export function activate(b: GraphBuilder, x: Value, activation: Activation | undefined): Value {
  switch (activation ?? 'none') {
    case 'relu':
      return b.relu(x);
    case 'gelu':
      return gelu(b, x);
    case 'tanh':
      return b.unary('Tanh', x);
    case 'sigmoid':
      return b.unary('Sigmoid', x);
    case 'none':
      return x;
  }
}
