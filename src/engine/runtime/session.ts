/**
 * onnxruntime-node sessions tuned for training on the CPU: full graph optimization and one
 * intra-op thread per core (measured fastest here) unless the caller gives fewer, as training in the
 * editor does to leave a core to VS Code (contract/threads.ts). Other providers come from devices.ts.
 *
 * Intra-op threads do not spin while waiting for work: training shares the cores with the
 * editor and everything else, and spinning threads then burn their time slices. Measured on
 * this busy 2-core machine (bench/engine-vs-pytorch.ts, template models, same run):
 * spinning 2.4 / 16.4 / 331 ms per step (CNN / LSTM / Transformer), 2× the CPU time;
 * not spinning 2.7 / 5.1 / 92 ms.
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

export async function openSession(
  model: Uint8Array,
  providers: ProviderName[] = ['cpu'],
  threads: number = availableParallelism(),
): Promise<Session> {
  return ort.InferenceSession.create(model, {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    logSeverityLevel: 3,
    extra: {
      session: { intra_op: { allow_spinning: '0' } },
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
