/** Typed fixture builders for engine tests: compile options with defaults, tiny generated data sets. */
import type { CompileOptions, ModelDescription } from '../../../src/engine/api';
import { Rng } from '../../../src/engine/init';

export function options(model: ModelDescription, overrides: Partial<CompileOptions> = {}): CompileOptions {
  return {
    model,
    loss: 'cross-entropy',
    optimizer: { type: 'adam', learningRate: 0.01 },
    batchSize: 16,
    seed: 7,
    device: 'cpu',
    ...overrides,
  };
}

/** XOR-like quadrants: class = (x > 0) xor (y > 0), points kept away from the axes. */
export function xorData(n: number, seed: number): { x: Float32Array; y: BigInt64Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const a = (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + rng.uniform());
    const b = (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + rng.uniform());
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = BigInt(Number(a > 0) ^ Number(b > 0));
  }
  return { x, y };
}

/** Images [1, 8, 8] with a bright horizontal, vertical or diagonal bar, plus noise: 3 classes. */
export function barImages(n: number, seed: number): { x: Float32Array; y: BigInt64Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 64);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 3;
    const at = 1 + Math.floor(rng.uniform() * 6);
    for (let p = 0; p < 64; p++) {
      const [r, c] = [Math.floor(p / 8), p % 8];
      const on = cls === 0 ? r === at : cls === 1 ? c === at : r === c;
      x[i * 64 + p] = (on ? 1 : 0) + 0.3 * rng.normal();
    }
    y[i] = BigInt(cls);
  }
  return { x, y };
}

export function slice<T extends Float32Array | BigInt64Array>(
  data: T,
  perExample: number,
  start: number,
  count: number,
): T {
  return data.subarray(start * perExample, (start + count) * perExample) as T;
}

export function argmaxAccuracy(outputs: Float32Array, classes: number, labels: BigInt64Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (outputs[i * classes + c] > outputs[i * classes + best]) best = c;
    correct += Number(BigInt(best) === labels[i]);
  }
  return correct / labels.length;
}
