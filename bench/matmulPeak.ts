/**
 * The machine's measured matrix-product speed through onnxruntime, in a session opened the way
 * the CLI's engine opens its own (runtime/session.ts, spinning threads): one MatMul of a fed
 * [M, K] input by a [K, N] weight (an initializer, as parameters are; two initializers would be
 * folded away at load). blas_probe.py times the same GEMM through torch into a preallocated
 * result; the larger median is the bench's peak.
 *
 * Only the product's first row leaves the session. onnxruntime-node copies every output into a
 * new JavaScript buffer, and on a VM where touching fresh pages is slow (measured here: 1 024
 * page faults, 12 ms, for a 4 MB result) the copy, not the product, set the figure: it read
 * 55–120 GFLOP/s or 260–360 from one run to the next as the allocator did or did not reuse pages.
 */
import { GraphBuilder } from '../src/engine/graph/builder';
import { serializeModel } from '../src/engine/graph/serialize';
import { Rng } from '../src/engine/init';
import { openSession, tensor } from '../src/engine/runtime/session';
import { sessionTimer, type SessionTimer } from './sessionTimer';
import { median } from './stats';

/** GFLOP/s of an [M, K]·[K, N] product that took `ms`. */
export const gemmGflops = ([m, k, n]: number[], ms: number): number => (2 * m * k * n) / (ms / 1000) / 1e9;

/** The GEMM in an open session, to time again and again (each round of bench/templateBench.ts). */
export async function openOnnxruntimeGemm([m, k, n]: number[]): Promise<SessionTimer> {
  const rng = new Rng(5);
  const random = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
  const g = new GraphBuilder('gemm');
  const a = g.input('a', 'float32', [m, k]);
  const b = g.initializer('b', 'float32', [k, n], random(k * n));
  const product = g.op('MatMul', [a, b])[0];
  const firstRow = g.op('Slice', [product, g.constant([0], [1], 'int64'), g.constant([1], [1], 'int64')])[0];
  g.output(firstRow, 'c');
  const session = await openSession(serializeModel(g), ['cpu'], { spinWait: true });
  const feeds = { a: tensor('float32', random(m * k), [m, k]) };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  return sessionTimer(session, feeds);
}

/** The GEMM's median GFLOP/s over about `seconds` (at least five products). */
export async function onnxruntimeGemmGflops(shape: number[], seconds: number): Promise<number> {
  const timer = await openOnnxruntimeGemm(shape);
  try {
    const times: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    while (performance.now() < deadline || times.length < 5) times.push(...(await timer.time(1)));
    return gemmGflops(shape, median(times));
  } finally {
    await timer.release();
  }
}
