/**
 * Imported PyTorch models in the engine bench: a PyTorch module from bench/pytorch/onnx_references.py
 * (the importer's parity cases) or from the ONNX zoo's export.py (tutorial-style models) at a
 * training size, exported to ONNX by the PyTorch peer when it starts (as a user exports one:
 * symbolic batch; constant folding, or training mode where BatchNorm must stay), imported from that file by the
 * engine (engine/onnx), and trained by both with the same batch, loss and optimizer: PyTorch trains
 * the module itself, the engine the graph of its export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, CompileOptions } from '../src/engine';
import { importedModel, importOnnxFile, type ImportPlan } from '../src/engine/onnx';
import { Rng } from '../src/engine/init';
import type { OptimizerConfig } from '../src/contract/experiment';
import { TorchWorker } from './torchWorker';

export interface ImportedCase {
  /** The bench's name for it. */
  name: string;
  /** The nn.Module class in onnx_references.py (in test/fixtures/onnx-zoo/export.py if `zoo`) and its constructor arguments. */
  module: string;
  zoo?: boolean;
  args: number[];
  opset: number;
  /** Exported in training mode (BatchNorm kept as a node, as for fine-tuning). */
  training?: boolean;
  /** Token ids [length] below `vocab`, or float features of `shape`. */
  input: { kind: 'tokens'; length: number; vocab: number } | { kind: 'float'; shape: number[] };
  batchSize: number;
  fusedSteps: number;
  optimizer: OptimizerConfig;
  clipNorm?: number;
}

/**
 * A convolutional model of the ONNX zoo (test/fixtures/onnx-zoo/export.py) on CIFAR-sized 3×32×32
 * images, 10 classes, exported for fine-tuning (BatchNorm kept as a node).
 */
function cifarZooCase(name: string, module: string, args: number[]): ImportedCase {
  return {
    name,
    module,
    zoo: true,
    args: [10, ...args],
    opset: 17,
    training: true,
    input: { kind: 'float', shape: [3, 32, 32] },
    batchSize: 32,
    fusedSteps: 10,
    optimizer: { type: 'adam', learningRate: 0.002 },
  };
}

export const IMPORTED_CASES: ImportedCase[] = [
  {
    // onnx_references.py's TinyGpt at the Shakespeare template's size: 65 characters, width 128,
    // 4 heads, context 64 (one block, feed-forward 256).
    name: 'imported-gpt',
    module: 'TinyGpt',
    args: [65, 128, 4, 64],
    opset: 17,
    input: { kind: 'tokens', length: 64, vocab: 65 },
    batchSize: 32,
    fusedSteps: 10,
    optimizer: { type: 'adamw', learningRate: 0.002, weightDecay: 0.01 },
    clipNorm: 1,
  },
  // SmallResNet (a stem and two basic blocks of `width` and 2·`width` channels, BatchNorm after
  // every convolution) at 8 and 16 channels; then at a CIFAR ResNet's width, 32 and 64, where
  // onnxruntime's blocked-layout convolutions (engine/graph/nchwcConvs.ts) take over.
  cifarZooCase('imported-resnet', 'SmallResNet', [8]),
  cifarZooCase('imported-resnet-wide', 'SmallResNet', [32]),
  // DepthwiseSeparable, MobileNet's block: a stride-2 stem, a depthwise 3×3 (groups = channels)
  // and a pointwise 1×1, BatchNorm after each.
  cifarZooCase('imported-mobilenet', 'DepthwiseSeparable', []),
];

/**
 * The PyTorch peer for the case, once it has exported its module (before its ready line), and the
 * engine's import of that file (the file itself is removed).
 */
export async function importedByPeer(
  c: ImportedCase,
  threads: number,
  env: NodeJS.ProcessEnv,
): Promise<{ plan: ImportPlan; torch: TorchWorker }> {
  const folder = mkdtempSync(join(tmpdir(), 'model-lab-bench-'));
  const path = join(folder, `${c.name}.onnx`);
  const torch = new TorchWorker(importedTorchConfig(c, path, threads), env);
  try {
    await torch.ready();
    return { plan: importOnnxFile(path), torch };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** What the engine compiles for the case once the peer has exported it (`plan`: the import of that file). */
export function importedCompileOptions(
  c: ImportedCase,
  plan: ImportPlan,
  fusedSteps = c.fusedSteps,
): CompileOptions {
  return {
    model: importedModel(plan),
    loss: 'cross-entropy',
    optimizer: c.optimizer,
    clipNorm: c.clipNorm,
    batchSize: c.batchSize,
    fusedSteps,
    seed: 1,
    device: 'cpu',
  };
}

/** The PyTorch worker's configuration (bench/pytorch/train_worker.py) for the case. */
function importedTorchConfig(c: ImportedCase, path: string, threads: number): object {
  return {
    pytorch: {
      module: c.module,
      zoo: c.zoo ?? false,
      args: c.args,
      opset: c.opset,
      training: c.training ?? false,
      ...(c.input.kind === 'tokens' && { vocab: c.input.vocab }),
      export: path,
    },
    inputShape: c.input.kind === 'tokens' ? [c.input.length] : c.input.shape,
    inputKind: c.input.kind,
    batchSize: c.batchSize,
    optimizer: c.optimizer,
    clipNorm: c.clipNorm,
    loss: 'cross-entropy',
    threads,
  };
}

/** Random inputs (token ids, or normal features) and targets among the model's output classes (per position for a sequence output). */
export function importedBatch(c: ImportedCase, outputShape: number[]): Batch {
  const rng = new Rng(3);
  const tokens = (count: number, below: number) =>
    BigInt64Array.from({ length: count }, () => BigInt(Math.floor(rng.uniform() * below)));
  const classes = outputShape[outputShape.length - 1];
  const x =
    c.input.kind === 'tokens'
      ? tokens(c.batchSize * c.input.length, c.input.vocab)
      : Float32Array.from({ length: c.batchSize * c.input.shape.reduce((a, b) => a * b, 1) }, () =>
          rng.normal(),
        );
  return {
    x,
    y: tokens(
      outputShape.slice(0, -1).reduce((a, b) => a * b, c.batchSize),
      classes,
    ),
  };
}
