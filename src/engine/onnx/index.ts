/**
 * Importing ONNX models for training: read the file (onnxFile.ts), plan what trains
 * (importPlan.ts), then compile with `model.imported` set (api.ts ModelDescription).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModelDescription } from '../api';
import { readOnnxModel, type OnnxModel } from './onnxFile';
import { planImport, type ImportOptions, type ImportPlan } from './importPlan';
import { withNewHead, type NewHead } from './newHead';

export { OnnxImportError, type ImportErrorKind, type UnsupportedNode } from './importError';
export { readOnnxModel, type OnnxModel } from './onnxFile';
export { planImport, tokenIdRange, type ImportOptions, type ImportPlan } from './importPlan';
export { defaultImportOptions, importDefaults } from './importInputs';
export { SUPPORTED_OPS, FOLDED_OPS } from './importOps';
export { importedNodes, type ImportedNode } from './importedNodes';
export type { NewHead } from './newHead';
export { importedProducts, nodeMacs, type ImportedProduct } from './nodeProducts';
export { summarizeOnnxModel } from './modelSummary';
// checkCompatibility (./compatibility) is imported from its own file: it runs onnxruntime, and the editor
// reads ONNX files through this index (../onnxImporter.ts), which must not load onnxruntime.

/** Reads a .onnx file; external data files are looked up next to it. */
export function readOnnxFile(path: string): OnnxModel {
  return readOnnxModel(readFileSync(path), externalReader(path));
}

const externalReader = (path: string) => (location: string) => readFileSync(join(dirname(path), location));

/** The model description of an imported model, for compileModel. */
export function importedModel(plan: ImportPlan): ModelDescription {
  return { inputShape: plan.inputShape, inputKind: plan.inputKind, layers: [], imported: plan };
}

/** Reads and plans in one go, with a new last layer when `head` is given (newHead.ts). */
export function importOnnxFile(
  path: string,
  options: ImportOptions = {},
  head?: Omit<NewHead, 'output'>,
): ImportPlan {
  const model = readOnnxFile(path);
  return planImport(
    head ? withNewHead(model, { ...head, output: options.output }, externalReader(path)) : model,
    options,
  );
}
