/**
 * The machine's measured matrix-product speed through onnxruntime, in a session opened the way
 * the engine opens its own (runtime/session.ts): one MatMul of a fed [M, K] input by a [K, N]
 * weight (an initializer, as parameters are; two initializers would be folded away at load).
 * blas_probe.py times the same GEMM through torch; the larger median is the bench's peak.
 */
import { GraphBuilder } from '../src/engine/graph/builder';
import { serializeModel } from '../src/engine/graph/serialize';
import { Rng } from '../src/engine/init';
import { openSession, tensor } from '../src/engine/runtime/session';
import { median } from './stats';

export async function onnxruntimeGemmGflops([m, k, n]: number[], seconds: number): Promise<number> {
  const rng = new Rng(5);
  const random = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
  const g = new GraphBuilder('gemm');
  const a = g.input('a', 'float32', [m, k]);
  const b = g.initializer('b', 'float32', [k, n], random(k * n));
  g.output(g.op('MatMul', [a, b])[0], 'c');
  const session = await openSession(serializeModel(g));
  const feeds = { a: tensor('float32', random(m * k), [m, k]) };
  try {
    for (let i = 0; i < 3; i++) await session.run(feeds);
    const times: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    while (performance.now() < deadline || times.length < 5) {
      const start = performance.now();
      await session.run(feeds);
      times.push(performance.now() - start);
    }
    return (2 * m * k * n) / (median(times) / 1000) / 1e9;
  } finally {
    await session.release();
  }
}
