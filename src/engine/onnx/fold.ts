/**
 * Constant folding of the shape arithmetic exporters emit around Reshape, Slice and the
 * recurrent initial states (Shape → Gather → Unsqueeze → Concat → Reshape, ConstantOfShape,
 * Range, masks sliced from buffers). The engine builds one graph per batch size with static
 * shapes, so once the batch is specialised every such chain is a constant: it is evaluated
 * here, in plain JavaScript, and the engine's graph only sees its result. Any other node whose
 * inputs are all known is folded too when its op is listed here, elementwise float math
 * included (Sin, Cos, Pow, Exp…: a sinusoidal positional encoding computed from the sequence
 * length becomes one constant table, with no gradient to build).
 *
 * Values are plain number arrays (int64 shape arithmetic stays far below 2^53); float32
 * results are rounded with Math.fround so folding gives what onnxruntime would.
 */
import { toTyped } from '../graph/builder';
import type { DType, TensorData } from '../graph/dtypes';
import { broadcastShapes } from '../graph/shapes';
import type { OnnxAttr, OnnxNode, OnnxTensor } from './onnxFile';
import { keptTriangle } from './triangle';

export interface Known {
  dtype: DType;
  dims: number[];
  values: number[];
}

/** Reads the static shape of any value (folded or not): Shape needs no constant input. */
export type ShapeOf = (name: string) => number[] | undefined;

type Folder = (node: OnnxNode, inputs: (Known | undefined)[], shapeOf: ShapeOf) => Known[] | undefined;

const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

export function knownFromTensor(t: OnnxTensor): Known {
  return {
    dtype: t.dtype,
    dims: [...t.dims],
    values: Array.from(t.data as ArrayLike<number | bigint>, Number),
  };
}

export function knownToData(k: Known): TensorData {
  return toTyped(k.values, k.dtype);
}

function round(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int64' || dtype === 'int32') return Math.trunc(v);
  if (dtype === 'bool') return v ? 1 : 0;
  return v;
}

/** Row-major strides of `dims`. */
function strides(dims: number[]): number[] {
  const out = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) out[i] = out[i + 1] * dims[i + 1];
  return out;
}

function broadcastDims(shapes: number[][]): number[] | undefined {
  try {
    return broadcastShapes(shapes, (why) => {
      throw new Error(why);
    });
  } catch {
    return undefined;
  }
}

/** Elementwise op over broadcast inputs, into `dims` (by default the inputs' broadcast shape). */
function elementwise(
  inputs: Known[],
  dtype: DType,
  f: (...v: number[]) => number,
  dims = broadcastDims(inputs.map((k) => k.dims)),
): Known | undefined {
  if (!dims) return undefined;
  const outStrides = strides(dims);
  const inStrides = inputs.map((k) => {
    const s = strides(k.dims);
    const lead = dims.length - k.dims.length;
    return dims.map((_, i) => (i < lead || k.dims[i - lead] === 1 ? 0 : s[i - lead]));
  });
  const values = new Array<number>(size(dims));
  for (let flat = 0; flat < values.length; flat++) {
    const args = inputs.map((k, j) => {
      let offset = 0;
      let rest = flat;
      for (let i = 0; i < dims.length; i++) {
        const coord = Math.floor(rest / outStrides[i]);
        rest -= coord * outStrides[i];
        offset += coord * inStrides[j][i];
      }
      return k.values[offset];
    });
    values[flat] = round(dtype, f(...args));
  }
  return { dtype, dims, values };
}

const intAttr = (node: OnnxNode, name: string, fallback: number) =>
  typeof node.attrs[name] === 'number' ? (node.attrs[name] as number) : fallback;
const intsAttr = (node: OnnxNode, name: string): number[] | undefined =>
  Array.isArray(node.attrs[name]) ? (node.attrs[name] as number[]) : undefined;

const ELEMENT_TYPE: Record<number, DType> = {
  1: 'float32',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  11: 'float64',
};

function constantAttr(attr: OnnxAttr | undefined, name: string): Known | undefined {
  if (attr === undefined) return undefined;
  if (name === 'value' && typeof attr === 'object' && !Array.isArray(attr)) return knownFromTensor(attr);
  if (name === 'value_float') return { dtype: 'float32', dims: [], values: [Math.fround(attr as number)] };
  if (name === 'value_floats')
    return {
      dtype: 'float32',
      dims: [(attr as number[]).length],
      values: (attr as number[]).map(Math.fround),
    };
  if (name === 'value_int') return { dtype: 'int64', dims: [], values: [attr as number] };
  if (name === 'value_ints')
    return { dtype: 'int64', dims: [(attr as number[]).length], values: attr as number[] };
  return undefined;
}

/** Gathers along `axis` of data with flat indices; the result's dims are given. */
function take(data: Known, axis: number, picks: number[], dims: number[]): Known {
  const outer = size(data.dims.slice(0, axis));
  const inner = size(data.dims.slice(axis + 1));
  const n = data.dims[axis];
  const values: number[] = [];
  for (let o = 0; o < outer; o++)
    for (const p of picks) {
      const idx = p < 0 ? p + n : p;
      for (let i = 0; i < inner; i++) values.push(data.values[(o * n + idx) * inner + i]);
    }
  return { dtype: data.dtype, dims, values };
}

function sliceKnown(data: Known, starts: number[], ends: number[], axes: number[], steps: number[]): Known {
  const rank = data.dims.length;
  const begin = data.dims.map(() => 0);
  const step = data.dims.map(() => 1);
  const count = [...data.dims];
  axes.forEach((a, i) => {
    const ax = axisOf(a, rank);
    const n = data.dims[ax];
    const s = steps[i] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    let st = starts[i] < 0 ? starts[i] + n : starts[i];
    let en = ends[i] < 0 ? ends[i] + n : ends[i];
    if (s > 0) {
      st = clamp(st, 0, n);
      en = clamp(en, 0, n);
      count[ax] = Math.max(0, Math.ceil((en - st) / s));
    } else {
      st = clamp(st, -1, n - 1);
      en = clamp(en, -1, n - 1);
      count[ax] = Math.max(0, Math.ceil((en - st) / s));
    }
    begin[ax] = st;
    step[ax] = s;
  });
  const inStrides = strides(data.dims);
  const outStrides = strides(count);
  const values = new Array<number>(size(count));
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    let offset = 0;
    for (let i = 0; i < rank; i++) {
      const coord = Math.floor(rest / outStrides[i]);
      rest -= coord * outStrides[i];
      offset += (begin[i] + coord * step[i]) * inStrides[i];
    }
    values[flat] = data.values[offset];
  }
  return { dtype: data.dtype, dims: count, values };
}

function transposeKnown(data: Known, perm: number[]): Known {
  const dims = perm.map((p) => data.dims[p]);
  const inStrides = strides(data.dims);
  const outStrides = strides(dims);
  const values = new Array<number>(data.values.length);
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    let offset = 0;
    for (let i = 0; i < dims.length; i++) {
      const coord = Math.floor(rest / outStrides[i]);
      rest -= coord * outStrides[i];
      offset += coord * inStrides[perm[i]];
    }
    values[flat] = data.values[offset];
  }
  return { dtype: data.dtype, dims, values };
}

const binary =
  (f: (a: number, b: number) => number, out?: DType): Folder =>
  (_, [a, b]) =>
    a && b ? [elementwise([a, b], out ?? a.dtype, f)!] : undefined;

/** One folder per float function of one input, rounded to the input's dtype. */
function unaryFolders(fns: Record<string, (v: number) => number>): Record<string, Folder> {
  return Object.fromEntries(
    Object.entries(fns).map(([op, f]) => [
      op,
      ((_, [x]) => x && [{ ...x, values: x.values.map((v) => round(x.dtype, f(v))) }]) as Folder,
    ]),
  );
}

/** Max / Min of any number of broadcast inputs. */
function variadic(inputs: (Known | undefined)[], f: (...v: number[]) => number): Known[] | undefined {
  if (inputs.some((k) => !k)) return undefined;
  const known = inputs as Known[];
  const out = elementwise(known, known[0].dtype, f);
  return out && [out];
}

const FOLDERS: Record<string, Folder> = {
  Constant: (node) => {
    const name = Object.keys(node.attrs)[0];
    const k = constantAttr(node.attrs[name], name);
    return k && [k];
  },
  Identity: (_, [x]) => x && [x],
  Shape: (node, _, shapeOf) => {
    const shape = shapeOf(node.inputs[0]);
    if (!shape) return undefined;
    const rank = shape.length;
    const start = axisOf(intAttr(node, 'start', 0), rank);
    const end = node.attrs.end === undefined ? rank : axisOf(intAttr(node, 'end', rank), rank);
    const dims = shape.slice(Math.max(0, start), Math.min(rank, end));
    return [{ dtype: 'int64', dims: [dims.length], values: dims }];
  },
  Size: (node, _, shapeOf) => {
    const shape = shapeOf(node.inputs[0]);
    return shape && [{ dtype: 'int64', dims: [], values: [size(shape)] }];
  },
  Gather: (node, [data, idx]) => {
    if (!data || !idx) return undefined;
    const axis = axisOf(intAttr(node, 'axis', 0), data.dims.length);
    const dims = [...data.dims.slice(0, axis), ...idx.dims, ...data.dims.slice(axis + 1)];
    return [take(data, axis, idx.values, dims)];
  },
  Unsqueeze: (node, [x, axesIn]) => {
    const axes = axesIn?.values ?? intsAttr(node, 'axes');
    if (!x || !axes) return undefined;
    const rank = x.dims.length + axes.length;
    const set = new Set(axes.map((a) => axisOf(a, rank)));
    const dims: number[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) dims.push(set.has(i) ? 1 : x.dims[j++]);
    return [{ ...x, dims }];
  },
  Squeeze: (node, [x, axesIn]) => {
    if (!x) return undefined;
    const axes = axesIn?.values ?? intsAttr(node, 'axes');
    const set = new Set(
      (axes ?? x.dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => axisOf(a, x.dims.length)),
    );
    return [{ ...x, dims: x.dims.filter((_, i) => !set.has(i)) }];
  },
  Concat: (node, inputs) => {
    if (inputs.some((k) => !k)) return undefined;
    const parts = inputs as Known[];
    const axis = axisOf(intAttr(node, 'axis', 0), parts[0].dims.length);
    const outer = size(parts[0].dims.slice(0, axis));
    const values: number[] = [];
    for (let o = 0; o < outer; o++)
      for (const p of parts) {
        const chunk = size(p.dims.slice(axis));
        for (let i = o * chunk; i < (o + 1) * chunk; i++) values.push(p.values[i]);
      }
    const dims = [...parts[0].dims];
    dims[axis] = parts.reduce((s, p) => s + p.dims[axis], 0);
    return [{ dtype: parts[0].dtype, dims, values }];
  },
  Cast: (node, [x]) => {
    const to = ELEMENT_TYPE[intAttr(node, 'to', 0)];
    return x && to ? [{ dtype: to, dims: x.dims, values: x.values.map((v) => round(to, v)) }] : undefined;
  },
  CastLike: (_, [x, like]) =>
    x && like
      ? [{ dtype: like.dtype, dims: x.dims, values: x.values.map((v) => round(like.dtype, v)) }]
      : undefined,
  Reshape: (node, [x, shape]) => {
    if (!x || !shape) return undefined;
    const allowZero = intAttr(node, 'allowzero', 0) === 1;
    const dims = shape.values.map((d, i) => (d === 0 && !allowZero ? x.dims[i] : d));
    const known = dims.reduce((p, d) => (d === -1 ? p : p * d), 1);
    return [{ ...x, dims: dims.map((d) => (d === -1 ? x.values.length / known : d)) }];
  },
  Transpose: (node, [x]) => {
    if (!x) return undefined;
    const perm = intsAttr(node, 'perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i);
    return [transposeKnown(x, perm)];
  },
  Slice: (_, [x, starts, ends, axes, steps]) => {
    if (!x || !starts || !ends) return undefined;
    return [
      sliceKnown(
        x,
        starts.values,
        ends.values,
        axes?.values ?? starts.values.map((_, i) => i),
        steps?.values ?? [],
      ),
    ];
  },
  ConstantOfShape: (node, [shape]) => {
    if (!shape) return undefined;
    const fill = node.attrs.value ? knownFromTensor(node.attrs.value as OnnxTensor) : undefined;
    const dtype = fill?.dtype ?? 'float32';
    return [
      { dtype, dims: shape.values, values: new Array<number>(size(shape.values)).fill(fill?.values[0] ?? 0) },
    ];
  },
  Range: (_, [start, limit, delta]) => {
    if (!start || !limit || !delta) return undefined;
    const [s, l, d] = [start.values[0], limit.values[0], delta.values[0]];
    const n = Math.max(Math.ceil((l - s) / d), 0);
    return [
      {
        dtype: start.dtype,
        dims: [n],
        values: Array.from({ length: n }, (_, i) => round(start.dtype, s + i * d)),
      },
    ];
  },
  // PyTorch writes torch.arange before opset 11 as NonZero of a filled tensor: the indices of
  // the non-zero elements, [rank, count], each column one element's index, in row-major order.
  NonZero: (_, [x]) => {
    if (!x) return undefined;
    const at = x.values.flatMap((v, flat) => (v ? [flat] : []));
    const steps = strides(x.dims);
    return [
      {
        dtype: 'int64',
        dims: [x.dims.length, at.length],
        values: steps.flatMap((step, axis) => at.map((flat) => Math.floor(flat / step) % x.dims[axis])),
      },
    ];
  },
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: (node, inputs) => {
    const [a] = inputs;
    const integer = a?.dtype === 'int64' || a?.dtype === 'int32';
    return binary((x, y) => (integer ? Math.trunc(x / y) : x / y))(node, inputs, () => undefined);
  },
  Equal: binary((a, b) => (a === b ? 1 : 0), 'bool'),
  Less: binary((a, b) => (a < b ? 1 : 0), 'bool'),
  Greater: binary((a, b) => (a > b ? 1 : 0), 'bool'),
  And: binary((a, b) => (a && b ? 1 : 0), 'bool'),
  GreaterOrEqual: binary((a, b) => (a >= b ? 1 : 0), 'bool'),
  LessOrEqual: binary((a, b) => (a <= b ? 1 : 0), 'bool'),
  Or: binary((a, b) => (a || b ? 1 : 0), 'bool'),
  Xor: binary((a, b) => (!a !== !b ? 1 : 0), 'bool'),
  // A causal mask, torch.tril(torch.ones(t, t)) with t the sequence length, becomes a constant,
  // which the masked softmax then adds instead of selecting (fusedPatterns.ts).
  Trilu: (node, [x, k]) => {
    if (!x || x.dims.length < 2) return undefined;
    const [rows, cols] = x.dims.slice(-2);
    const keep = keptTriangle(rows, cols, k?.values[0] ?? 0, intAttr(node, 'upper', 1) === 1);
    return [{ ...x, values: x.values.map((v, i) => (keep[i % (rows * cols)] ? v : 0)) }];
  },
  Not: (_, [x]) => x && [{ dtype: 'bool', dims: x.dims, values: x.values.map((v) => (v ? 0 : 1)) }],
  Neg: (_, [x]) => x && [{ ...x, values: x.values.map((v) => -v) }],
  ...unaryFolders({
    Sqrt: Math.sqrt,
    // Float math on constants: a sinusoidal positional encoding computed from
    // torch.arange(x.shape[1]) depends only on shapes, so it folds to a table.
    Sin: Math.sin,
    Cos: Math.cos,
    Exp: Math.exp,
    Log: Math.log,
    Tanh: Math.tanh,
    Sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    Abs: Math.abs,
    Reciprocal: (v) => 1 / v,
    Floor: Math.floor,
    Ceil: Math.ceil,
  }),
  Pow: binary((a, b) => Math.pow(a, b)),
  Mod: (node, inputs) => {
    // fmod 1 is C's fmod (sign of the dividend); fmod 0, integers only, Python's (sign of the divisor).
    const fmod = intAttr(node, 'fmod', 0) === 1;
    return binary((a, b) => (fmod ? a % b : a - b * Math.floor(a / b)))(node, inputs, () => undefined);
  },
  // Swin's shifted-window mask is broadcast over the windows by Expand (torch's expand / repeat).
  Expand: (_, [x, shape]) => {
    if (!x || !shape) return undefined;
    const dims = broadcastDims([x.dims, shape.values]);
    if (!dims || size(dims) > MAX_FOLDED) return undefined;
    const out = elementwise([x], x.dtype, (v) => v, dims);
    return out && [out];
  },
  // Swin Transformer's shifted-window mask: a zero image whose regions get their numbers by
  // slice assignment, which PyTorch exports as ScatterND into a constant.
  ScatterND: (node, [data, indices, updates]) => {
    const reduction = node.attrs.reduction;
    if (!data || !indices || !updates || (reduction !== undefined && reduction !== 'none')) return undefined;
    const depth = indices.dims[indices.dims.length - 1];
    const sliceSize = size(data.dims.slice(depth));
    const dataStrides = strides(data.dims);
    const values = [...data.values];
    for (let i = 0; i * depth < indices.values.length; i++) {
      const offset = indices.values
        .slice(i * depth, (i + 1) * depth)
        .reduce((at, index, axis) => at + axisOf(index, data.dims[axis]) * dataStrides[axis], 0);
      for (let j = 0; j < sliceSize; j++) values[offset + j] = updates.values[i * sliceSize + j];
    }
    return [{ ...data, values }];
  },
  Max: (_, inputs) => variadic(inputs, Math.max),
  Min: (_, inputs) => variadic(inputs, Math.min),
  // x.std() and x.var() export the element count as ReduceProd of gathered shape dims.
  ReduceProd: reduceFolder((a, b) => a * b, 1),
  ReduceSum: reduceFolder((a, b) => a + b, 0),
  Where: (_, [c, a, b]) =>
    c && a && b ? [elementwise([c, a, b], a.dtype, (p, q, r) => (p ? q : r))!] : undefined,
};

/** A reduction of a known tensor over its axes (attribute or input; every axis when none). */
function reduceFolder(combine: (a: number, b: number) => number, initial: number): Folder {
  return (node, [x, axesIn]) => {
    if (!x) return undefined;
    const listed = axesIn?.values ?? intsAttr(node, 'axes') ?? [];
    if (listed.length === 0 && intAttr(node, 'noop_with_empty_axes', 0) === 1) return [x];
    const rank = x.dims.length;
    const axes = new Set(listed.length ? listed.map((a) => axisOf(a, rank)) : x.dims.map((_, i) => i));
    const kept = x.dims.map((d, i) => (axes.has(i) ? 1 : d));
    const [inStrides, outStrides] = [strides(x.dims), strides(kept)];
    const values = new Array<number>(size(kept)).fill(initial);
    x.values.forEach((v, flat) => {
      let out = 0;
      for (let i = 0; i < rank; i++)
        if (!axes.has(i)) out += (Math.floor(flat / inStrides[i]) % x.dims[i]) * outStrides[i];
      values[out] = combine(values[out], v);
    });
    const dims = intAttr(node, 'keepdims', 1) === 1 ? kept : x.dims.filter((_, i) => !axes.has(i));
    return [{ dtype: x.dtype, dims, values: values.map((v) => round(x.dtype, v)) }];
  };
}

/** Folding a large constant in JavaScript costs more than the runtime computing it. */
const MAX_FOLDED = 1 << 16;

/** The node's outputs when every input is known (or it only reads shapes); undefined otherwise. */
export function fold(node: OnnxNode, inputs: (Known | undefined)[], shapeOf: ShapeOf): Known[] | undefined {
  const folder = node.domain === '' || node.domain === 'ai.onnx' ? FOLDERS[node.opType] : undefined;
  if (!folder) return undefined;
  const readsShapeOnly = node.opType === 'Shape' || node.opType === 'Size';
  const present = node.inputs.map((name, i) => (name ? inputs[i] : null));
  if (!readsShapeOnly && present.some((k) => k === undefined)) return undefined;
  if (present.some((k) => k && k.values.length > MAX_FOLDED)) return undefined;
  const out = folder(node, inputs, shapeOf);
  if (
    !out ||
    out.some(
      (k) =>
        !k || k.values.length > MAX_FOLDED || k.values.some((v) => Number.isNaN(v) && k.dtype !== 'float32'),
    )
  )
    return undefined;
  return out;
}

/** The value of a one-element constant: an initializer that is not a parameter, or a Constant node's output. */
export function constantScalar(
  name: string,
  constants: Map<string, OnnxTensor>,
  producer: (name: string) => OnnxNode | undefined,
): number | undefined {
  const t = constants.get(name);
  if (t) return t.data.length === 1 ? Number(t.data[0]) : undefined;
  const node = producer(name);
  if (node?.opType !== 'Constant') return undefined;
  const [k] = (fold(node, [], () => undefined) ?? []) as (Known | undefined)[];
  return k?.values.length === 1 ? k.values[0] : undefined;
}
