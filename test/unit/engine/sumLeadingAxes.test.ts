/**
 * Sums over leading axes (graph/sumLeadingAxes.ts), the batch and row sums of bias, layer-norm
 * and convolution weight gradients: a large float32 sum is one Gemm with a row of ones, a small
 * one stays ReduceSum, and both give the sums a plain loop gives.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { sumLeadingAxes } from '../../../src/engine/graph/sumLeadingAxes';
import { Rng } from '../../../src/engine/init';
import { openSession, tensor } from '../../../src/engine/runtime/session';

/** x summed over its first `count` axes by a plain loop. */
function loopSum(x: Float32Array, shape: number[], count: number): Float64Array {
  const inner = shape.slice(count).reduce((a, c) => a * c, 1);
  const sum = new Float64Array(inner);
  for (let i = 0; i < x.length; i++) sum[i % inner] += x[i];
  return sum;
}

describe('sums over leading axes', () => {
  const rng = new Rng(5);
  for (const [what, shape, count, form] of [
    ['a convolution weight gradient per image, over the batch', [32, 72, 64], 1, 'Gemm'],
    ['a bias gradient over batch and time', [16, 32, 48], 2, 'Gemm'],
    ['a small sum', [4, 3, 5], 1, 'ReduceSum'],
    ['every axis', [64, 512], 2, 'ReduceSum'],
  ] as const)
    it(`${what} [${shape}] over ${count} axes: ${form}, equal to a loop`, async () => {
      const b = new GraphBuilder('sum');
      const x = b.input('x', 'float32', [...shape]);
      const sum = sumLeadingAxes(b, x, count);
      b.output(sum, 'sum');
      assert.deepEqual(sum.shape, shape.slice(count));
      const ops = b.nodes.map((n) => n.opType);
      assert.ok(ops.includes(form), `${form} among ${ops.join(', ')}`);
      assert.equal(ops.includes('ReduceSum'), form === 'ReduceSum', 'ReduceSum only for small sums');

      const data = Float32Array.from({ length: x.size }, () => rng.normal());
      const session = await openSession(serializeModel(b));
      const out = (await session.run({ x: tensor('float32', data, [...shape]) })).sum.data as Float32Array;
      await session.release();
      const expected = loopSum(data, [...shape], count);
      assert.equal(out.length, expected.length);
      expected.forEach((e, i) =>
        assert.ok(Math.abs(out[i] - e) <= 1e-4 * (1 + Math.abs(e)), `sum ${i}: ${out[i]} vs ${e}`),
      );
    });
});
