/**
 * GraphBuilder → ONNX ModelProto bytes (IR 8, opset 17) through onnx-proto (protobufjs).
 * Tensor data goes in raw_data (little-endian), which is what onnxruntime reads fastest. Only
 * the nodes the graph's outputs depend on are written (graph/liveNodes.ts).
 */
import { onnx } from 'onnx-proto';
import {
  FLOAT_ATTRS,
  FloatAttr,
  GraphBuilder,
  ONNX_DTYPE,
  type Initializer,
  TensorAttr,
  type AttrValue,
  type Value,
} from './builder';
import type { DType, TensorData } from './dtypes';
import { liveNodes } from './liveNodes';
import { NCHWC_DOMAIN } from './nchwcConvs';

export const IR_VERSION = 8;
export const OPSET = 17;

export interface ModelMeta {
  docString?: string;
  metadata?: Record<string, string>;
  /** Declare the first axis of graph inputs and outputs as the symbolic dimension 'batch'. */
  dynamicBatch?: boolean;
  /**
   * Write the graph's anonymous constants (a scaling's shift, GELU's ½) as Constant nodes rather
   * than initializers. For exported models: a framework that fine-tunes an ONNX file, Model Lab's
   * own import included, trains its float initializers, and these are not weights.
   */
  constantsAsNodes?: boolean;
}

export function serializeModel(graph: GraphBuilder, meta: ModelMeta = {}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'model-lab',
    producerVersion: '0.1.0',
    docString: meta.docString ?? '',
    opsetImport: [
      { domain: '', version: OPSET },
      { domain: 'com.microsoft', version: 1 },
      ...(usesDomain(graph, NCHWC_DOMAIN) ? [{ domain: NCHWC_DOMAIN, version: 1 }] : []),
    ],
    graph: graphProto(graph, meta.dynamicBatch ? { dimParam: 'batch' } : undefined, meta.constantsAsNodes),
    metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Whether a node of `g` or of its subgraphs is in `domain` (CPU training graphs' blocked convolutions). */
function usesDomain(g: GraphBuilder, domain: string): boolean {
  return g.nodes.some(
    (n) =>
      n.domain === domain ||
      Object.values(n.attrs).some((a) => a instanceof GraphBuilder && usesDomain(a, domain)),
  );
}

type Dim = onnx.TensorShapeProto.IDimension;

/**
 * `batchDim` replaces the first axis of the graph's inputs and outputs (static when absent).
 * Subgraphs (Scan bodies) then leave their first axis unknown: their state and slices carry
 * the batch too, and a declared traced size would make onnxruntime reject any other batch.
 */
function graphProto(g: GraphBuilder, batchDim?: Dim, constantsAsNodes = false): onnx.IGraphProto {
  const subgraphBatch = batchDim && {};
  const asNode = (i: Initializer) => constantsAsNodes && i.anonymous === true;
  const T = onnx.AttributeProto.AttributeType;
  return {
    name: g.name,
    node: [
      ...g.initializers.filter(asNode).map((i) => ({
        name: i.value.name,
        opType: 'Constant',
        output: [i.value.name],
        attribute: [
          { name: 'value', type: T.TENSOR, t: tensorProto('', i.value.dtype, i.value.shape, i.data) },
        ],
      })),
      ...liveNodes(g).map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: n.domain,
        input: trimTrailing(n.inputs.map((v) => v?.name ?? '')),
        output: trimTrailing(n.outputs.map((v) => v?.name ?? '')),
        attribute: Object.entries(n.attrs).map(([name, value]) => attribute(name, value, subgraphBatch)),
      })),
    ],
    initializer: g.initializers
      .filter((i) => !asNode(i))
      .map((i) => tensorProto(i.value.name, i.value.dtype, i.value.shape, i.data)),
    input: g.inputs.map((v) => valueInfo(v, batchDim)),
    output: g.outputs.map((v) => valueInfo(v, batchDim)),
  };
}

function trimTrailing(names: string[]): string[] {
  let end = names.length;
  while (end > 0 && names[end - 1] === '') end--;
  return names.slice(0, end);
}

function valueInfo(v: Value, batchDim?: Dim): onnx.IValueInfoProto {
  const dim = v.shape.map((d, i) => (batchDim && i === 0 ? batchDim : { dimValue: d }));
  return { name: v.name, type: { tensorType: { elemType: ONNX_DTYPE[v.dtype], shape: { dim } } } };
}

export function tensorProto(name: string, dtype: DType, dims: number[], data: TensorData): onnx.ITensorProto {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dataType: ONNX_DTYPE[dtype], dims, rawData: bytes.slice() };
}

function attribute(name: string, value: AttrValue, batchDim?: Dim): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (value instanceof GraphBuilder) return { name, type: T.GRAPH, g: graphProto(value, batchDim) };
  if (value instanceof TensorAttr)
    return { name, type: T.TENSOR, t: tensorProto('', value.dtype, value.dims, value.data) };
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  const isFloat = value instanceof FloatAttr || FLOAT_ATTRS.has(name);
  const raw = value instanceof FloatAttr ? value.value : value;
  if (Array.isArray(raw))
    return isFloat ? { name, type: T.FLOATS, floats: raw } : { name, type: T.INTS, ints: raw };
  return isFloat ? { name, type: T.FLOAT, f: raw } : { name, type: T.INT, i: raw };
}
