/**
 * Gradient rules of elementwise ops. Each returns one thunk per input, in the output's
 * (broadcast) shape; backward.ts sums broadcast dimensions away.
 * Notation: x(i) forward inputs, y(i) forward outputs, dy(i) incoming gradients.
 */
import type { GraphBuilder, Value } from '../../graph/builder';
import type { GradRule } from '../gradRule';
import { signMask, signMasksFor } from './signMask';

export const ELEMENTWISE_RULES: Record<string, GradRule> = {
  Identity: (c) => [() => c.dy()],
  Add: (c) => [() => c.dy(), () => c.dy()],
  Sub: (c) => [() => c.dy(), () => c.b.neg(c.dy())],
  Mul: (c) => [() => c.b.mul(c.dy(), c.x(1)), () => c.b.mul(c.dy(), c.x(0))],
  // y = a / b: da = dy / b, db = −dy · y / b
  Div: (c) => [() => c.b.div(c.dy(), c.x(1)), () => c.b.neg(c.b.div(c.b.mul(c.dy(), c.y(0)), c.x(1)))],
  // y = a^e: da = dy · e · a^(e−1), de = dy · y · ln a
  Pow: (c) => {
    const { b } = c;
    const e = () => b.cast(c.x(1), c.x(0).dtype);
    return [
      () => b.mul(b.mul(c.dy(), e()), b.op('Pow', [c.x(0), b.sub(e(), b.scalar(1, c.x(0).dtype))])[0]),
      () => b.mul(b.mul(c.dy(), c.y(0)), b.unary('Log', c.x(0))),
    ];
  },
  Neg: (c) => [() => c.b.neg(c.dy())],
  Abs: (c) => [() => c.b.mul(c.dy(), c.b.unary('Sign', c.x(0)))],
  // Relu passes the gradient where its output is positive: on the CPU, dy times the sign mask of y
  // (rules/signMask.ts). The imported wide ResNet's step: old (Where) / new 1.061.
  Relu: (c) => [() => reluGrad(c.b, c.dy(), c.y(0))],
  Clip: (c) => [() => clipGrad(c), undefined, undefined],
  Tanh: (c) => [() => c.b.mul(c.dy(), c.b.sub(one(c), c.b.mul(c.y(0), c.y(0))))],
  Sigmoid: (c) => [() => c.b.mul(c.dy(), c.b.mul(c.y(0), c.b.sub(one(c), c.y(0))))],
  Exp: (c) => [() => c.b.mul(c.dy(), c.y(0))],
  Log: (c) => [() => c.b.div(c.dy(), c.x(0))],
  Sqrt: (c) => [() => c.b.div(c.b.mul(c.dy(), c.b.scalar(0.5, c.x(0).dtype)), c.y(0))],
  Reciprocal: (c) => [() => c.b.neg(c.b.mul(c.dy(), c.b.mul(c.y(0), c.y(0))))],
  // erf'(x) = 2/√π · exp(−x²)  (Gelu is built from Erf: see layers/activations.ts)
  Erf: (c) => {
    const { b } = c;
    const x = c.x(0);
    return [
      () =>
        b.mul(c.dy(), b.mul(b.scalar(2 / Math.sqrt(Math.PI), x.dtype), b.unary('Exp', b.neg(b.mul(x, x))))),
    ];
  },
  Sin: (c) => [() => c.b.mul(c.dy(), c.b.unary('Cos', c.x(0)))],
  Cos: (c) => [() => c.b.neg(c.b.mul(c.dy(), c.b.unary('Sin', c.x(0))))],
  // Max / Min of broadcast inputs: each input equal to y gets dy, split evenly among ties
  // (torch.maximum / torch.minimum's gradient).
  Max: extremum,
  Min: extremum,
  Where: (c) => [
    undefined,
    () => c.b.op('Where', [c.x(0), c.dy(), zero(c)])[0],
    () => c.b.op('Where', [c.x(0), zero(c), c.dy()])[0],
  ],
  // Float → float casts pass the gradient back in the input's dtype.
  Cast: (c) => [() => c.b.cast(c.dy(), c.x(0).dtype)],
  // Softmax along one axis: dx = y · (dy − Σ dy·y)
  Softmax: (c) => {
    const { b } = c;
    const axis = c.int('axis', -1);
    return [() => b.mul(c.y(0), b.sub(c.dy(), b.reduceSum(b.mul(c.dy(), c.y(0)), [axis], true)))];
  },
  // LogSoftmax: dx = dy − exp(y) · Σ dy
  LogSoftmax: (c) => {
    const { b } = c;
    const axis = c.int('axis', -1);
    return [() => b.sub(c.dy(), b.mul(b.unary('Exp', c.y(0)), b.reduceSum(c.dy(), [axis], true)))];
  },
};

function extremum(c: Parameters<GradRule>[0]) {
  const { b } = c;
  const dtype = c.x(0).dtype;
  const isMax = c.node.inputs.map((v) => () => b.cast(b.op('Equal', [v!, c.y(0)])[0], dtype));
  let share: ReturnType<typeof b.div> | undefined;
  const dyPerTie = () =>
    (share ??= b.div(
      c.dy(),
      isMax.map((m) => m()).reduce((s, m) => b.add(s, m)),
    ));
  return isMax.map((m) => () => b.mul(dyPerTie(), m()));
}

/**
 * Clip (imported ReLU6, Hardtanh, clamp) passes dy where min ≤ x ≤ max, the bounds included, as
 * torch.clamp's gradient does. On the CPU in float32, a sign mask (see Relu): with both bounds
 * x − y is exactly 0 inside and nonzero (±∞ at most, y being finite) outside; with one, x − min or
 * max − x is ≥ 0. Graphs for WebGPU and other types: Where.
 */
function clipGrad(c: Parameters<GradRule>[0]): Value {
  const { b } = c;
  const x = c.x(0);
  // A min of −∞ or a max of +∞ bounds nothing (the importer's one-sided clamps carry one). A
  // bound that is not a constant has the value NaN here.
  const bound = (i: number, none: number): { v?: Value; value: number } => {
    const v = c.node.inputs[i];
    const value = v ? (b.constValue(v)?.[0] ?? NaN) : none;
    return value === none ? { value } : { v, value };
  };
  const [{ v: min, value: low }, { v: max, value: high }] = [bound(1, -Infinity), bound(2, Infinity)];
  // Non-constant or non-finite bounds, and min > max (every y is max, and no x is inside): Where.
  const ordered = low <= high && (!min || Number.isFinite(low)) && (!max || Number.isFinite(high));
  if (!signMasksFor(b, x.dtype) || !ordered) {
    let g = c.dy();
    if (min) g = b.op('Where', [b.op('Less', [x, min])[0], zero(c), g])[0];
    if (max) g = b.op('Where', [b.op('Greater', [x, max])[0], zero(c), g])[0];
    return g;
  }
  if (min && max) return b.mul(c.dy(), signMask(b, b.unary('Abs', b.sub(x, c.y(0))), -1, true));
  if (min) return b.mul(c.dy(), signMask(b, b.sub(x, min), 1, true));
  if (max) return b.mul(c.dy(), signMask(b, b.sub(max, x), 1, true));
  return c.dy();
}

const zero = (c: Parameters<GradRule>[0]) =>
  c.b.scalar(0, c.x(0).dtype === 'bool' ? c.x(1).dtype : c.x(0).dtype);
const one = (c: Parameters<GradRule>[0]) => c.b.scalar(1, c.x(0).dtype);

/**
 * dy where relu's output y is positive (y > 0 exactly when its input is): dy times y's sign mask
 * on the CPU, Where elsewhere.
 */
export function reluGrad(b: GraphBuilder, dy: Value, y: Value): Value {
  if (!signMasksFor(b, y.dtype))
    return b.op('Where', [b.op('Greater', [y, b.scalar(0, y.dtype)])[0], dy, b.scalar(0, y.dtype)])[0];
  return b.mul(dy, signMask(b, y, 1, false));
}
