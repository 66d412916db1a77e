/** Gradient rules of ops that move or reduce elements without arithmetic on them. */
import type { Value } from '../../graph/builder';
import type { GradContext, GradRule } from '../gradRule';

/** Ops that only change the shape: the gradient is dy reshaped back. */
const reshapeBack: GradRule = (c) => [() => c.b.reshape(c.dy(), c.x(0).shape)];

export const SHAPE_RULES: Record<string, GradRule> = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  // Expand: dy in the expanded shape; backward.ts sums the broadcast axes.
  Expand: (c) => [() => c.dy()],
  Transpose: (c) => {
    const perm = c.ints(
      'perm',
      c.x(0).shape.map((_, i) => c.x(0).rank - 1 - i),
    );
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [() => c.b.transpose(c.dy(), inverse)];
  },
  Concat: (c) => {
    const axis = c.int('axis', 0);
    const sizes = c.node.inputs.map((v) => v!.shape[axis < 0 ? axis + v!.rank : axis]);
    let parts: ReturnType<GradContext['b']['op']> | undefined;
    const split = () =>
      (parts ??= c.b.op('Split', [c.dy(), c.b.ints(sizes)], { axis }, { outputs: sizes.length }));
    return sizes.map((_, i) => () => split()[i]);
  },
  Split: (c) => [
    () =>
      c.b.op(
        'Concat',
        c.node.outputs.map((_, i) => c.dy(i)),
        { axis: c.int('axis', 0) },
      )[0],
  ],
  // Slice (positive steps): the gradient is dy spread back to every step-th position (zeros
  // between), then padded with zeros back to the input's extent.
  Slice: (c) => {
    const x = c.x(0);
    const starts = c.constInts(1);
    const axes = c.node.inputs[3] ? c.constInts(3) : starts.map((_, i) => i);
    const steps = c.node.inputs[4] ? c.constInts(4) : starts.map(() => 1);
    if (steps.some((s) => s < 1))
      throw new Error(`Slice (node ${c.node.name}): only positive steps have a gradient rule`);
    return [
      () => {
        const pads = new Array<number>(2 * x.rank).fill(0);
        let dx = c.dy();
        axes.forEach((a, i) => {
          const ax = a < 0 ? a + x.rank : a;
          const n = x.shape[ax];
          const begin = Math.min(Math.max(starts[i] < 0 ? starts[i] + n : starts[i], 0), n);
          dx = spreadBySteps(c, dx, ax, steps[i], n - begin);
          pads[ax] = begin;
          pads[ax + x.rank] = n - begin - dx.shape[ax];
        });
        return c.b.op('Pad', [dx, c.b.ints(pads)])[0];
      },
    ];
  },
  // Pad (constant mode): the gradient is the un-padded window of dy.
  Pad: (c) => {
    const x = c.x(0);
    const pads = c.constInts(1);
    const starts = x.shape.map((_, i) => pads[i]);
    const ends = x.shape.map((d, i) => pads[i] + d);
    return [() => c.b.op('Slice', [c.dy(), c.b.ints(starts), c.b.ints(ends)])[0]];
  },
  // Reductions: dy broadcast back over the reduced axes (ReduceMean also divides by their size).
  ReduceSum: (c) => [() => expandBack(c, c.dy())],
  ReduceMean: (c) => {
    const count = c.x(0).size / c.y(0).size;
    return [() => expandBack(c, c.b.mul(c.dy(), c.b.scalar(1 / count, c.x(0).dtype)))];
  },
  // ReduceMax / ReduceMin: dy goes to the elements equal to the result, split evenly among
  // ties (torch.amax / amin's gradient; .max(dim).values exports as the same ReduceMax, and
  // where PyTorch would give a tie's gradient to one index this splits it).
  ReduceMax: extremumBack,
  ReduceMin: extremumBack,
};

/**
 * Places the m entries of `v` along `axis` at every step-th position, zeros between (the
 * strided slice's positions relative to its start), at most `room` long.
 */
function spreadBySteps(c: GradContext, v: Value, axis: number, step: number, room: number): Value {
  if (step === 1) return v;
  const { b } = c;
  const m = v.shape[axis];
  const split = [...v.shape.slice(0, axis), m, 1, ...v.shape.slice(axis + 1)];
  const pads = new Array<number>(2 * split.length).fill(0);
  pads[split.length + axis + 1] = step - 1;
  const gaps = b.op('Pad', [b.reshape(v, split), b.ints(pads)])[0];
  const spread = b.reshape(
    gaps,
    v.shape.map((d, i) => (i === axis ? m * step : d)),
  );
  const length = Math.min(m * step, room);
  return length === m * step
    ? spread
    : b.op('Slice', [spread, b.ints([0]), b.ints([length]), b.ints([axis])])[0];
}

function extremumBack(c: GradContext): ReturnType<GradRule> {
  const { b } = c;
  return [
    () => {
      const x = c.x(0);
      const hit = b.cast(b.op('Equal', [x, expandBack(c, c.y(0))])[0], x.dtype);
      const count = c.b.op('ReduceSum', [hit, b.ints(reducedAxes(c))], { keepdims: 1 })[0];
      return b.div(b.mul(hit, expandBack(c, c.dy())), count);
    },
  ];
}

/** The axes a reduction reduced (all when none are listed), as non-negative indices. */
function reducedAxes(c: GradContext): number[] {
  const x = c.x(0);
  const listed =
    c.node.opType === 'ReduceSum' ? (c.node.inputs[1] ? c.constInts(1) : []) : c.ints('axes', []);
  return listed.length ? listed.map((a) => (a < 0 ? a + x.rank : a)) : x.shape.map((_, i) => i);
}

function expandBack(c: GradContext, dy: ReturnType<GradContext['dy']>) {
  const x = c.x(0);
  const set = new Set(reducedAxes(c));
  const kept = x.shape.map((d, i) => (set.has(i) ? 1 : d));
  return c.b.op('Expand', [c.b.reshape(dy, kept), c.b.ints(x.shape)])[0];
}
