/**
 * Activation functions as builder ops. Gelu is the exact erf form x·Φ(x) with
 * Φ(x) = (1 + erf(x/√2))/2, built from opset-17 ops (the Gelu op only arrives in opset 20).
 * Its last node is marked as a composite, so autodiff uses one Gelu rule
 * (autodiff/rules/composite.ts) that reuses x/√2 and Φ instead of differentiating through Erf.
 */
import type { Activation } from '../../contract/experiment';
import type { GraphBuilder, Value } from '../graph/builder';

export function gelu(b: GraphBuilder, x: Value): Value {
  const u = b.mul(x, b.scalar(Math.SQRT1_2, x.dtype));
  const phi = b.mul(b.add(b.unary('Erf', u), b.scalar(1, x.dtype)), b.scalar(0.5, x.dtype));
  const y = b.mul(x, phi);
  y.producer!.composite = { rule: 'gelu', inputs: [x, u, phi] };
  return y;
}

/**
 * √2·gelu(√2·u) = u·(1 + erf u), for a u = z/√2 that the producing Gemm scaled already (its
 * alpha): three passes (Erf, Add, Mul) where gelu takes five; the consumer takes the √2 back
 * in its own alpha (layers/sequence.ts). Marked as a composite over [u, 1 + erf u], whose rule
 * reuses both.
 */
export function geluOfScaled(b: GraphBuilder, u: Value): Value {
  const onePlusErf = b.add(b.unary('Erf', u), b.scalar(1, u.dtype));
  const y = b.mul(u, onePlusErf);
  y.producer!.composite = { rule: 'geluOfScaled', inputs: [u, onePlusErf] };
  return y;
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
