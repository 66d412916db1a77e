/**
 * The model summary: per layer its output shape, parameters and forward FLOPs per example, the
 * totals and the estimated memory of a training step. Built-in models read the layer catalog
 * (shapes.ts, each kind's `products`) and memoryEstimate.ts, the same estimate validation
 * refuses too-large models with; imported ONNX models read the importer's plan and the shapes
 * the engine gives each node. FLOPs count matrix products and convolutions only (elementwise
 * work is a few per cent), a multiply-add as 2.
 */
import * as l10n from '@vscode/l10n';
import { isOnnxModel, type Experiment, type Layer, type OptimizerConfig } from '../contract/experiment';
import type { InputKind } from '../contract/inputKind';
import type { LayerSummary, ModelSummary } from '../contract/modelSummary';
import type { Dataset } from '../data/api';
import { headFor, importPlanFor } from '../data/importedModel';
import { loadDataset } from '../data/loadDataset';
import { kindOf } from '../engine/layers';
import type { ImportPlan } from '../engine/onnx';
import { onnxImporter } from '../engine/onnxImporter';
import { estimateMemory, layerCost, parameterCopies } from './memoryEstimate';
import { FINE_TUNE_TRAINING } from './onnxExperiment';
import { inferShapes, layersInputKind } from './shapes';

export interface SummaryTraining {
  batchSize: number;
  optimizer: OptimizerConfig;
}

const FLOAT_BYTES = 4;
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function totals(inputShape: number[], layers: LayerSummary[], memory: ModelSummary['memory']): ModelSummary {
  return {
    inputShape,
    layers,
    totalParams: sum(layers.map((l) => l.params)),
    totalFlops: sum(layers.map((l) => l.flops)),
    memory,
  };
}

/** A built-in model; throws when a layer does not fit its input (validation reports that first). */
export function summarizeLayers(
  inputShape: number[],
  inputKind: InputKind,
  layers: Layer[],
  training: SummaryTraining,
): ModelSummary {
  const { shapes, problem } = inferShapes(inputShape, inputKind, layers);
  if (problem) throw new Error(l10n.t('layer {0}: {1}', problem.layer + 1, problem.message));
  const summaries = layers.map((layer, i): LayerSummary => {
    const input = i === 0 ? inputShape : shapes[i - 1];
    const macs = sum((kindOf(layer).products?.(layer, input, shapes[i]) ?? []).map((p) => p.macs));
    return {
      type: layer.type,
      outputShape: shapes[i],
      params: layerCost(layer, input, shapes[i]).parameters,
      flops: 2 * macs,
    };
  });
  const estimate = estimateMemory(layers, inputShape, shapes, training.batchSize, training.optimizer);
  return totals(inputShape, summaries, {
    batchSize: training.batchSize,
    parameterBytes: estimate.parameterBytes,
    activationBytes: estimate.activationBytes,
    totalBytes: estimate.totalBytes,
    activationsPerExample: estimate.activationsPerExample,
  });
}

/** `one` (built at batch 1) without the axis that is 2 in `two` (built at batch 2). */
function perExample(one: number[] | undefined, two: number[] | undefined): number[] {
  if (!one) return [];
  const batchAxis = two?.findIndex((d, i) => d !== one[i]) ?? -1;
  return batchAxis < 0 ? one : one.filter((_, i) => i !== batchAxis);
}

/** An imported model: one row per node that holds parameters or does matrix products. */
export function summarizeImported(
  plan: ImportPlan,
  onnxFile: string,
  training: SummaryTraining,
): ModelSummary {
  const parameterSize = new Map(plan.parameters.map((p) => [p.onnxName, size(p.shape)]));
  const counted = new Set<string>();
  const rows: LayerSummary[] = [];
  let activations = size(plan.inputShape);
  // Built twice: the axis that grows with the batch is the one to drop (ONNX LSTM outputs put
  // the steps first; a sliced position table has no batch axis at all).
  const { importedNodes, nodeMacs } = onnxImporter();
  const doubled = importedNodes(plan, 2);
  for (const [i, imported] of importedNodes(plan, 1).entries()) {
    const { node, outputShapes } = imported;
    const outputShape = perExample(outputShapes[0], doubled[i]?.outputShapes[0]);
    activations += sum(outputShapes.map((s) => (s ? size(s) : 0)));
    let params = 0;
    for (const input of node.inputs) {
      const n = parameterSize.get(input);
      if (n === undefined || counted.has(input)) continue;
      counted.add(input);
      params += n;
    }
    // Built at batch 1: one example's multiply-adds.
    const flops = 2 * nodeMacs(imported);
    if (params === 0 && flops === 0) continue;
    rows.push({
      type: node.opType,
      name: node.name,
      outputShape,
      params,
      flops,
    });
  }
  const parameters = sum([...parameterSize.values()]);
  const parameterBytes = parameters * FLOAT_BYTES * parameterCopies(training.optimizer);
  // As memoryEstimate.ts: forward values kept for the backward pass, and their gradients.
  const activationBytes = activations * training.batchSize * FLOAT_BYTES * 2;
  return {
    ...totals(plan.inputShape, rows, {
      batchSize: training.batchSize,
      parameterBytes,
      activationBytes,
      totalBytes: parameterBytes + activationBytes,
      activationsPerExample: activations,
    }),
    // Parameters no listed node reads directly (none in practice) still count.
    totalParams: parameters,
    onnx: onnxFile,
  };
}

/** An ONNX file's summary as a fine-tuning experiment scaffolded for it would train it (batch size overridable). */
export function summarizeOnnxFile(plan: ImportPlan, onnxFile: string, batchSize?: number): ModelSummary {
  return summarizeImported(plan, onnxFile, {
    ...FINE_TUNE_TRAINING,
    batchSize: batchSize ?? FINE_TUNE_TRAINING.batchSize,
  });
}

/**
 * The summary of a validated experiment (paths relative to `experimentDir`). An imported model
 * with `"newHead": true` ends in the new last layer sized for `outputShape` (one example's target,
 * as the data gives it) when that is known, else in the file's own (summaryReadsData).
 */
export function summarizeExperiment(
  experiment: Experiment,
  experimentDir: string,
  outputShape?: number[],
): ModelSummary {
  const { model, training } = experiment;
  if (isOnnxModel(model)) {
    const head = outputShape && summaryReadsData(experiment) ? headFor(experiment, outputShape) : undefined;
    return summarizeImported(importPlanFor(model, experimentDir, head), model.onnx, training);
  }
  return summarizeLayers(model.input.shape, layersInputKind(model.layers), model.layers, training);
}

/** Whether the summary depends on the data: an imported model's new last layer takes the data's size. */
export const summaryReadsData = (experiment: Experiment): boolean =>
  isOnnxModel(experiment.model) && experiment.model.newHead === true && experiment.task !== 'language-model';

/** summarizeExperiment, the data read first (by `load`) when the summary depends on it. */
export async function summarizeWithData(
  experiment: Experiment,
  experimentDir: string,
  load: (experiment: Experiment, dir: string) => Promise<Pick<Dataset, 'outputShape'>> = loadDataset,
): Promise<ModelSummary> {
  const outputShape = summaryReadsData(experiment)
    ? (await load(experiment, experimentDir)).outputShape
    : undefined;
  return summarizeExperiment(experiment, experimentDir, outputShape);
}
