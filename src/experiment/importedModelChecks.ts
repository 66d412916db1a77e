/**
 * Checks of an experiment whose model is imported from an ONNX file (`"model": { "onnx": … }`):
 * the file exists and Model Lab can train it (every op supported, something to train, one
 * input and output or the named ones), the task fits its output, and once the data is
 * loaded, the data's examples fit its input and targets its output. Problems land on the
 * model field they concern, with the importer's own explanation.
 */
import { existsSync } from 'node:fs';
import type { JSONPath } from 'jsonc-parser';
import type { Experiment, OnnxModelSection } from '../contract/experiment';
import type { Dataset } from '../data/api';
import { importPlanFor } from '../data/importedModel';
import { resolveSource } from '../data/resolveSource';
import { OnnxImportError, type ImportPlan } from '../engine/onnx';
import type { Severity } from './problems';

export interface ProblemSink {
  add(path: JSONPath, message: string, severity?: Severity): void;
}

type DatasetFacts = Pick<Dataset, 'inputKind' | 'inputShape' | 'outputShape' | 'source'>;

const show = (shape: (number | string)[]): string => `[${shape.join(', ')}]`;
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Reads and plans the model; reports why it cannot and returns undefined then. */
function planOrReport(model: OnnxModelSection, experimentDir: string, report: ProblemSink) {
  const path = resolveSource(model.onnx, experimentDir);
  if (!existsSync(path)) {
    report.add(
      ['model', 'onnx'],
      `the model file "${model.onnx}" does not exist (paths are relative to this experiment file)`,
    );
    return undefined;
  }
  try {
    return importPlanFor(model, experimentDir);
  } catch (error) {
    if (!(error instanceof OnnxImportError)) throw error;
    const field = /no output named/.test(error.message)
      ? 'output'
      : /no input named/.test(error.message)
        ? 'input'
        : 'onnx';
    report.add(['model', field], `${model.onnx}: ${error.message}`);
    return undefined;
  }
}

/** The output's declared dims after the batch, when all are numbers. */
function outputDims(plan: ImportPlan): number[] | undefined {
  const dims = plan.output.dims.slice(1);
  return dims.every((d) => typeof d === 'number') ? (dims as number[]) : undefined;
}

export function checkImportedModel(
  experiment: Experiment,
  model: OnnxModelSection,
  experimentDir: string,
  report: ProblemSink,
): void {
  const extra = model as { layers?: unknown; input?: unknown };
  if (extra.layers !== undefined)
    report.add(['model', 'layers'], 'an imported model takes its layers from its ONNX file: remove "layers"');
  if (extra.input !== undefined && typeof extra.input !== 'string')
    report.add(
      ['model', 'input'],
      'for an imported model, "input" names a graph input; the shape of an example comes from the ONNX file',
    );
  if (experiment.probe)
    report.add(['probe'], 'attention probes are not recorded for imported models', 'warning');
  const plan = planOrReport(model, experimentDir, report);
  if (!plan) return;
  const output = outputDims(plan);
  if (output && experiment.task === 'classification' && output.length !== 1)
    report.add(
      ['model', 'onnx'],
      `a classifier must output one score per class, but ${plan.output.name} is ${show(plan.output.dims)}`,
    );
}

export function checkImportedAgainstDataset(
  experiment: Experiment,
  model: OnnxModelSection,
  experimentDir: string,
  dataset: DatasetFacts,
  report: ProblemSink,
): void {
  const plan = planOrReport(model, experimentDir, report);
  if (!plan) return;
  const at: JSONPath = ['model', model.input ? 'input' : 'onnx'];
  if (plan.inputKind !== dataset.inputKind) {
    report.add(
      at,
      `${plan.input.name} takes ${plan.inputKind === 'tokens' ? 'int64 token ids' : 'float32 features'}, but ${dataset.source} gives ${dataset.inputKind === 'tokens' ? 'token ids' : 'numbers'}`,
    );
    return;
  }
  if (size(plan.inputShape) !== size(dataset.inputShape)) {
    report.add(
      at,
      `the data gives examples of shape ${show(dataset.inputShape)} (${size(dataset.inputShape)} values), but input ${plan.input.name} of ${model.onnx} takes ${show(plan.inputShape)} (${size(plan.inputShape)} values) per example`,
    );
    return;
  }
  const output = outputDims(plan);
  if (output && size(output) !== size(dataset.outputShape) && experiment.task !== 'language-model')
    report.add(
      ['model', model.output ? 'output' : 'onnx'],
      `${plan.output.name} of ${model.onnx} gives ${show(output)} per example, but the data needs ${show(dataset.outputShape)}`,
    );
}
