/**
 * The seeded initial parameters `compileModel` starts from, computed without a session
 * (pure JavaScript, no onnxruntime): the PyTorch export ships them, so an exported run
 * starts from exactly the weights a Model Lab run of the same experiment starts from.
 */
import type { CompileOptions } from './api';
import { planModel } from './model/graphs';
import { ParamStore, type ParamSpec } from './model/params';

export function initialParameters(options: CompileOptions): ParamSpec[] {
  return planModel(options, new ParamStore(options.seed)).store.specs;
}
