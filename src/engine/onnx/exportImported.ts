/**
 * The fine-tuned model.onnx of an imported model: the original file with its trained
 * initializers and updated running statistics replaced. The graph keeps everything the
 * exporter wrote (symbolic batch, shape chains, Dropout), so the result runs wherever the
 * original did, for any batch size. It is an inference model: a file exported from PyTorch in
 * training mode has its BatchNormalization nodes switched to the running statistics and its
 * Dropout nodes to identity.
 * Parameters that were Identity copies of a shared initializer get their own initializer
 * (their values differ after training), and tensors stored in external data files are written
 * inline, so the exported file stands alone.
 */
import { onnx } from 'onnx-proto';
import { CLASSES_KEY } from '../runtime/exportDoc';
import { tensorProto } from '../graph/serialize';
import { decodeModel } from './onnxProto';
import type { ImportPlan } from './importPlan';

export function exportImported(
  plan: ImportPlan,
  values: Map<string, Float32Array>,
  classes?: string[],
): Uint8Array {
  const model = decodeModel(plan.model.source);
  const graph = model.graph as onnx.GraphProto;
  const trained = new Map(
    [...plan.parameters, ...plan.buffers].map((p) => [p.onnxName, { p, data: values.get(p.name) ?? p.data }]),
  );
  const copies = new Set(plan.identityCopies.keys());
  graph.node = graph.node.filter(
    (n) => !(n.opType === 'Identity' && copies.has(n.output?.[0] ?? '') && trained.has(n.output?.[0] ?? '')),
  );
  graph.node.forEach((n) => inferenceMode(n, graph));
  graph.initializer = (graph.initializer as onnx.TensorProto[]).map((t) => {
    const update = trained.get(t.name);
    if (update) return onnx.TensorProto.create(tensorProto(t.name, 'float32', update.p.shape, update.data));
    const constant = plan.constants.get(t.name);
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL && constant)
      return onnx.TensorProto.create(tensorProto(t.name, constant.dtype, constant.dims, constant.data));
    return t;
  });
  for (const name of copies) {
    const update = trained.get(name);
    if (update)
      graph.initializer.push(
        onnx.TensorProto.create(tensorProto(name, 'float32', update.p.shape, update.data)),
      );
  }
  // The classes its scores stand for: its own, or those of a new last layer (newHead).
  if (classes) {
    const others = (model.metadataProps ?? []).filter((p) => p.key !== CLASSES_KEY);
    model.metadataProps = [
      ...others,
      onnx.StringStringEntryProto.create({ key: CLASSES_KEY, value: JSON.stringify(classes) }),
    ];
  }
  model.producerName = 'model-lab';
  model.docString = `Fine-tuned by Model Lab from a model made by ${plan.model.producer || 'an unknown producer'}.`;
  return onnx.ModelProto.encode(model).finish();
}

/**
 * A training-mode BatchNormalization (its running-statistics outputs unread) becomes an eval-mode
 * one; a Dropout loses its training_mode input (absent means false). Before opset 14 a
 * BatchNormalization has no training_mode: PyTorch marks a training-mode export by the node's
 * extra outputs (mean, var, saved mean, saved var), and onnxruntime then normalises with the
 * batch's statistics, so those outputs must go for model.onnx to use the running ones.
 */
function inferenceMode(node: onnx.INodeProto, graph: onnx.GraphProto): void {
  const read = (name: string) =>
    graph.node.some((m) => m.input?.includes(name)) || graph.output.some((o) => o.name === name);
  if (node.opType === 'BatchNormalization') {
    const mode = node.attribute?.find((a) => a.name === 'training_mode');
    const training = mode ? Number(mode.i) === 1 : (node.output?.length ?? 1) > 1;
    if (!training || (node.output ?? []).slice(1).some((o) => o && read(o))) return;
    node.attribute = (node.attribute ?? []).filter((a) => a !== mode);
    node.output = node.output!.slice(0, 1);
  }
  if (node.opType === 'Dropout' && (node.input?.length ?? 0) > 2) node.input = node.input!.slice(0, 2);
}
