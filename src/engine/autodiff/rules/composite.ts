/**
 * Gradient rules of composites: standard-op subgraphs whose last node carries Node.composite
 * (built in src/engine/layers). One rule per composite reuses the forward's intermediates and
 * needs fewer full-size passes than differentiating the composite's nodes one by one.
 */
import type { GradRule } from '../gradRule';
import { conv2dComposite } from './conv';

export const COMPOSITE_RULES: Record<string, GradRule> = {
  conv2d: conv2dComposite,
  // Gelu y = x·Φ(x) with inputs [x, u = x/√2, Φ = (1 + erf u)/2] (layers/activations.ts):
  //   dx = dy · (Φ + x·φ(x)),  x·φ(x) = u·exp(−u²)/√π = u·exp(−ln√π − u²)
  // so the constant 1/√π rides in the exponent: six element-wise ops in all.
  gelu: (c) => {
    const { b } = c;
    const [u, phi] = [c.x(1), c.x(2)];
    return [
      () => {
        const density = b.unary('Exp', b.sub(b.scalar(-0.5 * Math.log(Math.PI), u.dtype), b.mul(u, u)));
        return b.mul(c.dy(), b.add(phi, b.mul(u, density)));
      },
      undefined,
      undefined,
    ];
  },
  // y = u·a with a = 1 + erf u (layers/activations.ts geluOfScaled, inputs [u, a]):
  //   du = dy · (a + u·erf′(u)) = dy · (a + u·exp(ln(2/√π) − u²)),  six element-wise ops.
  geluOfScaled: (c) => {
    const { b } = c;
    const [u, a] = [c.x(0), c.x(1)];
    return [
      () => {
        const density = b.unary(
          'Exp',
          b.sub(b.scalar(Math.log(2 / Math.sqrt(Math.PI)), u.dtype), b.mul(u, u)),
        );
        return b.mul(c.dy(), b.add(a, b.mul(u, density)));
      },
      undefined,
    ];
  },
};
