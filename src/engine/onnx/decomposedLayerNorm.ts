/**
 * PyTorch's exporter writes nn.LayerNorm before opset 17 (which has LayerNormalization) as nine
 * nodes over the last axis:
 *   m = ReduceMean(x); d = x − m; v = ReduceMean(d²); n = d / √(v + ε); y = n·γ + β
 * Each is a full pass over the rows, forward and backward. This finds those chains and puts one
 * LayerNormalization node (axis −1, ε, scale γ, shift β) in their place, named after the chain's
 * last node, so the importer trains them as the opset-17 export would: the engine's LayerNorm with
 * its one gradient rule, and folded into a linear after it (fusedPatterns.ts `normalizedLinear`).
 * It only rewrites the node list Model Lab builds its graphs from: the exported model.onnx is the
 * user's original file (exportImported.ts).
 */
import { constantScalar } from './fold';
import type { OnnxNode, OnnxTensor } from './onnxFile';

/** `nodes` (graph order) with every decomposed layer norm replaced by one LayerNormalization node. */
export function withLayerNormalizations(
  nodes: OnnxNode[],
  constants: Map<string, OnnxTensor>,
  graphOutputs: string[],
  /** The dims of an initializer (parameter or constant); undefined for any other value. */
  initializerDims: (name: string) => number[] | undefined,
): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  const readers = new Map<string, OnnxNode[]>();
  for (const node of nodes) {
    for (const output of node.outputs) producer.set(output, node);
    for (const input of node.inputs) readers.set(input, [...(readers.get(input) ?? []), node]);
  }
  const outputs = new Set(graphOutputs);
  /** The one node reading `name`, if it is `opType` and nothing else (nor the graph output) reads it. */
  const onlyReader = (name: string, opType: string): OnnxNode | undefined => {
    const [node, ...others] = readers.get(name) ?? [];
    return node?.opType === opType && !others.length && !outputs.has(name) ? node : undefined;
  };
  const scalar = (name: string) => constantScalar(name, constants, (n) => producer.get(n));
  /** A ReduceMean over the last axis only, keeping it (axes as an attribute, opsets before 18). */
  const lastAxisMean = (node: OnnxNode | undefined) =>
    node?.opType === 'ReduceMean' &&
    node.inputs.length === 1 &&
    Array.isArray(node.attrs.axes) &&
    node.attrs.axes.length === 1 &&
    node.attrs.axes[0] === -1 &&
    (node.attrs.keepdims ?? 1) === 1;
  /** The other input of a two-input node reading `name`. */
  const other = (node: OnnxNode, name: string) =>
    node.inputs.length === 2 && node.inputs.includes(name) ? node.inputs.find((i) => i !== name) : undefined;
  /** A 1-D initializer of more than one value (a per-feature scale or shift). */
  const perFeature = (name: string | undefined) => {
    const dims = name ? initializerDims(name) : undefined;
    return dims?.length === 1 && dims[0] > 1 ? dims[0] : undefined;
  };

  const replaced = new Map<OnnxNode, OnnxNode | undefined>();
  for (const mean of nodes) {
    if (!lastAxisMean(mean)) continue;
    const x = mean.inputs[0];
    const sub = onlyReader(mean.outputs[0], 'Sub');
    if (!sub || sub.inputs[0] !== x || sub.inputs[1] !== mean.outputs[0]) continue;
    const d = sub.outputs[0];
    const dReaders = readers.get(d) ?? [];
    const pow = dReaders.find((n) => n.opType === 'Pow');
    const div = dReaders.find((n) => n.opType === 'Div');
    if (dReaders.length !== 2 || outputs.has(d) || !pow || !div) continue;
    if (pow.inputs[0] !== d || scalar(pow.inputs[1]) !== 2 || div.inputs[0] !== d) continue;
    const variance = onlyReader(pow.outputs[0], 'ReduceMean');
    if (!lastAxisMean(variance)) continue;
    const add = onlyReader(variance!.outputs[0], 'Add');
    const epsilon = add && scalar(other(add, variance!.outputs[0]) ?? '');
    if (!add || epsilon === undefined || !(epsilon >= 0)) continue;
    const sqrt = onlyReader(add.outputs[0], 'Sqrt');
    if (!sqrt || onlyReader(sqrt.outputs[0], 'Div') !== div || div.inputs[1] !== sqrt.outputs[0]) continue;
    const scale = onlyReader(div.outputs[0], 'Mul');
    const gamma = scale && other(scale, div.outputs[0]);
    const features = perFeature(gamma);
    if (!scale || !gamma || features === undefined) continue;
    const shift = onlyReader(scale.outputs[0], 'Add');
    const beta = shift && other(shift, scale.outputs[0]);
    const shifted = beta !== undefined && perFeature(beta) === features;
    const chain = [mean, sub, pow, variance!, add, sqrt, div, scale, ...(shifted ? [shift!] : [])];
    const last = chain[chain.length - 1];
    for (const node of chain) replaced.set(node, undefined);
    replaced.set(last, {
      ...last,
      opType: 'LayerNormalization',
      inputs: shifted ? [x, gamma, beta] : [x, gamma],
      outputs: [last.outputs[0]],
      attrs: { axis: -1, epsilon },
    });
  }
  if (!replaced.size) return nodes;
  return nodes.flatMap((node) => {
    if (!replaced.has(node)) return [node];
    const norm = replaced.get(node);
    return norm ? [norm] : [];
  });
}
