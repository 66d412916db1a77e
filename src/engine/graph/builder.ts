/**
 * Typed ONNX graph builder: the vocabulary every other engine module speaks.
 *
 *   const b = new GraphBuilder();
 *   const x = b.input('x', 'float32', [4, 3]);
 *   const w = b.constant(new Float32Array(6), [3, 2]);   // initializer, kept apart from nodes
 *   const [y] = b.op('MatMul', [x, w]);                   // returns typed values, shapes inferred
 *   b.output(b.relu(y), 'y');
 *   const bytes = serializeModel(b);                      // graph/serialize.ts
 *
 * - Every value has a static shape and dtype (graph/shapes.ts infers them per op and
 *   throws a ShapeError naming the op and its input shapes on a mismatch).
 * - Names are unique across a model, subgraphs included (Loop bodies: `b.subgraph()`).
 * - Constants are initializers; small ones are deduplicated. Their data is remembered so
 *   ops with shape-like inputs (Reshape, Slice, Squeeze, Pad…) infer static shapes.
 * - Nodes stay mutable until serialization: autodiff may add optional outputs
 *   (`ensureOutput`), e.g. LayerNormalization's Mean / InvStdDev or MaxPool's Indices.
 * - Shortcut methods (add, matmul, reshape…) are thin wrappers over `op`.
 */
import type { DType, TensorData } from './dtypes';
import { inferShapes } from './shapes';

/** Attribute values: integers and integer lists are INT(S) unless the name is a float attribute. */
export type AttrValue = number | number[] | string | FloatAttr | TensorAttr | GraphBuilder;

export class FloatAttr {
  constructor(readonly value: number | number[]) {}
}
export class TensorAttr {
  constructor(
    readonly dtype: DType,
    readonly dims: number[],
    readonly data: TensorData,
  ) {}
}

/** Attributes that ONNX declares as float, so `1` still serializes as FLOAT. */
export const FLOAT_ATTRS = new Set([
  'alpha',
  'beta',
  'epsilon',
  'gamma',
  'momentum',
  'ratio',
  'bias',
  'lambd',
]);

export class Value {
  constructor(
    readonly name: string,
    readonly dtype: DType,
    readonly shape: number[],
    /** The node that produced it; undefined for inputs and initializers. */
    readonly producer?: Node,
  ) {}
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get rank(): number {
    return this.shape.length;
  }
}

export interface Node {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: (Value | undefined)[];
  readonly outputs: (Value | undefined)[];
  readonly attrs: Record<string, AttrValue>;
  /**
   * Outer-scope values read by the node's subgraphs (e.g. a Scan body's weights). Not
   * serialized as inputs; autodiff treats them as extra inputs after `inputs`.
   */
  readonly captures?: Value[];
  /**
   * Set on the last node of a composite built from standard ops (Gelu from Erf), or on a
   * training Scan that saves what its hand-written backward needs (lstm, gru): autodiff
   * differentiates the whole at once with the rule named here over `inputs` (the one rule
   * table, autodiff/rules/index.ts) instead of node by node, so the backward needs fewer passes.
   * `ints` carries attributes the rule needs (a convolution's window).
   */
  composite?: { rule: string; inputs: Value[]; ints?: Record<string, number[]> };
}

export interface Initializer {
  value: Value;
  data: TensorData;
  /** A constant of the graph's arithmetic (`constant()`), not a named weight or table. */
  anonymous?: boolean;
}

/** Names shared by a root graph and its subgraphs, so every name in a model is unique. */
class NameSpace {
  private readonly used = new Set<string>();
  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.:/-]/g, '_') || 'v';
    if (!this.used.has(clean)) {
      this.used.add(clean);
      return clean;
    }
    for (let i = 1; ; i++) {
      const candidate = `${clean}_${i}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers: Initializer[] = [];
  /** Constant data by value name (initializers here or in any ancestor). */
  private readonly constData = new Map<string, TensorData>();
  private readonly constCache = new Map<string, Value>();
  private readonly sharedConstants = new Map<string, Value>();
  private readonly names: NameSpace;
  /** Prefix added to generated names, e.g. 'layer3/' while building a layer. */
  scope = '';
  /**
   * Graphs for the WebGPU execution provider, which rejects MaxPool's Indices output: gradient
   * rules then use forms without it (read on the root graph).
   */
  avoidPoolIndices = false;
  /**
   * Whether gradient rules may use onnxruntime's com.microsoft contrib ops (FusedMatMul, which
   * reads its operands transposed without a Transpose pass); off for the WebGPU provider.
   */
  contribOps = true;
  /**
   * Images of at most this many pixels (height × width) take im2col and its transpose as products
   * with a one-hot gather matrix (graph/im2col.ts byProduct); larger ones, slices.
   */
  im2colProductMaxArea = 64;
  /**
   * A convolution's weight gradient from onnxruntime's patches takes the batch in chunks whose
   * patches fit this many bytes (autodiff/rules/conv.ts sumOverBatchChunks).
   */
  convPatchesChunkBytes = 5 * 2 ** 20;

  constructor(
    readonly name = 'model_lab',
    readonly parent?: GraphBuilder,
  ) {
    this.names = parent ? parent.names : new NameSpace();
  }

  /** A graph (e.g. a Loop body) sharing this model's names; constants live in the root graph. */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(this.names.unique(name), this);
  }

  get root(): GraphBuilder {
    return this.parent ? this.parent.root : this;
  }

  uniqueName(base: string): string {
    return this.names.unique(this.scope + base);
  }

  input(name: string, dtype: DType, shape: number[]): Value {
    const value = new Value(this.names.unique(name), dtype, [...shape]);
    this.inputs.push(value);
    return value;
  }

  output(value: Value, name?: string): Value {
    let out = value;
    // A graph output must be a distinct, nameable value: rename through Identity when asked
    // for a specific name, or when the value is an input or already an output.
    if ((name && name !== value.name) || this.inputs.includes(value) || this.outputs.includes(value)) {
      out = this.op('Identity', [value], {}, { names: [name ?? `${value.name}_out`] })[0];
    }
    this.outputs.push(out);
    return out;
  }

  /** A named initializer (parameters of exported models, fixed tables). */
  initializer(name: string, dtype: DType, shape: number[], data: TensorData, anonymous = false): Value {
    const root = this.root;
    const value = new Value(root.names.unique(name), dtype, [...shape]);
    root.initializers.push({ value, data, ...(anonymous ? { anonymous } : {}) });
    root.constData.set(value.name, data);
    return value;
  }

  /** An anonymous constant; small ones are shared. */
  constant(data: TensorData | number[], shape: number[], dtype: DType = 'float32'): Value {
    const typed = Array.isArray(data) ? toTyped(data, dtype) : data;
    const root = this.root;
    const small = typed.length <= 16;
    const key = small
      ? `${dtype}|${shape.join(',')}|${Array.from(typed as ArrayLike<number | bigint>).join(',')}`
      : '';
    if (small && root.constCache.has(key)) return root.constCache.get(key)!;
    const value = this.initializer('const', dtype, shape, typed, true);
    if (small) root.constCache.set(key, value);
    return value;
  }

  /**
   * A large constant made once per model and shared by every use (a gather matrix, a row of
   * ones): `make` runs the first time `key` is asked for in this root graph.
   */
  sharedConstant(key: string, make: () => Value): Value {
    const root = this.root;
    let value = root.sharedConstants.get(key);
    if (!value) root.sharedConstants.set(key, (value = make()));
    return value;
  }

  scalar(x: number, dtype: DType = 'float32'): Value {
    return this.constant([x], [], dtype);
  }

  ints(values: number[]): Value {
    return this.constant(values, [values.length], 'int64');
  }

  /** Constant data of a value if it is a known constant (for shape inference). */
  constValue(value: { readonly name: string } | undefined): number[] | undefined {
    if (!value) return undefined;
    const data = this.constData.get(value.name);
    if (data) return Array.from(data as ArrayLike<number | bigint>, Number);
    return this.parent?.constValue(value);
  }

  /**
   * Adds a node. Output shapes and dtypes come from graph/shapes.ts unless `types` gives them
   * (control flow such as Loop). Returns the output values.
   */
  op(
    opType: string,
    inputs: (Value | undefined)[],
    attrs: Record<string, AttrValue> = {},
    options: {
      outputs?: number;
      names?: string[];
      types?: { dtype: DType; shape: number[] }[];
      domain?: string;
      /** Outer-scope values its subgraphs read (see Node.captures). */
      captures?: Value[];
    } = {},
  ): Value[] {
    const types =
      options.types ??
      inferShapes(opType, inputs, attrs, options.outputs ?? 1, (v) => this.constValue(v), this.scope);
    const name = this.uniqueName(opType);
    const outputs: Value[] = [];
    const node: Node = {
      name,
      opType,
      domain: options.domain ?? '',
      inputs,
      outputs,
      attrs,
      ...(options.captures && { captures: options.captures }),
    };
    types.forEach((t, i) => {
      const outName = this.names.unique(options.names?.[i] ?? `${name}_out${i}`);
      outputs.push(new Value(outName, t.dtype, t.shape, node));
    });
    this.nodes.push(node);
    return outputs;
  }

  /** Adds output `index` of a node that was built without it (autodiff needs e.g. MaxPool Indices). */
  ensureOutput(node: Node, index: number): Value {
    const existing = node.outputs[index];
    if (existing) return existing;
    const types = inferShapes(node.opType, node.inputs, node.attrs, index + 1, (v) => this.constValue(v), '');
    for (let i = 0; i <= index; i++) {
      if (!node.outputs[i]) {
        node.outputs[i] = new Value(
          this.names.unique(`${node.name}_out${i}`),
          types[i].dtype,
          types[i].shape,
          node,
        );
      }
    }
    return node.outputs[index]!;
  }

  // ---- shortcuts (each a single op) ----
  add(a: Value, b: Value): Value {
    return this.op('Add', [a, b])[0];
  }
  sub(a: Value, b: Value): Value {
    return this.op('Sub', [a, b])[0];
  }
  mul(a: Value, b: Value): Value {
    return this.op('Mul', [a, b])[0];
  }
  div(a: Value, b: Value): Value {
    return this.op('Div', [a, b])[0];
  }
  neg(a: Value): Value {
    return this.op('Neg', [a])[0];
  }
  unary(opType: string, a: Value): Value {
    return this.op(opType, [a])[0];
  }
  relu(a: Value): Value {
    return this.op('Relu', [a])[0];
  }
  matmul(a: Value, b: Value): Value {
    return this.op('MatMul', [a, b])[0];
  }
  /** Reshape to `shape` (one -1 allowed); no node when nothing changes. */
  reshape(a: Value, shape: number[]): Value {
    const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (
      sameShape(
        a.shape,
        shape.map((d) => (d === -1 ? a.size / known : d)),
      )
    )
      return a;
    return this.op('Reshape', [a, this.ints(shape)])[0];
  }
  transpose(a: Value, perm: number[]): Value {
    return this.op('Transpose', [a], { perm })[0];
  }
  /** Sums over `axes` (all when empty), keeping dims when `keep`. */
  reduceSum(a: Value, axes: number[], keep = false): Value {
    if (axes.length === 0) return this.op('ReduceSum', [a], { keepdims: keep ? 1 : 0 })[0];
    return this.op('ReduceSum', [a, this.ints(axes)], { keepdims: keep ? 1 : 0 })[0];
  }
  reduceMean(a: Value, axes: number[], keep = false): Value {
    return this.op('ReduceMean', [a], { axes, keepdims: keep ? 1 : 0 })[0];
  }
  cast(a: Value, to: DType): Value {
    if (a.dtype === to) return a;
    return this.op('Cast', [a], { to: ONNX_DTYPE[to] })[0];
  }
  /**
   * [...ids.shape, depth]: `on` where the last index equals the id, else `off`. Like ONNX
   * OneHot, a negative id counts from the end and one outside [−depth, depth) gives a row of
   * `off`. Built as Equal against a constant range: onnxruntime's OneHot kernel took 3–4× longer
   * on a [2048, 65] batch of targets.
   */
  oneHot(ids: Value, depth: number, off: number, on: number, dtype: DType = 'float32'): Value {
    const range = this.constant(
      Array.from({ length: depth }, (_, i) => i),
      [depth],
      ids.dtype,
    );
    const zero = this.constant([0], [], ids.dtype);
    const negative = this.op('Less', [ids, zero])[0];
    const wrapped = this.op('Where', [
      negative,
      this.add(ids, this.constant([depth], [], ids.dtype)),
      ids,
    ])[0];
    const column = this.op('Unsqueeze', [wrapped, this.ints([ids.rank])])[0];
    const hit = this.op('Equal', [column, range])[0];
    // 0 / 1 (targets without smoothing, embedding gradients) is a Cast, cheaper than Where.
    if (off === 0 && on === 1) return this.cast(hit, dtype);
    return this.op('Where', [hit, this.scalar(on, dtype), this.scalar(off, dtype)])[0];
  }
  zerosLike(a: Value): Value {
    return this.zeros(a.shape, a.dtype);
  }
  zeros(shape: number[], dtype: DType = 'float32'): Value {
    return this.op('ConstantOfShape', [this.ints(shape)], {
      value: new TensorAttr(dtype, [1], toTyped([0], dtype)),
    })[0];
  }
  /**
   * Zeros [batch, ...rest] whose batch is read from `like`'s first axis at run time, so a graph
   * traced for one batch size (the exported model.onnx) still runs for any other. The static
   * shape carries the traced batch.
   */
  batchZeros(like: Value, rest: number[], dtype: DType = 'float32'): Value {
    const batch = this.op('Shape', [like], { start: 0, end: 1 })[0];
    const shape = this.op('Concat', [batch, this.ints(rest)], { axis: 0 })[0];
    return this.op(
      'ConstantOfShape',
      [shape],
      { value: new TensorAttr(dtype, [1], toTyped([0], dtype)) },
      { types: [{ dtype, shape: [like.shape[0], ...rest] }] },
    )[0];
  }
}

export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

export function toTyped(values: number[], dtype: DType): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(values.map((v) => BigInt(Math.trunc(v))));
    case 'int32':
      return Int32Array.from(values);
    case 'bool':
      return Uint8Array.from(values);
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
