/**
 * onnxruntime-node sessions tuned for training on the CPU: full graph optimization and one
 * intra-op thread per core (measured fastest here) unless the caller gives fewer, as training in the
 * editor does to leave a core to VS Code (contract/threads.ts). Other providers come from devices.ts.
 *
 * Idle intra-op threads sleep between ops unless the caller says the run has its cores to itself
 * (`Threading.spinWait`: the CLI's `train`). Spinning saves each op the wake-up of a sleeping
 * thread, which a step of a few hundred ops pays a few hundred times; but when the cores are shared
 * (the editor, sweep trials side by side, other programs) spinning threads burn the time slices the
 * others need. Measured with the template models of bench/engine-vs-pytorch.ts, ms per step
 * (CNN / LSTM / Transformer), 2 threads on 2 cores, two runs of each:
 *   quiet machine:               spinning 2.0 / 3.5–3.7 / 29.8–30.5,  sleeping 2.0–2.4 / 4.7–6.3 / 32.2–32.7;
 *   beside two busy processes:   spinning 4.0–4.3 / 9.8–11.0 / 81–87, sleeping 2.5 / 5.9–9.7 / 60–61.
 *
 * onnxruntime's SkipLayerNormFusion is off: it merges a residual Add into the LayerNormalization
 * after it, and its CPU kernel took 1.18 ms per step on the imported GPT's [32, 64, 128] rows
 * where the Add and LayerNormalization it replaces take 0.17 and 0.2 ms (bench:profile).
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ChosenDevice } from '../../contract/devices';
import type { DType, TensorData } from '../graph/dtypes';

export type Session = ort.InferenceSession;
export type Tensor = ort.Tensor;
/** onnxruntime's execution providers Model Lab uses carry the device names a run can end up on. */
export type ProviderName = ChosenDevice;

// Failed device probes (no CUDA libraries, no WebGPU adapter) are reported through the thrown
// error and the DeviceReport; onnxruntime's own log would repeat them on stderr as errors.
ort.env.logLevel = 'fatal';

/** How a session's intra-op threads work (a model's CompileOptions carry it for all its sessions). */
export interface Threading {
  /** Intra-op threads; one per core when absent. */
  threads?: number;
  /**
   * Idle threads spin-wait for the next op instead of sleeping: only for a run that has its cores
   * to itself (the CLI's `train`); a faster step on a quiet machine, a much slower one on a shared one.
   */
  spinWait?: boolean;
}

export async function openSession(
  model: Uint8Array,
  providers: ProviderName[] = ['cpu'],
  { threads = availableParallelism(), spinWait = false }: Threading = {},
): Promise<Session> {
  return ort.InferenceSession.create(model, {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    logSeverityLevel: 3,
    extra: {
      session: { intra_op: { allow_spinning: spinWait ? '1' : '0' } },
      optimization: { disable_specified_optimizers: 'SkipLayerNormFusion' },
    },
  });
}

const ORT_TYPE: Record<DType, ort.Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  bool: 'bool',
};

export function tensor(dtype: DType, data: TensorData, dims: readonly number[]): Tensor {
  return new ort.Tensor(ORT_TYPE[dtype], data, dims);
}
