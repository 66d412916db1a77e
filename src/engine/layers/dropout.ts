/**
 * Dropout whose mask is a pure function of (element index, site, key): the key is a graph
 * input the runtime derives from the seed and the step. Masks are therefore reproducible,
 * identical after resuming from a checkpoint, and the same in the three evaluations of a
 * finite-difference check. onnxruntime's Dropout op draws from an internal generator that
 * a checkpoint cannot capture, so it is not used for training.
 *
 * Hash over the prime field P = 2³¹ − 1: x ↦ x⁵ is a permutation there (5 does not divide
 * P − 1), so h = ((idx·48271 + c)⁵ + key)⁵ mod P mixes index and key non-linearly; different
 * keys are not shifted copies of one mask. Every product stays below 2⁶² in int64. The first
 * round depends on the index only and is constant-folded by onnxruntime. Keep an element
 * when h / P ≥ rate. Statistics checked in test/unit/engine/gradients.test.ts.
 */
import type { GraphBuilder, Value } from '../graph/builder';

const P = 2147483647;
const MAX_ELEMENTS = 2 ** 24;

export function dropout(b: GraphBuilder, x: Value, rate: number, key: Value, site: number): Value {
  if (rate <= 0) return x;
  if (x.size > MAX_ELEMENTS)
    throw new Error(`dropout on ${x.size} elements exceeds the ${MAX_ELEMENTS} supported`);
  const i64 = (n: number) => b.scalar(n, 'int64');
  const mod = (v: Value) => b.op('Mod', [v, i64(P)])[0];
  const pow5 = (v: Value) => {
    const sq = mod(b.mul(v, v));
    return mod(b.mul(mod(b.mul(sq, sq)), v));
  };
  const idx = b.op('Range', [i64(site * MAX_ELEMENTS), i64(site * MAX_ELEMENTS + x.size), i64(1)])[0];
  const h = pow5(mod(b.add(pow5(mod(b.add(b.mul(idx, i64(48271)), i64(1013904223)))), mod(key))));
  const u = b.mul(b.cast(h, x.dtype), b.scalar(1 / P, x.dtype));
  const keep = b.cast(b.op('Less', [b.scalar(rate, x.dtype), u])[0], x.dtype);
  return b.mul(x, b.mul(b.reshape(keep, x.shape), b.scalar(1 / (1 - rate), x.dtype)));
}
