/**
 * A new last layer for an imported model that was trained on other classes (`"newHead": true`):
 * the linear layer that makes the graph output gets fresh weights sized for the data, as
 * `model.fc = nn.Linear(model.fc.in_features, classes)` does in PyTorch before fine-tuning.
 *
 * The head is the node that makes the output, or the last one before ops that keep its output
 * features apart (Identity, Dropout, Relu, Flatten, Squeeze, global average pooling):
 *  - Gemm with a weight initializer (either layout, transB) and an optional bias;
 *  - MatMul with a weight initializer, with or without a following Add of a bias initializer;
 *    the weight may be read through a Reshape of its initializer (the Model Zoo's MNIST);
 *  - a 1×1 Conv (SqueezeNet's classifier), with an optional bias.
 * Its weights are drawn as PyTorch's nn.Linear and nn.Conv2d draw them, uniform in ±1/√fan_in,
 * from the training seed, so a run and its resume start from the same head.
 *
 * The result is the same model read from new bytes (new initializers, the output's dims
 * updated, stale shape annotations of the changed values dropped): the plan, the training graph
 * and the exported model.onnx all see one consistent file.
 */
import type { onnx } from 'onnx-proto';
import { ONNX_DTYPE } from '../graph/builder';
import { Rng, uniformInit } from '../init';
import { OnnxImportError } from './importError';
import { decodeModel, onnxProto } from './onnxProto';
import { readOnnxModel, type ExternalReader, type OnnxModel, type OnnxNode } from './onnxFile';

export interface NewHead {
  /** Output features of the new layer: the data's classes (or regression targets). */
  outputs: number;
  /** Seed of its initial weights. */
  seed: number;
  /** The graph output the loss reads, when the graph has several. */
  output?: string;
}

/** Ops between the head and the output that treat each output feature on its own. */
const KEEPS_FEATURES_APART = new Set([
  'Identity',
  'Dropout',
  'Relu',
  'Flatten',
  'Squeeze',
  'GlobalAveragePool',
]);

/** The head's parameters: where they are read, their layout and their fan-in. */
interface Head {
  /** The value names the head reads its weight and bias from. */
  weight: string;
  bias?: string;
  /** The new weight's dims for `outputs` features. */
  weightDims: (outputs: number) => number[];
  /** The head's current number of output features. */
  features: number;
  fanIn: number;
  /** Values whose last axis (or channel axis) changes size: the head's output and those after it. */
  changed: string[];
}

export function withNewHead(model: OnnxModel, head: NewHead, readExternal?: ExternalReader): OnnxModel {
  const found = findHead(model, head.output);
  const proto = decodeModel(model.source);
  const graph = proto.graph as onnx.GraphProto;
  const rng = new Rng(head.seed);
  const bound = 1 / Math.sqrt(found.fanIn);
  const fresh = new Map<string, onnx.ITensorProto>();
  // Built here rather than by graph/serialize, which loads onnx-proto when the editor starts.
  const initializer = (name: string, dims: number[]) => {
    const data = uniformInit(
      rng,
      dims.reduce((a, b) => a * b, 1),
      bound,
    );
    fresh.set(name, { name, dataType: ONNX_DTYPE.float32, dims, rawData: new Uint8Array(data.buffer) });
  };
  initializer(found.weight, found.weightDims(head.outputs));
  if (found.bias) initializer(found.bias, [head.outputs]);

  // PyTorch's exporter may read a weight through an Identity of a shared initializer, and
  // converters through a Reshape of one: the head's own initializer replaces that node.
  graph.node = graph.node.filter(
    (n) => !((n.opType === 'Identity' || n.opType === 'Reshape') && fresh.has(n.output?.[0] ?? '')),
  );
  const Tensor = onnxProto().TensorProto;
  graph.initializer = graph.initializer.filter((t) => !fresh.has(t.name ?? ''));
  for (const t of fresh.values()) graph.initializer.push(Tensor.create(t));
  // Older exporters also list initializers as graph inputs, with their old shapes.
  graph.input = graph.input.filter((v) => !fresh.has(v.name ?? ''));

  const changed = new Set(found.changed);
  graph.valueInfo = graph.valueInfo.filter((v) => !changed.has(v.name ?? ''));
  for (const output of graph.output) {
    if (!changed.has(output.name ?? '')) continue;
    const dims = output.type?.tensorType?.shape?.dim ?? [];
    const last = dims.at(-1);
    if (last && Number(last.dimValue) === found.features) last.dimValue = head.outputs;
  }
  return readOnnxModel(onnxProto().ModelProto.encode(proto).finish(), readExternal);
}

/**
 * The value names the last layer reads its weight and bias from (`"freeze": "backbone"` trains
 * only these); an OnnxImportError saying why when there is no such layer.
 */
export function headParameters(model: OnnxModel, outputName?: string): string[] {
  const head = findHead(model, outputName, 'freeze "backbone"');
  return head.bias ? [head.weight, head.bias] : [head.weight];
}

function findHead(model: OnnxModel, outputName?: string, asked = 'newHead'): Head {
  const outputs = model.outputs.map((o) => o.name);
  const output = outputName ?? (outputs.length === 1 ? outputs[0] : undefined);
  if (output === undefined || !outputs.includes(output))
    throw new OnnxImportError(
      'shape',
      `${asked}: the graph has ${outputs.length} outputs (${outputs.join(', ')}); name the one the loss reads with "output"`,
    );
  const dims = model.outputs.find((o) => o.name === output)!.dims;
  if (dims.length !== 2)
    throw new OnnxImportError(
      'shape',
      `${asked}: ${output} is [${dims.join(', ')}]; the last layer must give each example one row of scores ([batch, classes])`,
    );
  const producer = new Map<string, OnnxNode>();
  const readers = new Map<string, OnnxNode[]>();
  for (const node of model.nodes) {
    node.outputs.forEach((name) => producer.set(name, node));
    node.inputs.forEach((name) => readers.set(name, [...(readers.get(name) ?? []), node]));
  }
  /** The dims of a weight read through a Reshape of its initializer to a constant shape (converters' MatMul weights). */
  const reshapedDims = (name: string): number[] | undefined => {
    const reshape = producer.get(name);
    const source = model.initializers.get(reshape?.inputs[0] ?? '');
    const shape = model.initializers.get(reshape?.inputs[1] ?? '');
    if (reshape?.opType !== 'Reshape' || !source || shape?.dtype !== 'int64') return undefined;
    const wanted = Array.from(shape.data as BigInt64Array, Number).map((d, i) =>
      d === 0 ? source.dims[i] : d,
    );
    const count = source.dims.reduce((a, b) => a * b, 1);
    const known = wanted.reduce((a, d) => (d === -1 ? a : a * d), 1);
    return wanted.map((d) => (d === -1 ? count / known : d));
  };
  const isParameter = (name: string | undefined): name is string => {
    if (!name) return false;
    if (model.initializers.has(name)) return true;
    const copy = producer.get(name);
    return (copy?.opType === 'Identity' && model.initializers.has(copy.inputs[0])) || !!reshapedDims(name);
  };
  const dimsOf = (name: string): number[] => {
    const copy = producer.get(name);
    return (
      reshapedDims(name) ??
      (model.initializers.get(name) ?? model.initializers.get(copy?.inputs[0] ?? ''))!.dims
    );
  };
  /** A weight read by the head alone: a tied weight (a language model's embedding) cannot be replaced on its own. */
  const ownWeight = (name: string, node: OnnxNode) => {
    const others = (readers.get(name) ?? []).filter((n) => n !== node);
    if (others.length > 0 || outputs.includes(name))
      throw new OnnxImportError(
        'shape',
        `${asked}: ${node.name} (${node.opType}) makes the output, but its weight ${name} is also read by ${others.map((n) => n.name).join(', ') || 'a graph output'}: tied weights cannot be replaced on their own`,
      );
  };

  const changed = [output];
  let value = output;
  let node = producer.get(value);
  while (node && KEEPS_FEATURES_APART.has(node.opType)) {
    value = node.inputs[0];
    changed.push(value);
    node = producer.get(value);
  }
  const refuse = (why: string): never => {
    throw new OnnxImportError(
      'shape',
      `${asked}: ${why}; Model Lab finds a last Gemm, MatMul (with or without a bias Add) or 1×1 Conv`,
    );
  };
  if (!node) return refuse(`no node makes ${output}`);
  const biasOf = (name: string | undefined, features: number) =>
    isParameter(name) && dimsOf(name).reduce((a, b) => a * b, 1) === features ? name : undefined;

  if (node.opType === 'Add') {
    const product = node.inputs.map((name) => producer.get(name)).find((n) => n?.opType === 'MatMul');
    const bias = node.inputs.find((name) => name !== product?.outputs[0]);
    if (!product || (readers.get(product.outputs[0]) ?? []).length !== 1)
      return refuse(`${output} is made by ${node.name} (Add), not by a linear layer`);
    const head = matMulHead(product);
    if (!head || !biasOf(bias, head.features))
      return refuse(`${output} is made by ${node.name} (Add), not by a linear layer`);
    ownWeight(bias!, node);
    return { ...head, bias, changed: [...changed, product.outputs[0]] };
  }
  if (node.opType === 'MatMul') {
    const head = matMulHead(node);
    if (head) return { ...head, changed };
  }
  if (node.opType === 'Gemm' && isParameter(node.inputs[1]) && dimsOf(node.inputs[1]).length === 2) {
    const weight = node.inputs[1];
    ownWeight(weight, node);
    const transposed = node.attrs.transB === 1;
    const [rows, columns] = dimsOf(weight);
    const features = transposed ? rows : columns;
    const bias = biasOf(node.inputs[2], features);
    if (node.inputs[2] && !bias)
      return refuse(`${node.name} (Gemm) adds ${node.inputs[2]}, which is not a bias of its own`);
    if (bias) ownWeight(bias, node);
    return {
      weight,
      bias,
      weightDims: (n) => (transposed ? [n, columns] : [rows, n]),
      features,
      fanIn: transposed ? columns : rows,
      changed,
    };
  }
  if (node.opType === 'Conv' && isParameter(node.inputs[1])) {
    const weight = node.inputs[1];
    const [features, channels, ...kernel] = dimsOf(weight);
    const group = typeof node.attrs.group === 'number' ? node.attrs.group : 1;
    if (group === 1 && kernel.every((k) => k === 1)) {
      ownWeight(weight, node);
      const bias = biasOf(node.inputs[2], features);
      if (bias) ownWeight(bias, node);
      return {
        weight,
        bias,
        weightDims: (n) => [n, channels, ...kernel],
        features,
        fanIn: channels,
        changed,
      };
    }
  }
  return refuse(`${output} is made by ${node.name} (${node.opType})`);

  function matMulHead(product: OnnxNode): Omit<Head, 'changed'> | undefined {
    const weight = product.inputs[1];
    if (!isParameter(weight) || dimsOf(weight).length !== 2) return undefined;
    ownWeight(weight, product);
    const [rows, features] = dimsOf(weight);
    return { weight, weightDims: (n) => [rows, n], features, fanIn: rows };
  }
}
