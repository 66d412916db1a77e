/**
 * Each template trained on a GPU provider (WebGPU unless BENCH_GPU_DEVICE names another) and on
 * the CPU in the same process:
 *  - the device report the user sees (what was asked for, what runs, why),
 *  - loss parity: the first `PARITY_STEPS` losses of both devices from the same seed and batches
 *    (one step per call, so every loss is seen),
 *  - speed: ms per step of each, compiled as `model-lab train` compiles the template (its fused
 *    steps, every core, spinning threads), in alternating turns so a change of load hits both.
 *    Also at BENCH_GPU_BATCH_SCALE (default 8) times the template's batch, where a GPU has more
 *    work per call. BENCH_GPU_FUSED overrides the steps fused per call (per-call against per-step
 *    costs).
 * Then every imported PyTorch model of the importer's reference cases (test/fixtures/onnx) trains
 * on the GPU provider along PyTorch's stored trajectory: each step's loss within 1e-4, as the CPU
 * must in onnxParity.test.ts.
 * Run: `npm run bench:gpu` (writes the figures as JSON to BENCH_GPU_JSON when set; BENCH_GPU_PART
 * = templates or imported runs one part; arguments keep the templates and cases whose names hold one).
 * Without a GPU the GPU side falls back to the CPU, and the device report says why.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { DeviceName } from '../src/contract/devices';
import { compileModel, type Batch, type CompileOptions } from '../src/engine';
import { importOnnxFile } from '../src/engine/onnx';
import { batchOf, CASES, compileCase, modelPath, readReference } from '../test/unit/engine/onnxFixtures';
import { median } from './stats';
import { loadTemplate, randomBatch, templateCompileOptions } from './templateOptions';

const TEMPLATES = ['cnn-digits', 'lstm-names', 'transformer-shakespeare', 'mlp-wine'];
const PARITY_STEPS = 20;
const TURN_SECONDS = 1.5;
const TURNS = 3;

const gpu = (process.env.BENCH_GPU_DEVICE ?? 'webgpu') as DeviceName;
const batchScale = Number(process.env.BENCH_GPU_BATCH_SCALE ?? 8);
const threads = availableParallelism();
const part = process.env.BENCH_GPU_PART;
const fusedOverride = process.env.BENCH_GPU_FUSED ? Number(process.env.BENCH_GPU_FUSED) : undefined;

interface Parity {
  cpu: number[];
  gpu: number[];
  /** Largest |gpu − cpu| / |cpu| over the steps. */
  maxRelative: number;
  firstRelative: number;
}

interface Speed {
  batch: number;
  fused: number;
  cpuMs: number;
  gpuMs: number;
  /** cpu ms / gpu ms: above 1 the GPU is faster. */
  gpuSpeedup: number;
  gpuCompileMs: number;
}

interface TemplateCheck {
  template: string;
  report: { requested: string; chosen: string; message: string };
  parity?: Parity;
  speed: Speed[];
  error?: string;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

async function parity(o: CompileOptions): Promise<{ parity: Parity; report: TemplateCheck['report'] }> {
  const single = { ...o, fusedSteps: 1, threads, spinWait: true };
  const cpuModel = await compileModel({ ...single, device: 'cpu' });
  const gpuModel = await compileModel({ ...single, device: gpu });
  const losses = { cpu: [] as number[], gpu: [] as number[] };
  for (let step = 0; step < PARITY_STEPS; step++) {
    const batch = randomBatch(o, [o.batchSize, ...cpuModel.outputShape], 100 + step);
    const lr = [o.optimizer.learningRate];
    losses.cpu.push(...(await cpuModel.train([batch], lr)));
    losses.gpu.push(...(await gpuModel.train([batch], lr)));
  }
  const report = { ...gpuModel.device };
  await cpuModel.dispose();
  await gpuModel.dispose();
  const gaps = losses.gpu.map((l, i) => relative(l, losses.cpu[i]));
  return {
    report,
    parity: { ...losses, maxRelative: Math.max(...gaps), firstRelative: gaps[0] },
  };
}

async function speed(o: CompileOptions, batchSize: number): Promise<Speed> {
  const sized = { ...o, batchSize, threads, spinWait: true };
  const cpuModel = await compileModel({ ...sized, device: 'cpu' });
  const compileStart = performance.now();
  const gpuModel = await compileModel({ ...sized, device: gpu });
  const gpuCompileMs = performance.now() - compileStart;
  const k = Math.max(1, o.fusedSteps ?? 1);
  const batch: Batch = randomBatch(sized, [batchSize, ...cpuModel.outputShape]);
  const batches = Array.from({ length: k }, () => batch);
  const lrs = batches.map(() => o.optimizer.learningRate);
  const call = async (model: typeof cpuModel) => {
    const start = performance.now();
    await model.train(batches, lrs);
    return (performance.now() - start) / k;
  };
  // Warm-up: the first calls open sessions and, on a GPU, compile its shaders.
  for (let i = 0; i < 3; i++) {
    await call(cpuModel);
    await call(gpuModel);
  }
  const times = { cpu: [] as number[], gpu: [] as number[] };
  for (let turn = 0; turn < TURNS; turn++) {
    for (const side of turn % 2 ? (['gpu', 'cpu'] as const) : (['cpu', 'gpu'] as const)) {
      const model = side === 'cpu' ? cpuModel : gpuModel;
      const end = performance.now() + TURN_SECONDS * 1000;
      do times[side].push(await call(model));
      while (performance.now() < end);
    }
  }
  await cpuModel.dispose();
  await gpuModel.dispose();
  const cpuMs = median(times.cpu);
  const gpuMs = median(times.gpu);
  return { batch: batchSize, fused: k, cpuMs, gpuMs, gpuSpeedup: cpuMs / gpuMs, gpuCompileMs };
}

async function check(template: string): Promise<TemplateCheck> {
  const experiment = loadTemplate(template);
  const o = templateCompileOptions(experiment, fusedOverride ?? experiment.training.fusedSteps);
  const result: TemplateCheck = {
    template,
    report: { requested: gpu, chosen: '?', message: '' },
    speed: [],
  };
  try {
    const p = await parity(o);
    result.report = p.report;
    result.parity = p.parity;
    result.speed.push(await speed(o, o.batchSize));
    if (batchScale > 1) result.speed.push(await speed(o, o.batchSize * batchScale));
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  return result;
}

function print(c: TemplateCheck): void {
  console.log(
    `\n${c.template}: asked for ${c.report.requested}, runs on ${c.report.chosen}: ${c.report.message}`,
  );
  if (c.parity) {
    const p = c.parity;
    console.log(
      `  loss parity over ${p.cpu.length} steps: first step ${p.firstRelative.toExponential(2)}, ` +
        `largest ${p.maxRelative.toExponential(2)} (relative)`,
    );
    const show = (xs: number[]) => xs.map((x) => x.toFixed(5)).join(' ');
    console.log(`  cpu: ${show(p.cpu)}`);
    console.log(`  gpu: ${show(p.gpu)}`);
  }
  for (const s of c.speed) {
    console.log(
      `  batch ${s.batch} (${s.fused} fused): cpu ${s.cpuMs.toFixed(2)} ms/step (${(1000 / s.cpuMs).toFixed(0)} steps/s), ` +
        `${gpu} ${s.gpuMs.toFixed(2)} ms/step (${(1000 / s.gpuMs).toFixed(0)} steps/s): ` +
        `${s.gpuSpeedup.toFixed(2)}× the CPU; ${gpu} compile ${s.gpuCompileMs.toFixed(0)} ms`,
    );
  }
  if (c.error) console.log(`  FAILED: ${c.error}`);
}

interface ImportedCheck {
  name: string;
  chosen: string;
  steps: number;
  /** Largest |loss − PyTorch's loss| over the steps. */
  worst: number;
  error?: string;
}

/** An imported reference case trained on the GPU provider against PyTorch's losses. */
async function importedAlongPyTorch(name: string): Promise<ImportedCheck> {
  try {
    const ref = readReference(name);
    const model = await compileCase(importOnnxFile(modelPath(name), ref.import), ref, gpu);
    const batches = ref.trajectory.map((_, step) => batchOf(ref, step % ref.batches.length));
    const losses = await model.train(
      batches,
      batches.map(() => ref.optimizer.learningRate),
    );
    await model.dispose();
    const worst = Math.max(...losses.map((l, i) => Math.abs(l - ref.trajectory[i])));
    return { name, chosen: model.device.chosen, steps: losses.length, worst };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { name, chosen: '?', steps: 0, worst: NaN, error: text.split('\n')[0] };
  }
}

async function main(): Promise<void> {
  console.log(
    `${gpu} against the CPU (${threads} threads), ${PARITY_STEPS} parity steps, batch ×1 and ×${batchScale}`,
  );
  const only = process.argv.slice(2);
  const checks: TemplateCheck[] = [];
  const chosen = (names: string[], which: string) =>
    part && part !== which ? [] : names.filter((n) => !only.length || only.some((o) => n.includes(o)));
  for (const template of chosen(TEMPLATES, 'templates')) {
    const c = await check(template);
    print(c);
    checks.push(c);
  }
  console.log(`\nimported PyTorch models on ${gpu}, every step's loss against PyTorch's (within 1e-4):`);
  const imported: ImportedCheck[] = [];
  for (const name of chosen(CASES, 'imported')) {
    const c = await importedAlongPyTorch(name);
    const verdict = c.error ? `FAILED: ${c.error}` : c.worst <= 1e-4 ? 'follows PyTorch' : 'DIVERGES';
    console.log(
      `  ${name} on ${c.chosen}: ${c.steps} steps, largest difference ${c.worst.toExponential(2)}: ${verdict}`,
    );
    imported.push(c);
  }
  if (process.env.BENCH_GPU_JSON)
    writeFileSync(process.env.BENCH_GPU_JSON, JSON.stringify({ templates: checks, imported }, null, 2));
  const importedFailed = imported.some((c) => c.error || !(c.worst <= 1e-4));
  process.exitCode = checks.some((c) => c.error) || importedFailed ? 1 : 0;
}

void main();
