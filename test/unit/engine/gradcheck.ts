/**
 * Finite-difference gradient checker (in the spirit of JAX's check_grads).
 *
 * Builds f(inputs) with the builder, reduces it to L = Σ f·R with a fixed random R, adds
 * the autodiff gradients and runs the graph with onnxruntime. For each differentiated input
 * it draws a random direction v and compares the analytic directional derivative ⟨∇L, v⟩
 * with the central difference (L(x + εv) − L(x − εv)) / 2ε.
 */
import { strict as assert } from 'node:assert';
import { gradients } from '../../../src/engine/autodiff/backward';
import { GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { Rng } from '../../../src/engine/init';

export interface InputSpec {
  shape: number[];
  /** int64 inputs (indices) are never differentiated. */
  dtype?: 'float32' | 'int64';
  /** Fixed data; default: uniform in [-1, 1] away from 0 (tie-free for Relu). */
  data?: Float32Array | BigInt64Array;
  /** Differentiate with respect to this input (default: float inputs). */
  wrt?: boolean;
}

export interface CheckOptions {
  seed?: number;
  eps?: number;
  rtol?: number;
  atol?: number;
}

/** Values in ±[0.2, 1], so no element sits near a kink at 0. */
export function awayFromZero(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + 0.8 * rng.uniform()));
}

/** Distinct values spaced 0.05 apart in random order: no ties for max-style ops. */
export function distinct(rng: Rng, n: number): Float32Array {
  const values = Float32Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}

/** f reduced to L = Σ f·R, its autodiff gradients, and a session that evaluates both. */
export async function gradientProblem(
  build: (b: GraphBuilder, xs: Value[]) => Value,
  specs: InputSpec[],
  rng: Rng,
) {
  const b = new GraphBuilder();
  const xs = specs.map((s, i) => b.input(`x${i}`, s.dtype ?? 'float32', s.shape));
  const out = build(b, xs);
  const r = b.constant(
    Float32Array.from({ length: out.size }, () => rng.normal()),
    out.shape,
  );
  const loss = b.output(b.reduceSum(b.mul(out, r), []), 'loss');
  const wrt = xs.filter((x, i) => x.dtype === 'float32' && specs[i].wrt !== false);
  const grads = gradients(b, loss, wrt);
  const gradOutputs = wrt.map((w) => b.output(grads.get(w.name)!, `grad_${w.name}`));
  const session = await openSession(serializeModel(b));
  const data = specs.map(
    (s) => s.data ?? (s.dtype === 'int64' ? new BigInt64Array(0) : awayFromZero(rng, size(s.shape))),
  );
  const run = async (override = new Map<string, Float32Array>()) => {
    const feeds = Object.fromEntries(
      xs.map((x, i) => [x.name, tensor(x.dtype, override.get(x.name) ?? data[i], x.shape)]),
    );
    const result = await session.run(feeds);
    return {
      loss: (result[loss.name].data as Float32Array)[0],
      grads: gradOutputs.map((g) => result[g.name].data as Float32Array),
    };
  };
  return { wrt, data, xs, run, release: () => session.release() };
}

export async function checkGradients(
  build: (b: GraphBuilder, xs: Value[]) => Value,
  specs: InputSpec[],
  options: CheckOptions = {},
): Promise<void> {
  const { seed = 1, eps = 1e-3, rtol = 1e-2, atol = 1e-3 } = options;
  const rng = new Rng(seed);
  const problem = await gradientProblem(build, specs, rng);
  const base = await problem.run();
  for (const [k, w] of problem.wrt.entries()) {
    const x0 = problem.data[problem.xs.indexOf(w)] as Float32Array;
    const v = Float32Array.from({ length: x0.length }, () => rng.normal());
    const g = base.grads[k];
    assert.equal(g.length, x0.length, `gradient of ${w.name} has the input's size`);
    const analytic = g.reduce((acc, gi, i) => acc + gi * v[i], 0);
    const shifted = async (sign: number) =>
      (await problem.run(new Map([[w.name, x0.map((xi, i) => xi + sign * eps * v[i])]]))).loss;
    const numeric = ((await shifted(1)) - (await shifted(-1))) / (2 * eps);
    const error = Math.abs(numeric - analytic);
    assert.ok(
      error <= atol + rtol * Math.abs(numeric),
      `d loss / d ${w.name} along v: autodiff ${analytic}, finite difference ${numeric}`,
    );
  }
  await problem.release();
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
