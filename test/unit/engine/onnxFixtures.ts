/** The PyTorch reference cases of the ONNX importer (made by bench/pytorch/onnx_references.py). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, type Batch } from '../../../src/engine';
import { importedModel, type ImportOptions, type ImportPlan } from '../../../src/engine/onnx';
import type { DeviceName } from '../../../src/contract/devices';
import type { LossName, OptimizerConfig } from '../../../src/contract/experiment';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'onnx');
export const CASES = [
  'cnn',
  // Convolutions that fill whole NCHWc blocks (graph/nchwcConvs.ts on the CPU).
  'blockedconv',
  'batchnorm',
  'convbn',
  'dropout',
  'transformer',
  'transformer-opset14',
  'lstm',
  'bilstm',
  'gru',
  'activations',
  'groupnorm',
  'upsampling',
  'bilinear',
  'pixelops',
  'bert-style',
  'bert-padded',
  'bert-pairs',
  // Older opsets, imported through their opset-13 forms (olderOpsets.ts).
  'transformer-opset11',
  'lstm-opset9',
  'convbn-opset9',
  'upsampling-opset9',
  'dropout-opset11',
];

export interface Reference {
  input: { kind: 'float' | 'tokens'; shape: number[] };
  loss: LossName;
  optimizer: OptimizerConfig;
  batchSize: number;
  batches: { x: number[]; y: number[] }[];
  gradients: { loss: number; byInitializer: Record<string, { dims: number[]; data: number[] }> };
  trajectory: number[];
  /** Models with BatchNorm: running statistics after every step, by ONNX initializer name. */
  runningStats?: Record<string, number[]>[];
  /** Exported with torch.onnx.TrainingMode.TRAINING: onnxruntime runs it with batch statistics and dropout. */
  exportedInTrainingMode?: boolean;
  /** Models with Dropout: Model Lab's dropout key of every step, with which PyTorch drew the same masks. */
  dropoutKeys?: number[];
  /** Models with BatchNorm or Dropout: the eval-mode output on the first batch before the first step and after the last. */
  evalOutputBefore?: number[];
  evalOutput?: number[];
  /** Models with inputs besides the fed one (Hugging Face style): the import's sizes and fill. */
  import?: Pick<ImportOptions, 'sizes' | 'fill'>;
}

export const modelPath = (name: string) => join(FIXTURES, name, 'model.onnx');
export const readReference = (name: string): Reference =>
  JSON.parse(readFileSync(join(FIXTURES, name, 'reference.json'), 'utf8')) as Reference;

export function batchOf(ref: Reference, i: number): Batch {
  const { x, y } = ref.batches[i];
  return {
    x: ref.input.kind === 'tokens' ? BigInt64Array.from(x.map(BigInt)) : Float32Array.from(x),
    y: ref.loss === 'cross-entropy' ? BigInt64Array.from(y.map(BigInt)) : Float32Array.from(y),
  };
}

/** Compiles an imported case with its reference's loss, optimizer and batch size, on the CPU unless told. */
export const compileCase = (plan: ImportPlan, ref: Reference, device: DeviceName = 'cpu') =>
  compileModel({
    model: importedModel(plan),
    loss: ref.loss,
    optimizer: ref.optimizer,
    batchSize: ref.batchSize,
    seed: 1,
    device,
  });
