/**
 * Gradient rules of the activation functions PyTorch exports as single ONNX ops (F.elu, F.selu,
 * F.leaky_relu, F.softplus, F.softsign, F.hardsigmoid, F.hardswish, nn.PReLU). onnxruntime runs
 * each forward as one kernel; each rule is a few elementwise ops on x, y and dy, with PyTorch's
 * choice at the kinks (the side a boundary point belongs to), so fine-tuning follows PyTorch's
 * gradients.
 * Notation as in elementwise.ts.
 */
import type { Value } from '../../graph/builder';
import type { GradContext, GradRule } from '../gradRule';
import { signMask, signMasksFor } from './signMask';

const scalar = (c: GradContext, v: number) => c.b.scalar(v, c.x(0).dtype);
const where = (c: GradContext, condition: Value, a: Value, b: Value) => c.b.op('Where', [condition, a, b])[0];
const positive = (c: GradContext) => c.b.op('Greater', [c.x(0), scalar(c, 0)])[0];

export const ACTIVATION_RULES: Record<string, GradRule> = {
  // y = x (x > 0), α·(eˣ − 1) otherwise: dx = dy, or dy·(y + α) where eˣ = (y + α)/α.
  Elu: (c) => [
    () => where(c, positive(c), c.dy(), c.b.mul(c.dy(), c.b.add(c.y(0), scalar(c, c.float('alpha', 1))))),
  ],
  // y = γ·x (x > 0), γ·α·(eˣ − 1) otherwise: dx = γ·dy, or dy·(y + γ·α).
  Selu: (c) => {
    const alpha = c.float('alpha', 1.67326319217681884765625);
    const gamma = c.float('gamma', 1.05070102214813232421875);
    return [
      () =>
        where(
          c,
          positive(c),
          c.b.mul(c.dy(), scalar(c, gamma)),
          c.b.mul(c.dy(), c.b.add(c.y(0), scalar(c, gamma * alpha))),
        ),
    ];
  },
  // y = x (x > 0), α·x otherwise: dx = dy, or α·dy (x ≤ 0: PyTorch's leaky_relu_backward). On the
  // CPU with 0 ≤ α ≤ 1, dy·max(mask, α) with the sign mask of x (rules/signMask.ts): exactly dy or
  // dy·α, without Where.
  LeakyRelu: (c) => {
    const { b } = c;
    const x = c.x(0);
    const alpha = c.float('alpha', 0.01);
    return [
      () =>
        signMasksFor(b, x.dtype) && alpha >= 0 && alpha <= 1
          ? b.mul(c.dy(), b.op('Max', [signMask(b, x, 1, false), scalar(c, alpha)])[0])
          : where(c, positive(c), c.dy(), b.mul(c.dy(), scalar(c, alpha))),
    ];
  },
  // y = ln(1 + eˣ): dx = dy·σ(x).
  Softplus: (c) => [() => c.b.mul(c.dy(), c.b.unary('Sigmoid', c.x(0)))],
  // y = x / (1 + |x|): dx = dy / (1 + |x|)².
  Softsign: (c) => [
    () => {
      const d = c.b.add(scalar(c, 1), c.b.unary('Abs', c.x(0)));
      return c.b.div(c.dy(), c.b.mul(d, d));
    },
  ],
  // y = max(0, min(1, α·x + β)): dx = α·dy strictly inside (0, 1), else 0 (PyTorch's
  // hardsigmoid_backward is 0 at −3 and 3 too). On the CPU the inside is y·(1 − y) > 0 as a sign
  // mask of the forward's own y (rules/signMask.ts), without Where.
  HardSigmoid: (c) => {
    const { b } = c;
    const alpha = c.float('alpha', 0.2);
    return [
      () => {
        if (signMasksFor(b, c.x(0).dtype)) {
          const y = c.y(0);
          const inside = signMask(b, b.mul(y, b.sub(scalar(c, 1), y)), 1, false);
          return b.mul(c.dy(), b.mul(inside, scalar(c, alpha)));
        }
        const z = b.add(b.mul(c.x(0), scalar(c, alpha)), scalar(c, c.float('beta', 0.5)));
        const inside = b.op('And', [
          b.op('Greater', [z, scalar(c, 0)])[0],
          b.op('Less', [z, scalar(c, 1)])[0],
        ])[0];
        return where(c, inside, b.mul(c.dy(), scalar(c, alpha)), scalar(c, 0));
      },
    ];
  },
  // y = x·min(max(x + 3, 0), 6)/6: dx = 0 (x < −3), dy·(x/3 + ½) (−3 ≤ x ≤ 3), dy (x > 3),
  // PyTorch's hardswish_backward boundaries and arithmetic. (A Where-free form from sign masks
  // took ten passes and measured no faster here.)
  HardSwish: (c) => {
    const { b } = c;
    const x = c.x(0);
    return [
      () => {
        const slope = b.add(b.div(x, scalar(c, 3)), scalar(c, 0.5));
        const middle = where(c, b.op('Greater', [x, scalar(c, 3)])[0], c.dy(), b.mul(c.dy(), slope));
        return where(c, b.op('Less', [x, scalar(c, -3)])[0], scalar(c, 0), middle);
      },
    ];
  },
  // y = x (x > 0), slope·x otherwise (slope broadcast onto x; backward.ts sums it back):
  // dx = dy or dy·slope, dslope = dy·x where x ≤ 0.
  PRelu: (c) => [
    () => where(c, positive(c), c.dy(), c.b.mul(c.dy(), c.x(1))),
    () => where(c, positive(c), scalar(c, 0), c.b.mul(c.dy(), c.x(0))),
  ],
};
