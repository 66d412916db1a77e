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
 * when its draw h·(1/P), rounded as the input's float type rounds it, exceeds rate; the
 * graph compares h with the integer bound that is equivalent (`keptFrom`), which skips a
 * cast and a product per element. Statistics checked in test/unit/engine/gradients.test.ts.
 */
import type { GraphBuilder, Value } from '../graph/builder';
import type { DType } from '../graph/dtypes';

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
  const kept = b.op('Less', [i64(keptFrom(rate, x.dtype) - 1), h])[0];
  const scaledMask = b.op('Where', [kept, b.scalar(1 / (1 - rate), x.dtype), b.scalar(0, x.dtype)])[0];
  return b.mul(x, b.reshape(scaledMask, x.shape));
}

/**
 * The least hash h whose draw h·(1/P), each step rounded to `dtype` as onnxruntime and
 * PyTorch's DropoutSites round it, exceeds `rate`; P when no h < P does. The draw never
 * decreases as h grows, so `h ≥ keptFrom(rate)` keeps exactly the elements the float
 * comparison keeps.
 */
export function keptFrom(rate: number, dtype: DType): number {
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const bound = round(rate);
  const invP = round(1 / P);
  const drawn = (h: number) => round(round(h) * invP) > bound;
  let lo = 0;
  let hi = P; // drawn(hi) is taken as true: h < P always
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (drawn(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
