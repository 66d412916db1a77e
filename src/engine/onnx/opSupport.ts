/**
 * Every op of an ONNX graph, supported or not, with the names of its nodes: what the model view
 * lists and the compatibility check answers. Loads no runtime, so the extension host may use it.
 */
import type { OnnxOpSupport } from '../../contract/onnxModel';
import { whyRefused } from './importOps';
import type { OnnxModel } from './onnxFile';

export function opSupport(model: OnnxModel): OnnxOpSupport[] {
  const byOp = new Map<string, OnnxOpSupport>();
  for (const node of model.nodes) {
    const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
    const reason = whyRefused(node, model.opset);
    const entry = byOp.get(key) ?? { opType: key, supported: true, nodes: [] };
    entry.nodes.push(node.name);
    if (reason && entry.supported) Object.assign(entry, { supported: false, reason });
    byOp.set(key, entry);
  }
  return [...byOp.values()];
}
