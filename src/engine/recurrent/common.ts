/**
 * Pieces shared by the LSTM and GRU: weights in PyTorch's layout, the input projection
 * done once for all time steps, and the weight gradient of the recurrent product summed
 * over time as one Gemm (outside the reverse Scan, where it is far cheaper than an
 * accumulation per step).
 */
import type { GraphBuilder, Value } from '../graph/builder';

/**
 * PyTorch's layout (weight_ih_l0 …): W_ih [G·H, I], W_hh [G·H, H], b_ih and b_hh [G·H],
 * with G gate blocks stacked along the first axis (LSTM: i, f, g, o; GRU: r, z, n).
 */
export interface RecurrentWeights {
  wIh: Value;
  wHh: Value;
  bIh: Value;
  bHh: Value;
}

export interface RecurrentOutput {
  /** Hidden state after every step, batch-major [B, T, H]. */
  sequence: Value;
  /** Hidden state after the last step [B, H]. */
  last: Value;
  /**
   * Asked for with `inspect` (the LSTM/GRU inside view): each gate's activation and the cell
   * state at every step, batch-major [B, T, H], keyed by name (LSTM: input, forget, cell,
   * output; GRU: reset, update).
   */
  inside?: Record<string, Value>;
}

/**
 * `inspect`: the Scan also outputs the per-step values a training Scan saves for its backward
 * (gates, cell states), read by the inside view; no gradient rule is attached for them.
 */
export interface SequenceOptions {
  inspect?: boolean;
}

/** Checks shapes and returns [batch, steps, inputs, hidden]. */
export function recurrentDims(x: Value, w: RecurrentWeights, gates: number, h0: Value): number[] {
  if (x.rank !== 3) throw new Error(`expects sequences [steps, features], got [${x.shape.slice(1)}]`);
  const [batch, steps, inputs] = x.shape;
  const hidden = w.wHh.shape[1];
  const expect = (v: Value, shape: number[], what: string) => {
    if (v.shape.join() !== shape.join()) throw new Error(`${what} must be [${shape}], got [${v.shape}]`);
  };
  expect(w.wIh, [gates * hidden, inputs], 'weight_ih');
  expect(w.wHh, [gates * hidden, hidden], 'weight_hh');
  expect(w.bIh, [gates * hidden], 'bias_ih');
  expect(w.bHh, [gates * hidden], 'bias_hh');
  expect(h0, [batch, hidden], 'the initial state');
  return [batch, steps, inputs, hidden];
}

/**
 * x [B, T, I] → x·W_ihᵀ + bias, time-major [T, B, G·H]: one Gemm over all steps. The batch
 * stays -1 in the reshapes, so an exported model accepts any batch.
 */
export function projectInputs(b: GraphBuilder, x: Value, wIh: Value, bias: Value): Value {
  const [, steps, inputs] = x.shape;
  const rows = b.reshape(b.transpose(x, [1, 0, 2]), [-1, inputs]);
  const projected = b.op('Gemm', [rows, wIh, bias], { transB: 1 })[0];
  return b.reshape(projected, [steps, -1, wIh.shape[0]]);
}

/** The states after each step [S₁ … S_T], from those each step started from [S₀ … S_{T−1}] and the last. */
export function statesAfter(b: GraphBuilder, before: Value, last: Value): Value {
  const steps = before.shape[0];
  const tail = b.op('Unsqueeze', [last, b.ints([0])])[0];
  if (steps === 1) return tail;
  const body = b.op('Slice', [before, b.ints([1]), b.ints([steps]), b.ints([0])])[0];
  return b.op('Concat', [body, tail], { axis: 0 })[0];
}

/**
 * A recurrent output whose `sequence` is built when first read: a layer that returns only its
 * last state never reads it, and onnxruntime runs every node of a graph, used or not.
 */
export function lazySequence<T extends Omit<RecurrentOutput, 'sequence'>>(
  build: () => Value,
  rest: T,
): T & RecurrentOutput {
  let sequence: Value | undefined;
  return Object.defineProperty(rest, 'sequence', {
    get: () => (sequence ??= build()),
    enumerable: true,
  }) as T & RecurrentOutput;
}

/** Σ_t dZ_tᵀ·P_t for dZ [T, B, G·H] and P [T, B, H]: the gradient of W_hh, [G·H, H]. */
export function sumOverTime(b: GraphBuilder, dz: Value, p: Value): Value {
  const rows = dz.shape[0] * dz.shape[1];
  const flatDz = b.reshape(dz, [rows, dz.shape[2]]);
  return b.op('Gemm', [flatDz, b.reshape(p, [rows, p.shape[2]])], { transA: 1 })[0];
}

/** [T, B, H] → [B, T, H]. */
export function batchMajor(b: GraphBuilder, seq: Value): Value {
  return b.transpose(seq, [1, 0, 2]);
}

/** 1 − v, the shared factor of the tanh and sigmoid derivatives. */
export function oneMinus(b: GraphBuilder, v: Value): Value {
  return b.sub(b.scalar(1, v.dtype), v);
}
