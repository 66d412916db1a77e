/**
 * One template of bench/engine-vs-pytorch.ts, in a process of its own (forked by it) so that
 * peak RSS is this template's alone. It gets a `TemplateJob` message and answers with a
 * `TemplateResult` (phase 'speed') or a `MemoryResult` (phase 'memory', in a second process).
 *
 * Speed: each round interleaves the engine (as `model-lab train` runs it, and as the editor trains:
 * two compiled models) and the PyTorch peer in `turns` short turns, so that a
 * change of load on a shared machine (or of clock speed) hits every side within the round instead
 * of the one whose turn it was; each round gives a ratio (peer's median step / ours). A round
 * lasts about `roundSeconds` per side, however short a step: a model of sub-millisecond steps
 * otherwise got too few of them for a stable median. Rounds go on until the
 * last `minRounds` ratios lie within ±10 % of their median, or `maxRounds` have run; the ratio and
 * ms/step reported are over those last rounds, with their spread.
 * Memory (bench/memoryBench.ts): the engine alone trains `memorySteps` steps, sampling RSS.
 */
import * as ort from 'onnxruntime-node';
import { DEFAULT_THREADS_SETTING, threadsFor } from '../src/contract/threads';
import { compileModel, type Batch, type CompileOptions } from '../src/engine';
import { importedTrainingFlops, trainingFlops } from './flops';
import { importedBatch, importedByPeer, importedCompileOptions, IMPORTED_CASES } from './importedCases';
import { gemmGflops, openOnnxruntimeGemm } from './matmulPeak';
import { openMatrixFloor } from './matrixFloor';
import { measureMemory, type MemoryResult } from './memoryBench';
import { median, spread } from './stats';
import { loadTemplate, randomBatch, templateCompileOptions } from './templateOptions';
import { TorchWorker } from './torchWorker';

export interface TemplateJob {
  /** Speed rounds against the peer, or the engine's memory over `memorySteps` steps. */
  phase: 'speed' | 'memory';
  /** A template's folder, or the name of one of IMPORTED_CASES. */
  folder: string;
  threads: number;
  /** The PyTorch peer's environment (bench/fairPeer.ts). */
  peerEnv: NodeJS.ProcessEnv;
  minRounds: number;
  maxRounds: number;
  roundSeconds: number;
  /** Turns each side takes within one round. */
  turns: number;
  memorySteps: number;
  /** Steps fused per engine call; the template's own when absent. */
  fused?: number;
  /** [M, K, N] of the GEMM whose speed is the matmul peak, timed again in every round. */
  gemm: number[];
}

export interface TemplateResult {
  name: string;
  batch: number;
  fused: number;
  /** ms per step as `model-lab train` runs (threads spin-wait). */
  oursMs: number;
  /** ms per step as the editor trains (modelLab.threads "auto", threads sleeping between ops), a turn of its own in each round. */
  editorMs: number;
  torchMs: number;
  /** Median over the reported rounds of (peer's median step / ours). */
  ratio: number;
  /** The same for the editor's engine. */
  editorRatio: number;
  /**
   * The step's matrix products alone (bench/matrixFloor.ts): their median ms, and the median over
   * the reported rounds of (peer's median step / their median): the best ratio the engine's
   * kernels allow. Absent for models with products inside a Scan.
   */
  floor?: { ms: number; ratio: number };
  /** Largest distance of a reported round's ratio from `ratio`, relative. */
  ratioSpread: number;
  rounds: number;
  reportedRounds: number;
  stable: boolean;
  /** Share of our step time spent outside session.run (JS-side feeds and state handling). */
  outside: number;
  oursCpuMs: number;
  torchCpuMs: number;
  /** Matrix products and convolutions of one step (bench/flops.ts). */
  gflop: number;
  /**
   * The matmul peak in this model's own rounds: each round times the bench GEMM through onnxruntime
   * and through torch and keeps the faster median; the median of the reported rounds.
   */
  peakGflops: number;
  /** Median over the reported rounds of (our GFLOP/s in the round / the round's peak). */
  share: number;
  /** The same for the peer. */
  torchShare: number;
  compileMs: number;
  engineSteps: number;
  torchSteps: number;
  torchVersion: string;
  torchRssPeakMb: number;
}

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

/** Products of the bench GEMM per side in each round's peak (~0.1 s at 2 cores). */
const PEAK_RUNS = 15;

interface Prepared {
  o: CompileOptions;
  torch: TorchWorker;
  batchFor: (outputShape: number[]) => Batch;
  gflop: number;
}

/** A template: compile options from its experiment. */
function templateModel(job: TemplateJob): Omit<Prepared, 'torch'> {
  const experiment = loadTemplate(job.folder);
  const o = templateCompileOptions(experiment, job.fused ?? experiment.training.fusedSteps);
  return {
    o,
    batchFor: (outputShape) => randomBatch(o, [o.batchSize, ...outputShape]),
    gflop: trainingFlops(o.model.layers, o.model.inputShape, o.model.inputKind, o.batchSize) / 1e9,
  };
}

/** A template against the peer, which builds the same layers. */
function prepareTemplate(job: TemplateJob): Prepared {
  const prepared = templateModel(job);
  const { o } = prepared;
  return { ...prepared, torch: new TorchWorker({ ...o.model, ...o, threads: job.threads }, job.peerEnv) };
}

/** An imported case: the peer exports its module first (before its ready line), the engine imports that file. */
async function prepareImported(job: TemplateJob): Promise<Prepared> {
  const c = IMPORTED_CASES.find((i) => i.name === job.folder)!;
  const { plan, torch } = await importedByPeer(c, job.threads, job.peerEnv);
  const o = importedCompileOptions(c, plan, job.fused);
  return {
    o,
    torch,
    batchFor: (outputShape) => importedBatch(c, outputShape),
    gflop: importedTrainingFlops(plan, o.batchSize) / 1e9,
  };
}

const isImported = (job: TemplateJob) => IMPORTED_CASES.some((c) => c.name === job.folder);

/** An imported case whose peer is done once it has exported the model. */
async function exportedByPeer(job: TemplateJob): Promise<Prepared> {
  const prepared = await prepareImported(job);
  prepared.torch.close();
  return prepared;
}

/** The memory phase: the engine alone (an imported model's peer only exports it first). */
async function memory(job: TemplateJob): Promise<MemoryResult> {
  const { o, batchFor } = isImported(job) ? await exportedByPeer(job) : templateModel(job);
  const model = await compileModel(o);
  const batch = batchFor(model.outputShape);
  const batches = Array.from({ length: Math.max(1, o.fusedSteps ?? 1) }, () => batch);
  const result = await measureMemory(
    model,
    batches,
    batches.map(() => o.optimizer.learningRate),
    job.memorySteps,
  );
  await model.dispose();
  return result;
}

async function benchmark(job: TemplateJob): Promise<TemplateResult> {
  const prepared = isImported(job) ? await prepareImported(job) : prepareTemplate(job);
  const { torch, batchFor, gflop } = prepared;
  // The engine as `model-lab train` runs it: a run with the cores to itself, its threads spin-wait.
  const o = { ...prepared.o, spinWait: true };
  const k = Math.max(1, o.fusedSteps ?? 1);
  const compileStart = performance.now();
  const model = await compileModel(o);
  const compileMs = performance.now() - compileStart;
  // The engine as the editor trains it: modelLab.threads "auto", threads sleeping between ops.
  const editor = await compileModel({
    ...prepared.o,
    threads: threadsFor(DEFAULT_THREADS_SETTING, job.threads),
  });
  const batch = batchFor(model.outputShape);
  const batches = Array.from({ length: k }, () => batch);
  const lrs = batches.map(() => o.optimizer.learningRate);

  const floor = await openMatrixFloor(o);
  const peakGemm = await openOnnxruntimeGemm(job.gemm);
  const hello = await torch.ready();

  /** One engine call of k steps, with its wall, CPU and session.run time. */
  const call = async (trained = model) => {
    const runBefore = inRun;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await trained.train(batches, lrs);
    const used = process.cpuUsage(cpu);
    return {
      ms: performance.now() - start,
      cpuMs: (used.user + used.system) / 1000,
      runMs: inRun - runBefore,
    };
  };
  // Warm-up (the first fused call opens its session).
  for (let i = 0; i < 3; i++) {
    await call();
    await call(editor);
  }
  await torch.steps(5);
  const perCallOurs = (await call()).ms;
  const perStepTorch = median((await torch.steps(3)).ms);
  const callsPerTurn = Math.max(1, Math.ceil((job.roundSeconds * 1000) / perCallOurs / job.turns));
  const torchPerTurn = Math.max(2, Math.ceil((job.roundSeconds * 1000) / perStepTorch / job.turns));

  interface Round {
    ours: number[];
    editor: number[];
    theirs: number[];
    oursMs: number;
    oursCpuMs: number;
    oursRunMs: number;
    theirCpuMs: number;
    ratio: number;
    editorRatio: number;
    floor: number[];
    /** The faster side's GFLOP/s on the bench GEMM, timed after the round's turns. */
    peak: number;
  }
  const rounds: Round[] = [];
  let torchRssPeakMb = 0;
  const stable = () => rounds.length >= job.minRounds && spread(window().map((r) => r.ratio)) <= 0.1;
  const window = () => rounds.slice(-job.minRounds);
  while (rounds.length < job.maxRounds && !stable()) {
    const round: Round = {
      ours: [],
      editor: [],
      theirs: [],
      oursMs: 0,
      oursCpuMs: 0,
      oursRunMs: 0,
      theirCpuMs: 0,
      ratio: 0,
      editorRatio: 0,
      floor: [],
      peak: 0,
    };
    const engineTurn = async () => {
      for (let i = 0; i < callsPerTurn; i++) {
        const c = await call();
        round.ours.push(c.ms / k);
        round.oursMs += c.ms;
        round.oursCpuMs += c.cpuMs;
        round.oursRunMs += c.runMs;
      }
    };
    const editorTurn = async () => {
      for (let i = 0; i < callsPerTurn; i++) round.editor.push((await call(editor)).ms / k);
    };
    const torchTurn = async () => {
      const steps = await torch.steps(torchPerTurn);
      round.theirs.push(...steps.ms);
      round.theirCpuMs += steps.cpuMs;
      torchRssPeakMb = steps.maxRssMb;
    };
    // Who goes first alternates, so neither side always follows the other's turn.
    for (let turn = 0; turn < job.turns; turn++) {
      if ((rounds.length + turn) % 2 === 0) {
        await engineTurn();
        await editorTurn();
        await torchTurn();
      } else {
        await torchTurn();
        await editorTurn();
        await engineTurn();
      }
    }
    // A third as many passes over the products as the round's engine steps.
    round.floor = (await floor?.time(Math.max(3, Math.ceil((callsPerTurn * job.turns) / 3) * k))) ?? [];
    // The peak again, in the same round: the machine's speed drifts over a bench run (measured here
    // from 356 down to 135 GFLOP/s on one VM within minutes), and a share against a peak timed
    // minutes before says more about that drift than about the model.
    const peakOf = (times: number[]) => gemmGflops(job.gemm, median(times));
    round.peak = Math.max(
      peakOf(await peakGemm.time(PEAK_RUNS)),
      peakOf(await torch.gemm(job.gemm, PEAK_RUNS)),
    );
    round.ratio = median(round.theirs) / median(round.ours);
    round.editorRatio = median(round.theirs) / median(round.editor);
    rounds.push(round);
  }
  torch.close();
  await floor?.release();
  await peakGemm.release();

  const reported = window();
  const ours = reported.flatMap((r) => r.ours);
  const theirs = reported.flatMap((r) => r.theirs);
  const sum = (f: (r: Round) => number) => reported.reduce((a, r) => a + f(r), 0);
  const shareOf = (steps: (r: Round) => number[]) =>
    median(reported.map((r) => gflop / (median(steps(r)) / 1000) / r.peak));

  await model.dispose();
  await editor.dispose();
  return {
    name: job.folder,
    batch: o.batchSize,
    fused: k,
    oursMs: median(ours),
    editorMs: median(reported.flatMap((r) => r.editor)),
    torchMs: median(theirs),
    ratio: median(reported.map((r) => r.ratio)),
    editorRatio: median(reported.map((r) => r.editorRatio)),
    ratioSpread: spread(reported.map((r) => r.ratio)),
    ...(floor && {
      floor: {
        ms: median(reported.flatMap((r) => r.floor)),
        ratio: median(reported.map((r) => median(r.theirs) / median(r.floor))),
      },
    }),
    rounds: rounds.length,
    reportedRounds: reported.length,
    stable: stable(),
    outside: 1 - sum((r) => r.oursRunMs) / sum((r) => r.oursMs),
    oursCpuMs: sum((r) => r.oursCpuMs) / (ours.length * k),
    torchCpuMs: sum((r) => r.theirCpuMs) / theirs.length,
    gflop,
    peakGflops: median(reported.map((r) => r.peak)),
    share: shareOf((r) => r.ours),
    torchShare: shareOf((r) => r.theirs),
    compileMs,
    engineSteps: rounds.reduce((a, r) => a + r.ours.length, 0) * k,
    torchSteps: rounds.reduce((a, r) => a + r.theirs.length, 0),
    torchVersion: hello.torch,
    torchRssPeakMb,
  };
}

process.once('message', (job: TemplateJob) => {
  (job.phase === 'memory' ? memory(job) : benchmark(job)).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
