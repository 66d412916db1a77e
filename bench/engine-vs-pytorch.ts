/**
 * Benchmark (not a test): trains the CNN, LSTM and Transformer template models with Model Lab's
 * engine (compileModel → train) and with PyTorch on the CPU (Debian's torch at /usr/bin/python3,
 * bench/pytorch/train_worker.py) in one run, with the same shapes, batch, optimizer, clipping,
 * loss and thread count. Rounds alternate between the two so load changes on a shared machine
 * hit both; each prints medians over the steps after warm-up.
 *
 *   npm run bench:engine                        # all three templates
 *   npm run bench:engine -- lstm                # templates whose folder name contains 'lstm'
 *   BENCH_ROUNDS=7 BENCH_ROUND_SECONDS=2 npm run bench:engine
 *   BENCH_FUSED=1 npm run bench:engine        # override the templates' fusedSteps
 *
 * Columns: ms/step (wall, median) of each, ratio = PyTorch time / ours (> 1: we are faster), the share of our
 * step time spent outside session.run (JS-side feeds and state handling), and achieved GFLOP/s
 * from the analytic count in bench/flops.ts (same FLOPs for both), and the process CPU time per
 * step of each (all threads: on a busy machine it moves far less than wall time).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as ort from 'onnxruntime-node';
import { compileModel, type Batch, type CompileOptions } from '../src/engine';
import { Rng } from '../src/engine/init';
import { templateCompileOptions, type TemplateExperiment } from './templateOptions';
import { trainingFlops } from './flops';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 1.5);
const THREADS = availableParallelism();
const MODELS = ['cnn-digits', 'lstm-names', 'transformer-shakespeare'];

/** Time spent inside InferenceSession.run, summed (every session of the engine runs through it). */
let inRun = 0;
type Run = (this: ort.InferenceSession, ...args: unknown[]) => Promise<ort.InferenceSession.ReturnType>;
// InferenceSession is declared as a factory interface, but at run time it is the class.
const sessionClass = ort.InferenceSession as unknown as { prototype: { run: Run } };
const originalRun = sessionClass.prototype.run;
sessionClass.prototype.run = async function (...args) {
  const start = performance.now();
  try {
    return await originalRun.apply(this, args);
  } finally {
    inRun += performance.now() - start;
  }
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function loadTemplate(folder: string): TemplateExperiment {
  const dir = join('templates', folder);
  const file = readdirSync(dir).find((f) => f.endsWith('.experiment.json'));
  if (!file) throw new Error(`no experiment file in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as TemplateExperiment;
}

const compileOptions = (e: TemplateExperiment): CompileOptions =>
  templateCompileOptions(
    e,
    process.env.BENCH_FUSED ? Number(process.env.BENCH_FUSED) : e.training.fusedSteps,
  );

/** Random inputs and class targets of the right shapes (speed does not depend on the values). */
function randomBatch(o: CompileOptions, outputShape: number[]): Batch {
  const rng = new Rng(3);
  const B = o.batchSize;
  const inputSize = B * o.model.inputShape.reduce((a, b) => a * b, 1);
  const first = o.model.layers[0];
  const x =
    first.type === 'embedding'
      ? BigInt64Array.from({ length: inputSize }, () => BigInt(Math.floor(rng.uniform() * first.vocabSize)))
      : Float32Array.from({ length: inputSize }, () => rng.normal());
  const classes = outputShape[outputShape.length - 1];
  const targets = outputShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const y = BigInt64Array.from({ length: targets }, () => BigInt(Math.floor(rng.uniform() * classes)));
  return { x, y };
}

/** The PyTorch side: one long-lived process answering {"steps": n} with step times. */
class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(o: CompileOptions) {
    const config = { ...o.model, ...o, threads: THREADS };
    // Passive OpenMP waiting: with OpenMP's default spinning, torch's OpenMP threads and
    // OpenBLAS's own threads fight over the 2 cores (an LSTM step took 1.4 s instead of 8 ms
    // here under load); passive is PyTorch's fastest setting on this machine.
    this.child = spawn('/usr/bin/python3', ['bench/pytorch/train_worker.py', JSON.stringify(config)], {
      env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    });
    this.child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async next<T>(): Promise<T> {
    const line = await this.lines.next();
    if (line.done) throw new Error('the PyTorch worker exited');
    return JSON.parse(line.value) as T;
  }

  async steps(n: number): Promise<{ ms: number[]; cpuMs: number }> {
    this.child.stdin.write(`${JSON.stringify({ steps: n })}\n`);
    return this.next<{ ms: number[]; cpuMs: number }>();
  }

  close(): void {
    this.child.stdin.end();
  }
}

interface Result {
  name: string;
  batch: number;
  fused: number;
  ours: number;
  torch: number;
  outside: number;
  /** Mean process CPU time per step (all threads; spinning threads count). */
  oursCpu: number;
  torchCpu: number;
  gflop: number;
  compileMs: number;
}

async function benchmark(folder: string): Promise<Result> {
  const experiment = loadTemplate(folder);
  const o = compileOptions(experiment);
  const k = Math.max(1, o.fusedSteps ?? 1);
  const compileStart = performance.now();
  const model = await compileModel(o);
  const compileMs = performance.now() - compileStart;
  const batch = randomBatch(o, [o.batchSize, ...model.outputShape]);
  const batches = Array.from({ length: k }, () => batch);
  const lrs = batches.map(() => o.optimizer.learningRate);

  const torch = new TorchWorker(o);
  const hello = await torch.next<{ torch: string; threads: number }>();

  const ours: number[] = [];
  let oursTotal = 0;
  let oursCpu = 0;
  let oursInRun = 0;
  /** One engine call of k steps; returns ms per step. */
  const call = async (record: boolean) => {
    const runBefore = inRun;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await model.train(batches, lrs);
    const ms = performance.now() - start;
    if (record) {
      const used = process.cpuUsage(cpu);
      oursCpu += (used.user + used.system) / 1000;
      ours.push(ms / k);
      oursTotal += ms;
      oursInRun += inRun - runBefore;
    }
    return ms / k;
  };
  for (let i = 0; i < 3; i++) await call(false); // warm-up (the first fused call opens its session)
  await torch.steps(5);
  const perStepOurs = await call(false);
  const perStepTorch = median((await torch.steps(3)).ms);
  const callsPerRound = Math.max(2, Math.ceil((ROUND_SECONDS * 1000) / (perStepOurs * k)));
  const torchPerRound = Math.max(3, Math.min(200, Math.ceil((ROUND_SECONDS * 1000) / perStepTorch)));

  const theirs: number[] = [];
  let theirCpu = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const engineRound = async () => {
      for (let i = 0; i < callsPerRound; i++) await call(true);
    };
    const torchRound = async () => {
      const { ms, cpuMs } = await torch.steps(torchPerRound);
      theirs.push(...ms);
      theirCpu += cpuMs;
    };
    if (r % 2 === 0) {
      await engineRound();
      await torchRound();
    } else {
      await torchRound();
      await engineRound();
    }
  }
  torch.close();
  await model.dispose();
  process.stdout.write(
    `  ${folder}: ${ours.length * k} engine steps (${callsPerRound} calls × ${k} steps per round), ${theirs.length} PyTorch ${hello.torch} steps (${hello.threads} threads)\n`,
  );
  return {
    name: folder,
    batch: o.batchSize,
    fused: k,
    ours: median(ours),
    torch: median(theirs),
    outside: (oursTotal - oursInRun) / oursTotal,
    oursCpu: oursCpu / (ours.length * k),
    torchCpu: theirCpu / theirs.length,
    gflop: trainingFlops(o.model.layers, o.model.inputShape, o.model.inputKind, o.batchSize) / 1e9,
    compileMs,
  };
}

function table(results: Result[]): string {
  const header = [
    'model',
    'B',
    'K',
    'ours ms/step',
    'torch ms/step',
    'torch/ours',
    'outside run',
    'ours CPU ms',
    'torch CPU ms',
    'GFLOP/step',
    'ours GFLOP/s',
    'torch GFLOP/s',
    'compile ms',
  ];
  const rows = results.map((r) => [
    r.name,
    String(r.batch),
    String(r.fused),
    r.ours.toFixed(2),
    r.torch.toFixed(2),
    `${(r.torch / r.ours).toFixed(2)}×`,
    `${(100 * r.outside).toFixed(1)} %`,
    r.oursCpu.toFixed(1),
    r.torchCpu.toFixed(1),
    r.gflop.toFixed(3),
    (r.gflop / (r.ours / 1000)).toFixed(1),
    (r.gflop / (r.torch / 1000)).toFixed(1),
    r.compileMs.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main() {
  const filter = process.argv[2];
  const folders = MODELS.filter((m) => !filter || m.includes(filter));
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `engine (onnxruntime-node ${ort.env.versions.common}, CPU EP, ${THREADS} intra-op threads) vs PyTorch CPU (${THREADS} threads)`,
  );
  console.log(`load average before: ${load()}; ${ROUNDS} alternating rounds of ~${ROUND_SECONDS} s per side`);
  const results: Result[] = [];
  for (const folder of folders) results.push(await benchmark(folder));
  console.log(table(results));
  console.log(`load average after: ${load()}`);
  console.log(
    'GFLOP: matrix products and convolutions of forward + backward (bench/flops.ts); K: steps fused per call',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
