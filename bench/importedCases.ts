/**
 * Imported PyTorch models in the engine bench: a PyTorch module from bench/pytorch/onnx_references.py
 * (the importer's parity cases) at a training size, exported to ONNX by the PyTorch peer when it
 * starts (as a user exports one: symbolic batch, constant folding), imported from that file by the
 * engine (engine/onnx), and trained by both with the same batch, loss and optimizer: PyTorch trains
 * the module itself, the engine the graph of its export.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, CompileOptions } from '../src/engine';
import { importedModel, importOnnxFile } from '../src/engine/onnx';
import { Rng } from '../src/engine/init';
import type { OptimizerConfig } from '../src/contract/experiment';

export interface ImportedCase {
  /** The bench's name for it. */
  name: string;
  /** The nn.Module class in onnx_references.py and its constructor arguments. */
  module: string;
  args: number[];
  opset: number;
  /** Token ids [length] below `vocab`. */
  input: { length: number; vocab: number };
  batchSize: number;
  fusedSteps: number;
  optimizer: OptimizerConfig;
  clipNorm?: number;
}

export const IMPORTED_CASES: ImportedCase[] = [
  {
    // onnx_references.py's TinyGpt at the Shakespeare template's size: 65 characters, width 128,
    // 4 heads, context 64 (one block, feed-forward 256).
    name: 'imported-gpt',
    module: 'TinyGpt',
    args: [65, 128, 4, 64],
    opset: 17,
    input: { length: 64, vocab: 65 },
    batchSize: 32,
    fusedSteps: 10,
    optimizer: { type: 'adamw', learningRate: 0.002, weightDecay: 0.01 },
    clipNorm: 1,
  },
];

/** Where the PyTorch peer writes the case's model.onnx. */
export const exportPath = (c: ImportedCase) =>
  join(mkdtempSync(join(tmpdir(), 'model-lab-bench-')), `${c.name}.onnx`);

/** What the engine compiles for the case once the peer has exported it. */
export function importedCompileOptions(
  c: ImportedCase,
  path: string,
  fusedSteps = c.fusedSteps,
): CompileOptions {
  return {
    model: importedModel(importOnnxFile(path)),
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
export function importedTorchConfig(c: ImportedCase, path: string, threads: number): object {
  return {
    pytorch: { module: c.module, args: c.args, opset: c.opset, vocab: c.input.vocab, export: path },
    inputShape: [c.input.length],
    inputKind: 'tokens',
    batchSize: c.batchSize,
    optimizer: c.optimizer,
    clipNorm: c.clipNorm,
    loss: 'cross-entropy',
    threads,
  };
}

/** Random token ids and next-token targets of the model's output classes. */
export function importedBatch(c: ImportedCase, outputShape: number[]): Batch {
  const rng = new Rng(3);
  const tokens = (count: number, below: number) =>
    BigInt64Array.from({ length: count }, () => BigInt(Math.floor(rng.uniform() * below)));
  const classes = outputShape[outputShape.length - 1];
  return {
    x: tokens(c.batchSize * c.input.length, c.input.vocab),
    y: tokens(
      outputShape.slice(0, -1).reduce((a, b) => a * b, c.batchSize),
      classes,
    ),
  };
}
