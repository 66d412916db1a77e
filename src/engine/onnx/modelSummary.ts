/**
 * The summary the .onnx model view shows: inputs and outputs with their declared shapes, ops by
 * count (supported or not), initializers with shapes and which of them fine-tuning trains, the
 * parameter totals, the nodes in graph order, and for a model with several inputs or named axes
 * what fine-tuning fills and asks for. Reads and plans only (no onnxruntime), so the
 * extension host computes it as the file opens. The training-memory estimate is the caller's
 * (`estimate`: experiment/modelSummary.ts knows the optimizer's copies and the batch).
 */
import type { TrainingMemory } from '../../contract/modelSummary';
import type { OnnxInitializerInfo, OnnxModelSummary } from '../../contract/onnxModel';
import { defaultImportOptions, importDefaults } from './importInputs';
import { planImport, type ImportPlan } from './importPlan';
import type { OnnxModel } from './onnxFile';
import { opSupport } from './opSupport';

export function summarizeOnnxModel(
  model: OnnxModel,
  estimate?: (plan: ImportPlan) => TrainingMemory,
): OnnxModelSummary {
  let plan: ImportPlan | undefined;
  let importProblem: string | undefined;
  // Fine-tuning asks for the sizes of named axes; what trains does not depend on them.
  const { unsized } = importDefaults(model);
  try {
    // As the compatibility check does: the first input (or the token ids) and output, other inputs filled.
    plan = planImport(
      model,
      defaultImportOptions(model, Object.fromEntries(unsized.map((axis) => [axis, 1]))),
    );
  } catch (error) {
    importProblem = error instanceof Error ? error.message : String(error);
  }
  const trained = new Set(plan?.parameters.map((p) => p.onnxName));
  // PyTorch stores equal initializers once and names the others as Identity copies
  // (importPlan.ts): each is a tensor of the model's state, listed under its own name.
  const tensors = new Map(model.initializers);
  for (const [copy, source] of plan?.identityCopies ?? []) tensors.set(copy, model.initializers.get(source)!);
  const initializers: OnnxInitializerInfo[] = [...tensors].map(([name, t]) => ({
    name,
    dtype: t.dtype,
    dims: [...t.dims],
    size: t.data.length,
    trainable: trained.has(name),
  }));
  const isFloat = (dtype: string) => dtype === 'float32' || dtype === 'float64';
  const sum = (list: OnnxInitializerInfo[]) => list.reduce((n, i) => n + i.size, 0);
  return {
    opset: model.opset,
    producer: model.producer,
    inputs: model.inputs.map(({ name, dtype, dims }) => ({ name, dtype, dims: [...dims] })),
    outputs: model.outputs.map(({ name, dtype, dims }) => ({ name, dtype, dims: [...dims] })),
    ops: opSupport(model),
    initializers,
    parameterCount: sum(initializers.filter((i) => isFloat(i.dtype))),
    trainableCount: sum(initializers.filter((i) => i.trainable)),
    layers: model.nodes.map((node) => ({
      name: node.name,
      opType: node.opType,
      initializers: node.inputs.filter((input) => tensors.has(input)),
    })),
    ...(importProblem === undefined ? {} : { importProblem }),
    ...(plan && unsized.length ? { unsizedAxes: unsized } : {}),
    ...(plan?.filled.length
      ? { filledInputs: Object.fromEntries(plan.filled.map((f) => [f.name, f.value as number])) }
      : {}),
    // The activations grow with the named axes: no estimate until they have sizes.
    ...(plan && estimate && !unsized.length ? { memory: estimate(plan) } : {}),
  };
}
