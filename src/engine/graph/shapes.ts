/**
 * Static shape and dtype inference, one entry per op type the engine emits.
 * Shapes are fully static (no symbolic dims): a graph is built for one batch size.
 * A mismatch throws a ShapeError naming the op, the builder scope (e.g. 'layer2/conv2d/')
 * and the input shapes, so model errors point at a layer.
 */
import type { DType } from './dtypes';

export interface ValueType {
  dtype: DType;
  shape: number[];
}

/** What inference reads of a graph value (the builder's `Value` has these and more). */
interface ShapedValue {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly size: number;
  readonly rank: number;
}

/** Attribute values as the builder holds them; inference reads numbers, number lists and a tensor's dtype. */
type Attrs = Readonly<Record<string, unknown>>;

export class ShapeError extends Error {}

type ConstOf = (v: ShapedValue | undefined) => number[] | undefined;

interface Ctx {
  opType: string;
  inputs: (ShapedValue | undefined)[];
  attrs: Attrs;
  outputs: number;
  constOf: ConstOf;
  fail(why: string): never;
  int(name: string, fallback: number): number;
  ints(name: string, fallback: number[]): number[];
  x(i: number): ShapedValue;
  constInts(i: number, what: string): number[];
}

type Infer = (c: Ctx) => ValueType[];

const DTYPES: Record<number, DType> = { 1: 'float32', 6: 'int32', 7: 'int64', 9: 'bool', 11: 'float64' };

export function inferShapes(
  opType: string,
  inputs: (ShapedValue | undefined)[],
  attrs: Attrs,
  outputs: number,
  constOf: ConstOf,
  scope: string,
): ValueType[] {
  const rule = SHAPES[opType];
  const ctx: Ctx = {
    opType,
    inputs,
    attrs,
    outputs,
    constOf,
    fail(why) {
      const shapes = inputs.map((v) => (v ? `[${v.shape.join(', ')}]` : '-')).join(', ');
      throw new ShapeError(`${scope}${opType}: ${why} (input shapes ${shapes})`);
    },
    int: (name, fallback) => (typeof attrs[name] === 'number' ? (attrs[name] as number) : fallback),
    ints: (name, fallback) => (Array.isArray(attrs[name]) ? (attrs[name] as number[]) : fallback),
    x(i) {
      const v = inputs[i];
      if (!v) ctx.fail(`input ${i} is missing`);
      return v;
    },
    constInts(i, what) {
      const data = constOf(inputs[i]);
      if (!data) ctx.fail(`${what} must be a constant so shapes stay static`);
      return data;
    },
  };
  if (!rule) throw new ShapeError(`${scope}${opType}: the engine has no shape rule for this op`);
  return rule(ctx);
}

export function broadcastShapes(shapes: number[][], fail: (why: string) => never): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (dim !== 1 && dim !== d) fail(`shapes cannot broadcast`);
      dim = d;
    }
    out.push(dim);
  }
  return out;
}

const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

const same: Infer = (c) => [{ dtype: c.x(0).dtype, shape: [...c.x(0).shape] }];
const boolOut: Infer = (c) => [
  { dtype: 'bool', shape: broadcastShapes([c.x(0).shape, c.x(1).shape], c.fail) },
];
const elementwise: Infer = (c) => {
  const xs = c.inputs.filter((v): v is ShapedValue => !!v);
  if (c.opType !== 'Pow' && xs.some((v) => v.dtype !== xs[0].dtype)) c.fail('inputs have different dtypes');
  return [
    {
      dtype: xs[0].dtype,
      shape: broadcastShapes(
        xs.map((v) => v.shape),
        c.fail,
      ),
    },
  ];
};

/** Batched, broadcast A·B; FusedMatMul's transA / transB swap an operand's last two axes first. */
function matmul(c: Ctx, op: string): ValueType[] {
  const swap = (s: number[], t: number) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  const a = swap(c.x(0).shape, c.int('transA', 0));
  const b = swap(c.x(1).shape, c.int('transB', 0));
  if (a.length < 2 || b.length < 2) c.fail(`${op} operands must have rank ≥ 2`);
  if (a[a.length - 1] !== b[b.length - 2])
    c.fail(`inner dimensions ${a[a.length - 1]} and ${b[b.length - 2]} differ`);
  const batch = broadcastShapes([a.slice(0, -2), b.slice(0, -2)], c.fail);
  return [{ dtype: c.x(0).dtype, shape: [...batch, a[a.length - 2], b[b.length - 1]] }];
}

function reduce(c: Ctx, axes: number[] | undefined): ValueType[] {
  const x = c.x(0);
  const keep = c.int('keepdims', 1) === 1;
  const all = !axes || axes.length === 0;
  const set = new Set((axes ?? []).map((a) => axisOf(a, x.rank)));
  const shape: number[] = [];
  x.shape.forEach((d, i) => {
    if (all || set.has(i)) {
      if (keep) shape.push(1);
    } else shape.push(d);
  });
  return [{ dtype: x.dtype, shape }];
}

/** Output size of a strided window: the ONNX formula for Conv / pooling (floor mode). */
export function windowOut(
  size: number,
  kernel: number,
  stride: number,
  padBegin: number,
  padEnd: number,
  dilation = 1,
) {
  return Math.floor((size + padBegin + padEnd - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

function spatial(c: Ctx, kernel: number[], outChannels: number): number[] {
  const x = c.x(0);
  if (x.rank !== 4) c.fail('expects a 4-D input [batch, channels, height, width]');
  const strides = c.ints('strides', [1, 1]);
  const pads = c.ints('pads', [0, 0, 0, 0]);
  const dil = c.ints('dilations', [1, 1]);
  const out = [0, 1].map((i) =>
    windowOut(x.shape[2 + i], kernel[i], strides[i], pads[i], pads[i + 2], dil[i]),
  );
  if (out.some((d) => d < 1)) c.fail(`window ${kernel.join('x')} does not fit the input`);
  return [x.shape[0], outChannels, ...out];
}

export const SHAPES: Record<string, Infer> = {
  Add: elementwise,
  Sub: elementwise,
  Mul: elementwise,
  Div: elementwise,
  Pow: elementwise,
  Max: elementwise,
  Min: elementwise,
  Where: (c) => [
    { dtype: c.x(1).dtype, shape: broadcastShapes([c.x(0).shape, c.x(1).shape, c.x(2).shape], c.fail) },
  ],
  Equal: boolOut,
  Less: boolOut,
  Greater: boolOut,
  GreaterOrEqual: boolOut,
  LessOrEqual: boolOut,
  Or: boolOut,
  Xor: boolOut,
  And: boolOut,
  Not: same,
  IsInf: (c) => [{ dtype: 'bool', shape: [...c.x(0).shape] }],
  IsNaN: (c) => [{ dtype: 'bool', shape: [...c.x(0).shape] }],
  Identity: same,
  Neg: same,
  Abs: same,
  Relu: same,
  Tanh: same,
  Sigmoid: same,
  Exp: same,
  Log: same,
  Sqrt: same,
  Erf: same,
  Reciprocal: same,
  Sin: same,
  Cos: same,
  Elu: same,
  LeakyRelu: same,
  Selu: same,
  Softplus: same,
  Softsign: same,
  HardSigmoid: same,
  HardSwish: same,
  Clip: same,
  // The slope broadcasts onto x (unidirectionally): the output has x's shape.
  PRelu: elementwise,
  Floor: same,
  Sign: same,
  Ceil: same,
  Round: same,
  CumSum: same,
  Softmax: same,
  LogSoftmax: same,
  Mod: elementwise,
  Cast: (c) => [{ dtype: DTYPES[c.int('to', 1)], shape: [...c.x(0).shape] }],
  Dropout: (c) => [same(c)[0], { dtype: 'bool', shape: [...c.x(0).shape] }],
  MatMul: (c) => matmul(c, 'MatMul'),
  // com.microsoft FusedMatMul (CPU EP): alpha·op(A)·op(B), op = optional swap of the last two axes.
  FusedMatMul: (c) => matmul(c, 'FusedMatMul'),
  Gemm: (c) => {
    const a = c.x(0).shape;
    const b = c.x(1).shape;
    if (a.length !== 2 || b.length !== 2) c.fail('Gemm operands must be matrices');
    const [m, k] = c.int('transA', 0) ? [a[1], a[0]] : a;
    const [k2, n] = c.int('transB', 0) ? [b[1], b[0]] : b;
    if (k !== k2) c.fail(`inner dimensions ${k} and ${k2} differ`);
    if (c.inputs[2]) broadcastShapes([c.inputs[2].shape, [m, n]], c.fail);
    return [{ dtype: c.x(0).dtype, shape: [m, n] }];
  },
  Reshape: (c) => {
    const x = c.x(0);
    const target = c.constInts(1, 'the target shape');
    const shape = target.map((d, i) => (d === 0 ? x.shape[i] : d));
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const fixed = shape.map((d) => (d === -1 ? x.size / known : d));
    if (fixed.reduce((a, b) => a * b, 1) !== x.size || fixed.some((d) => !Number.isInteger(d)))
      c.fail(`cannot reshape ${x.size} elements to [${target.join(', ')}]`);
    return [{ dtype: x.dtype, shape: fixed }];
  },
  Flatten: (c) => {
    const x = c.x(0);
    const axis = axisOf(c.int('axis', 1), x.rank);
    const lead = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return [{ dtype: x.dtype, shape: [lead, x.size / lead] }];
  },
  Transpose: (c) => {
    const x = c.x(0);
    const perm = c.ints(
      'perm',
      x.shape.map((_, i) => x.rank - 1 - i),
    );
    if (perm.length !== x.rank) c.fail(`perm [${perm.join(', ')}] does not match rank ${x.rank}`);
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }];
  },
  Squeeze: (c) => {
    const x = c.x(0);
    const axes = c.inputs[1] ? c.constInts(1, 'axes').map((a) => axisOf(a, x.rank)) : undefined;
    if (axes?.some((a) => x.shape[a] !== 1)) c.fail('squeezed axes must have size 1');
    return [{ dtype: x.dtype, shape: x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)) }];
  },
  Unsqueeze: (c) => {
    const x = c.x(0);
    const rank = x.rank + c.constInts(1, 'axes').length;
    const axes = c.constInts(1, 'axes').map((a) => axisOf(a, rank));
    const shape: number[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[j++]);
    return [{ dtype: x.dtype, shape }];
  },
  Concat: (c) => {
    const xs = c.inputs as ShapedValue[];
    const axis = axisOf(c.int('axis', 0), xs[0].rank);
    const shape = [...xs[0].shape];
    shape[axis] = 0;
    for (const v of xs) {
      if (v.rank !== shape.length || v.shape.some((d, i) => i !== axis && d !== xs[0].shape[i]))
        c.fail(`inputs differ outside axis ${axis}`);
      shape[axis] += v.shape[axis];
    }
    return [{ dtype: xs[0].dtype, shape }];
  },
  Split: (c) => {
    const x = c.x(0);
    const axis = axisOf(c.int('axis', 0), x.rank);
    const sizes = c.inputs[1]
      ? c.constInts(1, 'split sizes')
      : Array.from({ length: c.outputs }, () => x.shape[axis] / c.outputs);
    if (sizes.reduce((a, b) => a + b, 0) !== x.shape[axis])
      c.fail(`split sizes do not add up to ${x.shape[axis]}`);
    return sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? s : d)) }));
  },
  Slice: (c) => {
    const x = c.x(0);
    const starts = c.constInts(1, 'starts');
    const ends = c.constInts(2, 'ends');
    const axes = c.inputs[3] ? c.constInts(3, 'axes') : starts.map((_, i) => i);
    const steps = c.inputs[4] ? c.constInts(4, 'steps') : starts.map(() => 1);
    const shape = [...x.shape];
    axes.forEach((a, i) => {
      const ax = axisOf(a, x.rank);
      const n = x.shape[ax];
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
      const step = steps[i];
      if (step <= 0) c.fail('only positive slice steps are supported');
      const s = clamp(starts[i], 0, n);
      const e = clamp(ends[i], 0, n);
      shape[ax] = Math.max(0, Math.ceil((e - s) / step));
    });
    return [{ dtype: x.dtype, shape }];
  },
  ReduceSum: (c) => {
    const axes = c.inputs[1] ? c.constInts(1, 'axes') : undefined;
    if (!axes?.length && c.int('noop_with_empty_axes', 0)) return same(c);
    return reduce(c, axes);
  },
  ReduceMean: (c) => reduce(c, c.ints('axes', [])),
  ReduceMax: (c) => reduce(c, c.ints('axes', [])),
  ReduceMin: (c) => reduce(c, c.ints('axes', [])),
  ReduceSumSquare: (c) => reduce(c, c.ints('axes', [])),
  Gather: (c) => {
    const data = c.x(0);
    const idx = c.x(1);
    const axis = axisOf(c.int('axis', 0), data.rank);
    if (idx.dtype !== 'int64' && idx.dtype !== 'int32') c.fail('indices must be integers');
    return [
      {
        dtype: data.dtype,
        shape: [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)],
      },
    ];
  },
  GatherElements: (c) => [{ dtype: c.x(0).dtype, shape: [...c.x(1).shape] }],
  OneHot: (c) => {
    const depth = c.constInts(1, 'depth')[0];
    return [{ dtype: c.x(2).dtype, shape: [...c.x(0).shape, depth] }];
  },
  Shape: (c) => {
    const x = c.x(0);
    const clamp = (axis: number) => Math.min(Math.max(axisOf(axis, x.rank), 0), x.rank);
    const [start, end] = [clamp(c.int('start', 0)), clamp(c.int('end', x.rank))];
    return [{ dtype: 'int64', shape: [Math.max(end - start, 0)] }];
  },
  ConstantOfShape: (c) => {
    const value = c.attrs.value as { dtype: DType } | undefined;
    return [{ dtype: value?.dtype ?? 'float32', shape: c.constInts(0, 'shape') }];
  },
  Expand: (c) => [
    { dtype: c.x(0).dtype, shape: broadcastShapes([c.x(0).shape, c.constInts(1, 'shape')], c.fail) },
  ],
  Tile: (c) => [{ dtype: c.x(0).dtype, shape: c.x(0).shape.map((d, i) => d * c.constInts(1, 'repeats')[i]) }],
  Range: (c) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => c.constInts(i, 'range bounds')[0]);
    return [{ dtype: c.x(0).dtype, shape: [Math.max(Math.ceil((limit - start) / delta), 0)] }];
  },
  Pad: (c) => {
    const x = c.x(0);
    const pads = c.constInts(1, 'pads');
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => d + pads[i] + pads[i + x.rank]) }];
  },
  ScatterElements: (c) => same(c),
  ScatterND: (c) => same(c),
  // Inference form only (one output): training graphs compute the batch statistics themselves.
  BatchNormalization: (c) => {
    const channels = c.x(0).shape[1];
    if (c.inputs.slice(1, 5).some((v) => v?.shape.join() !== `${channels}`))
      c.fail(`scale, bias, mean and variance must have shape [${channels}]`);
    // training_mode = 1 also outputs the running mean and variance, [C] each.
    const stat = { dtype: c.x(0).dtype, shape: [channels] };
    return [...same(c), stat, { ...stat }].slice(0, Math.max(1, c.outputs));
  },
  LayerNormalization: (c) => {
    const x = c.x(0);
    const axis = axisOf(c.int('axis', -1), x.rank);
    const norm = x.shape.slice(axis);
    if (c.inputs[1] && c.inputs[1].shape.join() !== norm.join())
      c.fail(`scale must have shape [${norm.join(', ')}]`);
    const stat = { dtype: x.dtype, shape: x.shape.map((d, i) => (i < axis ? d : 1)) };
    return [{ dtype: x.dtype, shape: [...x.shape] }, stat, { ...stat }].slice(0, Math.max(1, c.outputs));
  },
  Conv: (c) => {
    const w = c.x(1).shape;
    const group = c.int('group', 1);
    if (w.length !== 4) c.fail('Conv weights must be [filters, channels, kh, kw]');
    if (c.x(0).shape[1] !== w[1] * group)
      c.fail(`input has ${c.x(0).shape[1]} channels, weights expect ${w[1] * group}`);
    return [{ dtype: c.x(0).dtype, shape: spatial(c, c.ints('kernel_shape', w.slice(2)), w[0]) }];
  },
  ConvTranspose: (c) => {
    const x = c.x(0);
    const w = c.x(1).shape;
    const group = c.int('group', 1);
    const k = c.ints('kernel_shape', w.slice(2));
    const s = c.ints('strides', [1, 1]);
    const p = c.ints('pads', [0, 0, 0, 0]);
    const d = c.ints('dilations', [1, 1]);
    const op = c.ints('output_padding', [0, 0]);
    const out = [0, 1].map(
      (i) => s[i] * (x.shape[2 + i] - 1) + op[i] + (k[i] - 1) * d[i] + 1 - p[i] - p[i + 2],
    );
    return [{ dtype: x.dtype, shape: [x.shape[0], w[1] * group, ...out] }];
  },
  MaxPool: (c) => {
    const shape = spatial(c, c.ints('kernel_shape', []), c.x(0).shape[1]);
    return [
      { dtype: c.x(0).dtype, shape },
      { dtype: 'int64' as DType, shape: [...shape] },
    ].slice(0, Math.max(1, c.outputs));
  },
  AveragePool: (c) => [
    { dtype: c.x(0).dtype, shape: spatial(c, c.ints('kernel_shape', []), c.x(0).shape[1]) },
  ],
  // The shape is given (the pooled input's, autodiff/rules/conv.ts), not inferred from pads.
  MaxUnpool: (c) => [{ dtype: c.x(0).dtype, shape: c.constInts(2, 'output_shape') }],
};
