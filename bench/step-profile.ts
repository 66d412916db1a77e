/**
 * Profile (not a test): where a template's (or an imported case's, bench/importedCases.ts) training
 * step spends its time, from onnxruntime's own profiler, to choose what to make faster before
 * measuring it against PyTorch (npm run bench:engine). It compiles the model as bench:engine does,
 * trains CALLS engine calls of its fused steps on random data, and prints each part's share of the kernel time inside the training graph: by layer
 * (forward nodes are named after their layer, `grad/…` is the backward pass, unnamed nodes are the
 * loss, clipping and optimizer) and by op type within each. Shares, not times: on a shared machine
 * they hold better than milliseconds do. Then each op type over the whole graph with its kernel
 * milliseconds and node runs per step: a step of many small nodes pays per node, not per FLOP.
 * Last the matrix products grouped by shape with their GFLOP/s.
 *
 *   npm run bench:profile -- cnn-digits
 *   BENCH_PROFILE_CALLS=50 npm run bench:profile -- transformer-shakespeare
 *   npm run bench:profile -- imported-gpt
 *   BENCH_PROFILE_NODES=40 npm run bench:profile -- transformer-shakespeare   # and the 40 costliest other nodes
 *   BENCH_PROFILE_SLEEP=1 npm run bench:profile -- transformer-shakespeare    # threads sleeping, as the editor trains
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { compileModel, type Batch, type CompileOptions } from '../src/engine';
import { importedBatch, importedByPeer, importedCompileOptions, IMPORTED_CASES } from './importedCases';
import { loadTemplate, randomBatch, templateCompileOptions } from './templateOptions';

const CALLS = Number(process.env.BENCH_PROFILE_CALLS ?? 30);
const NODES = Number(process.env.BENCH_PROFILE_NODES ?? 0);
const TOP = 8;

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: {
    op_name?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
}

// Every session the engine opens writes onnxruntime's profile into one scratch folder.
const folder = mkdtempSync(join(tmpdir(), 'model-lab-profile-'));
type Create = (
  model: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
) => Promise<ort.InferenceSession>;
const factory = ort.InferenceSession as unknown as { create: Create };
const create = factory.create.bind(factory);
const sessions: ort.InferenceSession[] = [];
factory.create = async (model, options) => {
  const session = await create(model, {
    ...options,
    enableProfiling: true,
    profileFilePrefix: join(folder, 'p'),
  });
  sessions.push(session);
  // A session the engine releases early (its one-off probes) has no profile left to end.
  const release = session.release.bind(session);
  session.release = async () => {
    sessions.splice(sessions.indexOf(session), 1);
    await release();
  };
  return session;
};

/** The part of the model a node belongs to, from its name. */
function part(node: string): string {
  const [first] = node.split('/');
  if (first === 'grad') return 'backward (grad/…)';
  return node.includes('/') ? first : 'loss, clipping, optimizer (unnamed)';
}

/** Kernel times of the nodes; a Loop (the fused steps) is the sum of its body's nodes, counted once. */
function kernelEvents(events: ProfileEvent[]): ProfileEvent[] {
  return events.filter(
    (e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.args?.op_name !== 'Loop',
  );
}

function shares(kernels: ProfileEvent[]): string[] {
  const total = kernels.reduce((a, e) => a + e.dur, 0);
  const parts = new Map<string, { dur: number; nodes: Set<string>; ops: Map<string, number> }>();
  for (const e of kernels) {
    const node = e.name.slice(0, -'_kernel_time'.length);
    const entry = parts.get(part(node)) ?? { dur: 0, nodes: new Set(), ops: new Map() };
    entry.dur += e.dur;
    entry.nodes.add(node);
    const op = e.args?.op_name ?? '?';
    entry.ops.set(op, (entry.ops.get(op) ?? 0) + e.dur);
    parts.set(part(node), entry);
  }
  const percent = (dur: number) => `${((100 * dur) / total).toFixed(1)} %`;
  return [...parts]
    .sort((a, b) => b[1].dur - a[1].dur)
    .map(([name, { dur, nodes, ops }]) => {
      const top = [...ops]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([op, d]) => `${op} ${percent(d)}`);
      return `${percent(dur).padStart(7)}  ${name} (${nodes.size} nodes): ${top.join(', ')}`;
    });
}

/**
 * Each op type over the whole training graph: kernel ms per step, share, and how many of its
 * nodes run per step (small nodes cost a kernel launch each whatever their size).
 */
function byOpType(kernels: ProfileEvent[], steps: number): string[] {
  const total = kernels.reduce((a, e) => a + e.dur, 0);
  const ops = new Map<string, { dur: number; runs: number }>();
  for (const e of kernels) {
    const op = e.args?.op_name ?? '?';
    const entry = ops.get(op) ?? { dur: 0, runs: 0 };
    entry.dur += e.dur;
    entry.runs++;
    ops.set(op, entry);
  }
  const ms = (us: number) => (us / 1000 / steps).toFixed(2);
  return [
    `kernel time ${ms(total)} ms per step in ${(kernels.length / steps).toFixed(0)} node runs per step; by op type (ms per step, share, node runs per step):`,
    ...[...ops]
      .sort((a, b) => b[1].dur - a[1].dur)
      .map(
        ([op, { dur, runs }]) =>
          `${ms(dur).padStart(7)} ms ${((100 * dur) / total).toFixed(1).padStart(5)} %  ${op} ×${(runs / steps).toFixed(0)}`,
      ),
  ];
}

const PRODUCTS = new Set(['Gemm', 'MatMul', 'FusedMatMul']);
const shapesOf = (list: Record<string, number[]>[] | undefined) =>
  (list ?? []).map((t) => Object.values(t)[0]);

/**
 * The matrix products grouped by operand shapes, per step: kernel ms, GFLOP/s (2·M·N·K per
 * product: K from A's last two axes and the output's rows) and runs, to set beside the
 * machine's GEMM peak that bench:engine prints.
 */
function productsByShape(kernels: ProfileEvent[], steps: number): string[] {
  const groups = new Map<string, { dur: number; runs: number; flops: number }>();
  for (const e of kernels) {
    const op = e.args?.op_name ?? '?';
    if (!PRODUCTS.has(op)) continue;
    const [a, b] = shapesOf(e.args?.input_type_shape);
    const [y] = shapesOf(e.args?.output_type_shape);
    const inner = (a[a.length - 1] * a[a.length - 2]) / y[y.length - 2];
    // onnxruntime leaves out the shape of a constant B it packed at load (a gather matrix).
    const key = `${op} [${a}]·${b ? `[${b}]` : '(packed constant)'} → [${y}]`;
    const group = groups.get(key) ?? { dur: 0, runs: 0, flops: 0 };
    group.dur += e.dur;
    group.runs++;
    group.flops += 2 * y.reduce((p, q) => p * q, 1) * inner;
    groups.set(key, group);
  }
  return [
    'matrix products by operand shapes as stored (transA / transB read them transposed): ms per step, GFLOP/s, runs per step:',
    ...[...groups]
      .sort((p, q) => q[1].dur - p[1].dur)
      .map(
        ([key, { dur, runs, flops }]) =>
          `${(dur / 1000 / steps).toFixed(2).padStart(7)} ms ${(flops / dur / 1000).toFixed(0).padStart(5)} GFLOP/s  ${key} ×${(runs / steps).toFixed(0)}`,
      ),
  ];
}

/**
 * The `count` costliest nodes that are not matrix products, each with its kernel µs per step and
 * shapes: which Mul or Reshape of the many a change should remove.
 */
function costliestNodes(kernels: ProfileEvent[], steps: number, count: number): string[] {
  const nodes = new Map<string, { dur: number; op: string; shapes: string }>();
  for (const e of kernels) {
    const op = e.args?.op_name ?? '?';
    if (PRODUCTS.has(op)) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    const shapes = `[${shapesOf(e.args?.input_type_shape).join('] [')}] → [${shapesOf(e.args?.output_type_shape).join('] [')}]`;
    const node = nodes.get(name) ?? { dur: 0, op, shapes };
    node.dur += e.dur;
    nodes.set(name, node);
  }
  return [
    `the ${count} costliest nodes other than products (µs per step, op, name, shapes):`,
    ...[...nodes]
      .sort((p, q) => q[1].dur - p[1].dur)
      .slice(0, count)
      .map(
        ([name, { dur, op, shapes }]) =>
          `${(dur / steps).toFixed(0).padStart(6)} µs  ${op} ${name} ${shapes}`,
      ),
  ];
}

/** A template's compile options and batch, or an imported case's (exported by the PyTorch peer, which then exits). */
async function prepare(name: string): Promise<{ o: CompileOptions; batchFor(outputShape: number[]): Batch }> {
  const c = IMPORTED_CASES.find((i) => i.name === name);
  if (!c) {
    const o = templateCompileOptions(loadTemplate(name));
    return { o, batchFor: (outputShape) => randomBatch(o, [o.batchSize, ...outputShape]) };
  }
  const { plan, torch } = await importedByPeer(c, availableParallelism(), process.env);
  torch.close();
  return { o: importedCompileOptions(c, plan), batchFor: (outputShape) => importedBatch(c, outputShape) };
}

async function main() {
  const template = process.argv[2] ?? 'cnn-digits';
  const { o, batchFor } = await prepare(template);
  // As bench:engine's "ours": the engine as `model-lab train` runs it (BENCH_PROFILE_SLEEP=1: as the editor does).
  const model = await compileModel({ ...o, spinWait: process.env.BENCH_PROFILE_SLEEP !== '1' });
  const batches = Array.from({ length: Math.max(1, o.fusedSteps ?? 1) }, () => batchFor(model.outputShape));
  const lrs = batches.map(() => o.optimizer.learningRate);
  for (let i = 0; i < CALLS; i++) await model.train(batches, lrs);
  for (const session of sessions) (session as unknown as { endProfiling(): void }).endProfiling();
  // The training graph is the session that ran the most: the largest profile.
  const [largest] = readdirSync(folder)
    .map((file) => join(folder, file))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  const kernels = kernelEvents(JSON.parse(readFileSync(largest, 'utf8')) as ProfileEvent[]);
  rmSync(folder, { recursive: true, force: true });
  console.log(
    `${template}: batch ${o.batchSize}, ${batches.length} steps per call, ${CALLS} calls; ` +
      'share of the training graph kernel time by part of the model, and by op within it:',
  );
  for (const line of shares(kernels)) console.log(line);
  for (const line of byOpType(kernels, CALLS * batches.length)) console.log(line);
  for (const line of productsByShape(kernels, CALLS * batches.length)) console.log(line);
  if (NODES > 0) for (const line of costliestNodes(kernels, CALLS * batches.length, NODES)) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(folder, { recursive: true, force: true });
  process.exit(1);
});
