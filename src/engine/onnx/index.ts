/**
 * Importing ONNX models for training: read the file (onnxFile.ts), plan what trains
 * (importPlan.ts), then compile with `model.imported` set (api.ts ModelDescription).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModelDescription } from '../api';
import { readOnnxModel, type OnnxModel } from './onnxFile';
import { planImport, type ImportOptions, type ImportPlan } from './importPlan';

export { OnnxImportError, type ImportErrorKind, type UnsupportedNode } from './importError';
export { readOnnxModel, type OnnxModel } from './onnxFile';
export { planImport, tokenIdRange, type ImportOptions, type ImportPlan } from './importPlan';
export { defaultImportOptions, importDefaults } from './importInputs';
export { SUPPORTED_OPS, FOLDED_OPS } from './importOps';
export { importedNodes, type ImportedNode } from './importedNodes';
export { importedProducts, nodeMacs, type ImportedProduct } from './nodeProducts';
// checkCompatibility (./compatibility) is imported from its own file: it runs onnxruntime, and the editor
// reads ONNX files through this index at activation, which must not load onnxruntime.

/** Reads a .onnx file; external data files are looked up next to it. */
export function readOnnxFile(path: string): OnnxModel {
  return readOnnxModel(readFileSync(path), (location) => readFileSync(join(dirname(path), location)));
}

/** The model description of an imported model, for compileModel. */
export function importedModel(plan: ImportPlan): ModelDescription {
  return { inputShape: plan.inputShape, inputKind: plan.inputKind, layers: [], imported: plan };
}

/** Reads and plans in one go. */
export function importOnnxFile(path: string, options: ImportOptions = {}): ImportPlan {
  return planImport(readOnnxFile(path), options);
}
