/**
 * The memory phase of bench/engine-vs-pytorch.ts: the engine alone trains `steps` steps of one
 * model, in a process of its own (templateBench.ts, job phase 'memory') so that its peak RSS is
 * this model's training and nothing of the speed rounds (the matrix-floor sessions, the peer's
 * start-up) is counted. The resident set is read at ten evenly spaced points after a full
 * garbage collection (the process runs with --expose-gc), so a sample is what the process keeps,
 * not garbage V8 has not collected yet; the JS heap and the ArrayBuffers (where onnxruntime's
 * output tensors live) are read with it, to tell a leak in JS from one in onnxruntime's arenas.
 */
import type { Batch, TrainableModel } from '../src/engine';

export interface MemorySample {
  step: number;
  rssMb: number;
  heapMb: number;
  arrayBuffersMb: number;
}

export interface MemoryResult {
  steps: number;
  /** Taken after the warm-up calls (sessions open), before the measured steps. */
  start: MemorySample;
  /** At 10 %, 20 % … 100 % of the steps. */
  samples: MemorySample[];
  /** The process's peak resident set. */
  peakRssMb: number;
}

const MB = 2 ** 20;
const SAMPLES = 10;

const collect: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    throw new Error('the memory phase needs node --expose-gc (templateBench.ts forks it so)');
  });

async function sample(step: number): Promise<MemorySample> {
  // V8 frees ArrayBuffer memory in a sweep that may still run after gc() returns; the second
  // collection, a turn of the event loop later, finishes it, so the sample counts only live buffers.
  collect();
  await new Promise(setImmediate);
  collect();
  const usage = process.memoryUsage();
  return {
    step,
    rssMb: usage.rss / MB,
    heapMb: usage.heapUsed / MB,
    arrayBuffersMb: usage.arrayBuffers / MB,
  };
}

/** Trains `steps` steps (whole calls of `batches.length` steps) and samples memory along the way. */
export async function measureMemory(
  model: TrainableModel,
  batches: Batch[],
  learningRates: number[],
  steps: number,
): Promise<MemoryResult> {
  const k = batches.length;
  for (let i = 0; i < 3; i++) await model.train(batches, learningRates); // opens the sessions
  const start = await sample(0);
  const samples: MemorySample[] = [];
  let done = 0;
  for (let s = 1; s <= SAMPLES; s++) {
    const target = Math.round((steps * s) / SAMPLES);
    for (; done < target; done += k) await model.train(batches, learningRates);
    samples.push(await sample(done));
  }
  return { steps: done, start, samples, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}
