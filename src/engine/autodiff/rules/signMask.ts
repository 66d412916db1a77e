/**
 * 0/1 masks for gradient rules on the CPU. onnxruntime-node's Where (and Sign, and a Cast of a
 * bool) is neither parallel nor vectorized: about 1 ms on a [32, 32, 32, 32] tensor, where its
 * HardSigmoid and Mul take a tenth of that. Rules for float32 CPU training graphs multiply dy by
 * such a mask; graphs for WebGPU and other types keep Where.
 */
import { FloatAttr, type GraphBuilder, type Value } from '../../graph/builder';

/**
 * The exact 0/1 mask of a float32 sign test, v > 0 (v ≥ 0 when `inclusive`; v < 0 and v ≤ 0 for
 * direction −1), in two parallel passes: HardSigmoid(±2⁴⁹·(v·2¹⁰⁰) + β) with β = 0 or 1. Scaling
 * by powers of two is exact, so |v| ≥ 2⁻¹⁴⁹ (the smallest subnormal) moves the sum past 0 or 1,
 * overflow to ±∞ included, and v = ±0 leaves β.
 */
export function signMask(b: GraphBuilder, v: Value, direction: 1 | -1, inclusive: boolean): Value {
  const scaled = b.mul(v, b.scalar(2 ** 100, v.dtype));
  return b.op('HardSigmoid', [scaled], {
    alpha: new FloatAttr(direction * 2 ** 49),
    beta: new FloatAttr(inclusive ? 1 : 0),
  })[0];
}

/** Whether rules on values of `dtype` take sign masks in this graph (a CPU training graph, float32). */
export function signMasksFor(b: GraphBuilder, dtype: string): boolean {
  return b.root.contribOps && dtype === 'float32';
}
