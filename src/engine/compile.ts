/**
 * compileModel: model description → ONNX graphs → a TrainableModel on the requested device.
 * Errors in the description (unknown layer, shapes that do not fit) are ModelErrors naming
 * the layer index and type.
 */
import type { CompileModel, CompileOptions } from './api';
import { serializeModel } from './graph/serialize';
import { ModelError } from './layers/context';
import { buildTrainGraph, planModel } from './model/graphs';
import { validateOptimizer } from './model/optimizers';
import { ParamStore } from './model/params';
import { openOnDevice } from './runtime/devices';
import { nchwcBlockSize } from './runtime/nchwcBlock';
import { forProvider } from './runtime/providerGraph';
import { openSession, type ProviderName } from './runtime/session';
import { CompiledModel } from './runtime/trainableModel';

function validate(options: CompileOptions): void {
  const { model, batchSize, fusedSteps } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  if (fusedSteps !== undefined && (!Number.isInteger(fusedSteps) || fusedSteps < 1))
    throw new Error(`fusedSteps must be a positive integer, got ${fusedSteps}`);
  if (!model.inputShape.length || model.inputShape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`input shape [${model.inputShape}] must list positive integers`);
  if (!model.imported && model.layers.length === 0) throw new ModelError('the model has no layers');
  validateOptimizer(options.optimizer);
}

export const compileModel: CompileModel = async (options) => {
  validate(options);
  const plan = planModel(options, new ParamStore(options.seed));
  const last = plan.output;
  if (options.loss === 'cross-entropy' && last.length < 2)
    throw new ModelError('cross-entropy needs class scores on the last axis of the output');
  const block = await nchwcBlockSize();
  const train = (provider: ProviderName) =>
    serializeModel(forProvider(buildTrainGraph(plan, { webgpu: provider === 'webgpu' }), provider, block));
  const open = (model: Uint8Array, providers: ProviderName[]) => openSession(model, providers, options);
  const { session, providers, report } = await openOnDevice(train, options.device, open);
  return new CompiledModel(plan, session, providers, report);
};
