/**
 * Benchmark (not a test): trains every template's model, and the imported PyTorch models of
 * bench/importedCases.ts (exported to ONNX by the peer, imported by the engine), with Model Lab's
 * engine (compileModel → train) and with a fairly configured PyTorch on the CPU (Debian's torch
 * at /usr/bin/python3, bench/pytorch/train_worker.py) in one run, with the same shapes, batch,
 * optimizer, clipping, loss and thread count, and prints in one go:
 *   - the peer's set-up: OpenBLAS kernel (unpinned when its products check out, bench/fairPeer.ts),
 *     allocator (it keeps freed memory, as the engine's arena does), oneDNN ISA, ATen kernels,
 *     thread settings;
 *   - the measured matmul peak: the same GEMM through onnxruntime and through torch, at the start
 *     and again in every round of every model (the machine's speed drifts during a run);
 *   - per model: ms/step of each (ours as `model-lab train` runs, and as the editor trains), the
 *     ratio with its spread over rounds (bench/templateBench.ts,
 *     repeated until within ±10 % or said not to be), GFLOP/s as a share of the peak timed in the
 *     same rounds, the step's
 *     matrix products timed alone (bench/matrixFloor.ts): the best ratio the matrix kernels allow;
 *   - per model, after all speed rounds, in a fresh process each (bench/memoryBench.ts): the
 *     engine's peak RSS over BENCH_MEMORY_STEPS steps (10 000 by default), its growth and its
 *     trend (a least-squares slope), from RSS sampled at every tenth of them after a garbage
 *     collection.
 *
 *   npm run bench:engine                        # all models (the full run: ~35 min on 2 cores)
 *   npm run bench:engine -- lstm                # templates whose folder name contains 'lstm'
 *   npm run bench:engine -- imported            # the imported PyTorch models only
 *   BENCH_ROUNDS=5 BENCH_MAX_ROUNDS=15 BENCH_ROUND_SECONDS=1.5 BENCH_TURNS=6 BENCH_MEMORY_STEPS=10000 npm run bench:engine
 *   BENCH_MEMORY_STEPS=0 npm run bench:engine   # speed only
 *   BENCH_ONLY=memory npm run bench:engine      # memory only (no peer: ~15 min, mostly the Transformer)
 *   BENCH_FUSED=1 npm run bench:engine          # override the templates' fusedSteps
 */
import { fork } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { chooseFairPeer, describePeer } from './fairPeer';
import { IMPORTED_CASES } from './importedCases';
import { onnxruntimeGemmGflops } from './matmulPeak';
import type { MemoryResult } from './memoryBench';
import type { TemplateJob, TemplateResult } from './templateBench';
import { slope } from './stats';

const THREADS = availableParallelism();
const MODELS = [
  'cnn-digits',
  'lstm-names',
  'transformer-shakespeare',
  'mlp-wine',
  ...IMPORTED_CASES.map((c) => c.name),
];
const GEMM = [2048, 512, 512];
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SETTINGS = {
  minRounds: setting('BENCH_ROUNDS', 5),
  maxRounds: setting('BENCH_MAX_ROUNDS', 15),
  roundSeconds: setting('BENCH_ROUND_SECONDS', 1.5),
  turns: setting('BENCH_TURNS', 6),
  memorySteps: setting('BENCH_MEMORY_STEPS', 10_000),
  fused: process.env.BENCH_FUSED ? Number(process.env.BENCH_FUSED) : undefined,
};
const SPEED = process.env.BENCH_ONLY !== 'memory';

/** One phase of one model in a fresh process (templateBench.ts); the memory phase collects garbage. */
function runPhase<T extends TemplateResult | MemoryResult>(job: TemplateJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'templateBench.ts'), {
      stdio: 'inherit',
      execArgv: job.phase === 'memory' ? [...process.execArgv, '--expose-gc'] : process.execArgv,
    });
    child.once('message', (result) => resolve(result as T));
    child.once('exit', (code) =>
      reject(new Error(`the ${job.folder} ${job.phase} bench exited with ${code}`)),
    );
    child.send(job);
  });
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const percent = (x: number) => `${(100 * x).toFixed(0)} %`;

function speedTable(results: TemplateResult[]): string {
  return table(
    [
      'model',
      'B',
      'K',
      'ours ms/step',
      'torch ms/step',
      'torch/ours',
      'spread',
      'editor ms/step',
      'torch/editor',
      'rounds',
      'products alone ms',
      'best torch/ours',
      'ours GFLOP/s',
      'of peak',
      'torch GFLOP/s',
      'of peak',
      'peak GFLOP/s',
      'outside run',
      'ours CPU ms',
      'torch CPU ms',
      'compile ms',
    ],
    results.map((r) => {
      const gflops = (ms: number) => (r.gflop / (ms / 1000)).toFixed(1);
      return [
        r.name,
        String(r.batch),
        String(r.fused),
        r.oursMs.toFixed(2),
        r.torchMs.toFixed(2),
        `${r.ratio.toFixed(2)}×`,
        `±${(100 * r.ratioSpread).toFixed(0)} %${r.stable ? '' : ' (!)'}`,
        r.editorMs.toFixed(2),
        `${r.editorRatio.toFixed(2)}×`,
        r.stable ? `${r.rounds}` : `${r.rounds} (max)`,
        r.floor ? r.floor.ms.toFixed(2) : 'in a Scan',
        r.floor ? `${r.floor.ratio.toFixed(2)}×` : '–',
        gflops(r.oursMs),
        percent(r.share),
        gflops(r.torchMs),
        percent(r.torchShare),
        r.peakGflops.toFixed(0),
        percent(r.outside),
        r.oursCpuMs.toFixed(1),
        r.torchCpuMs.toFixed(1),
        r.compileMs.toFixed(0),
      ];
    }),
  );
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

/**
 * Memory per model: peak, RSS at the start, a tenth, half and all of the steps, and its growth after
 * the first tenth and over the second half (a leak keeps climbing there; an arena that fills levels off),
 * and the trend over every sample from the first tenth on: the growth to one last sample swings with
 * the allocator's churn (±15 MB seen on the Transformer), a least-squares slope much less.
 */
function memoryTable(memory: Map<string, MemoryResult>, speed: TemplateResult[]): string {
  const steps = [...memory.values()][0]?.steps ?? SETTINGS.memorySteps;
  return table(
    [
      'model',
      'ours peak RSS MB',
      `RSS MB at 0 / 10 / 50 / 100 % of ${steps} steps`,
      'growth 10 → 100 % MB',
      '50 → 100 % MB',
      'trend MB per 1000 steps',
      'JS heap MB 10 → 100 %',
      'ArrayBuffers MB 10 → 100 %',
      'torch peak RSS MB',
    ],
    [...memory].map(([name, m]) => {
      const [tenth, half, last] = [m.samples[0], m.samples[4], m.samples[m.samples.length - 1]];
      const torch = speed.find((r) => r.name === name);
      return [
        name,
        m.peakRssMb.toFixed(0),
        [m.start, tenth, half, last].map((x) => x.rssMb.toFixed(1)).join(' / '),
        signed(last.rssMb - tenth.rssMb),
        signed(last.rssMb - half.rssMb),
        signed(
          1000 *
            slope(
              m.samples.map((x) => x.step),
              m.samples.map((x) => x.rssMb),
            ),
        ),
        `${tenth.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)}`,
        `${tenth.arrayBuffersMb.toFixed(1)} → ${last.arrayBuffersMb.toFixed(1)}`,
        torch ? torch.torchRssPeakMb.toFixed(0) : '–',
      ];
    }),
  );
}

/** Every sample, for the shape of the curve (levels off, or keeps climbing). */
function memoryCurves(memory: Map<string, MemoryResult>): string[] {
  return [...memory].map(
    ([name, m]) =>
      `  ${name}: RSS MB at steps ${m.samples[0].step}…${m.steps}: ` +
      m.samples.map((x) => x.rssMb.toFixed(1)).join(' / '),
  );
}

async function main() {
  const filter = process.argv[2];
  const folders = MODELS.filter((m) => !filter || m.includes(filter));
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`${cpus()[0]?.model ?? 'CPU'}, ${THREADS} cores; load average before: ${load()}`);
  const speed = SPEED ? await speedRounds(folders) : [];
  const memory = new Map<string, MemoryResult>();
  if (SETTINGS.memorySteps > 0) {
    console.log(
      `memory: the engine alone trains ${SETTINGS.memorySteps} steps of each model in a fresh process; ` +
        'RSS after a garbage collection at every tenth',
    );
    for (const folder of folders) {
      const job: TemplateJob = {
        phase: 'memory',
        folder,
        threads: THREADS,
        peerEnv: process.env,
        gemm: GEMM,
        ...SETTINGS,
      };
      memory.set(folder, await runPhase<MemoryResult>(job));
    }
  }
  if (speed.length) console.log(speedTable(speed));
  if (memory.size) {
    console.log(memoryTable(memory, speed));
    for (const line of memoryCurves(memory)) console.log(line);
  }
  console.log(`load average after: ${load()}`);
  if (speed.length) console.log(LEGEND);
}

/** The peer's set-up, the matmul peak and every model's speed rounds. */
async function speedRounds(folders: string[]): Promise<TemplateResult[]> {
  const peer = chooseFairPeer({ threads: THREADS, gemm: GEMM, seconds: 2 });
  for (const line of describePeer(peer)) console.log(line);
  const ortGemm = await onnxruntimeGemmGflops(GEMM, 2);
  const peak = Math.max(ortGemm, peer.probe.gemmGflops);
  console.log(
    `matmul peak at the start (float32 ${GEMM.join('×')} GEMM, median, ${THREADS} threads; timed again in every round): onnxruntime ${ortGemm.toFixed(1)} GFLOP/s, ` +
      `torch ${peer.probe.gemmGflops.toFixed(1)} GFLOP/s; peak = ${peak.toFixed(1)}`,
  );
  console.log(
    `engine: onnxruntime-node ${ort.env.versions.common}, CPU EP, ${THREADS} intra-op threads spin-waiting (as model-lab train); PyTorch ${THREADS} threads; ` +
      `rounds of ~${SETTINGS.roundSeconds} s per side, in ${SETTINGS.turns} interleaved turns, until the last ${SETTINGS.minRounds} ratios are within ±10 % (at most ${SETTINGS.maxRounds})`,
  );
  const results: TemplateResult[] = [];
  for (const folder of folders) {
    const job: TemplateJob = {
      phase: 'speed',
      folder,
      threads: THREADS,
      peerEnv: peer.env,
      gemm: GEMM,
      ...SETTINGS,
    };
    const r = await runPhase<TemplateResult>(job);
    console.log(
      `  ${folder}: ${r.engineSteps} engine steps, ${r.torchSteps} PyTorch ${r.torchVersion} steps in ${r.rounds} rounds` +
        (r.stable
          ? ''
          : `; the ratio did NOT settle within ±10 % (last ${r.reportedRounds} rounds: ±${(100 * r.ratioSpread).toFixed(0)} %)`),
    );
    results.push(r);
  }
  return results;
}

const LEGEND =
  'ours: the engine as `model-lab train` runs it (every core, idle threads spin-wait); ' +
  'torch/ours: median over the last rounds of (torch median step / ours) (> 1: we are faster); spread: largest distance of ' +
  'one of those rounds from it; editor: the engine as a run trained from the editor (modelLab.threads "auto", ' +
  'threads sleep between ops so the editor gets the cores at once), a third side in the same rounds; GFLOP: matrix products and convolutions of forward + backward (bench/flops.ts), ' +
  "as a share of the matmul peak timed in the same rounds (peak GFLOP/s: each round's faster of onnxruntime's and torch's median " +
  `on the ${GEMM.join('×')} GEMM, median over the rounds; of peak: the median of the rounds' shares); ` +
  "K: steps fused per engine call; products alone: the step's own matrix products " +
  '(Gemm, MatMul, FusedMatMul, Conv, ConvTranspose) timed alone through onnxruntime in each round (bench/matrixFloor.ts), ' +
  'and best torch/ours: the ratio if everything else in our step took no time; ' +
  "RSS: resident set of each side's process";

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
