/**
 * Element-by-element ops PyTorch exports that Model Lab imports beyond the basic ones:
 *  - comparisons, logic, rounding and tests for infinities and NaNs (x >= y, a | b, torch.sign /
 *    floor / ceil / round, torch.isinf / isnan) pass through as they are; no gradient flows
 *    through them (autodiff/rules NO_GRADIENT), as in PyTorch, where they are piecewise constant
 *    or produce booleans; CastLike is the Cast to its second input's element type;
 *  - activations without an engine gradient rule of their own, composed of ops that have one:
 *    Celu as a scaled Elu, Mish (opset 18) as x·tanh(softplus(x)), which is also how PyTorch
 *    exports nn.Mish before opset 18, ThresholdedRelu as a Where, and Swish (opset 24,
 *    x·sigmoid(alpha·x); nn.SiLU where alpha is 1) as that product.
 */
import { attrFloat, same, type OpImporter } from './opImporter';

export const POINTWISE_OPS: Record<string, OpImporter> = {
  GreaterOrEqual: same(),
  LessOrEqual: same(),
  Or: same(),
  Xor: same(),
  Sign: same(),
  Floor: same(),
  Ceil: same(),
  Round: same(),
  // Masks of non-finite values (PyTorch 2's exporter guards masked softmax with them): booleans.
  IsInf: same(['detect_negative', 'detect_positive']),
  IsNaN: same(),
  // The first input cast to the second's element type (PyTorch 2's exporter writes it for
  // scalars): a Cast, whose rule casts the gradient back.
  CastLike: { emit: (c) => [c.b.cast(c.x(0), c.x(1).dtype)] },
  // celu(x, α) = max(0, x) + min(0, α·(exp(x/α) − 1)) = α·elu(x/α): Elu's rule, and exp never
  // sees the positive side, where it could overflow.
  Celu: {
    attrs: ['alpha'],
    check: (n) => (attrFloat(n, 'alpha', 1) === 0 ? 'alpha 0 (Celu divides by alpha)' : undefined),
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const alpha = b.scalar(attrFloat(c.node, 'alpha', 1), x.dtype);
      return [b.mul(alpha, b.unary('Elu', b.div(x, alpha)))];
    },
  },
  Mish: {
    emit: (c) => {
      const x = c.x(0);
      return [c.b.mul(x, c.b.unary('Tanh', c.b.unary('Softplus', x)))];
    },
  },
  Swish: {
    attrs: ['alpha'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const alpha = attrFloat(c.node, 'alpha', 1);
      const scaled = alpha === 1 ? x : b.mul(x, b.scalar(alpha, x.dtype));
      return [b.mul(x, b.unary('Sigmoid', scaled))];
    },
  },
  // x where x > alpha, else 0.
  ThresholdedRelu: {
    attrs: ['alpha'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const alpha = b.scalar(attrFloat(c.node, 'alpha', 1), x.dtype);
      return b.op('Where', [b.op('Greater', [x, alpha])[0], x, b.scalar(0, x.dtype)]);
    },
  },
};
