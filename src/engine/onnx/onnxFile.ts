/**
 * Reads an ONNX ModelProto (as exported by PyTorch and other frameworks) into plain data the
 * importer works on: nodes in graph order with decoded attributes, initializers as typed
 * arrays (raw, typed fields or external data files), and the graph's inputs and outputs with
 * their declared shapes (a symbolic dimension is its name, e.g. 'batch'). Calls of the model's
 * local functions are read as the functions' bodies (localFunctions.ts).
 *
 * Nothing here knows about training; unsupported element types and unreadable files are
 * OnnxImportErrors that say what is wrong with which tensor.
 */
import type { onnx } from 'onnx-proto';
import { toTyped } from '../graph/builder';
import type { DType, TensorData } from '../graph/dtypes';
import { OnnxImportError } from './importError';
import { inlineFunctions } from './localFunctions';
import { decodeModel, onnxProto } from './onnxProto';

export interface OnnxTensor {
  dtype: DType;
  dims: number[];
  data: TensorData;
}

/** Attribute values after decoding; subgraphs are refused (no imported op needs one). */
export type OnnxAttr = number | number[] | string | string[] | OnnxTensor;

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  /** '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, OnnxAttr>;
  /** Position in graph order, for messages ("node 12 of 40"). */
  index: number;
}

/** A declared dimension: a number, or the name of a symbolic one ('batch'), or '?' when unnamed. */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  dtype: DType | string;
  dims: OnnxDim[];
}

export interface OnnxModel {
  /** The file's bytes: the fine-tuned export is this model with new initializer values. */
  source: Uint8Array;
  /** Version of the default ('' / ai.onnx) opset. */
  opset: number;
  producer: string;
  /** The model's metadata_props (Model Lab's model.onnx keeps its scalings and classes there). */
  metadata: Record<string, string>;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  /** Graph inputs that are not initializers (what a caller feeds). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export const ELEMENT_TYPES: Record<number, DType> = {
  1: 'float32',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  11: 'float64',
};

const TYPE_NAMES: Record<number, string> = {
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  8: 'string',
  10: 'float16',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

/** Where tensors stored outside the model (external data) are read from. */
export type ExternalReader = (location: string) => Uint8Array;

export function readOnnxModel(bytes: Uint8Array, readExternal?: ExternalReader): OnnxModel {
  let model: onnx.ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new OnnxImportError(
      'corrupt',
      `the file is not a valid ONNX model (${(error as Error).message}); export it again, e.g. with torch.onnx.export`,
    );
  }
  const graph = model.graph;
  if (!graph || !graph.node?.length)
    throw new OnnxImportError('corrupt', 'the file holds no ONNX graph (no nodes); export it again');
  const opsetEntry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? Number(opsetEntry.version) : 0;
  const initializers = new Map<string, OnnxTensor>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? '', readTensor(t, readExternal));
  const valueInfo = (v: onnx.IValueInfoProto): OnnxValueInfo => {
    const tensorType = v.type?.tensorType;
    const elem = tensorType?.elemType ?? 0;
    return {
      name: v.name ?? '',
      dtype: ELEMENT_TYPES[elem] ?? TYPE_NAMES[elem] ?? `element type ${elem}`,
      dims: (tensorType?.shape?.dim ?? []).map((d) =>
        d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0
          ? Number(d.dimValue)
          : d.dimParam || '?',
      ),
    };
  };
  return {
    source: bytes,
    opset,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    metadata: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
    nodes: inlineFunctions(graph.node, model.functions ?? []).map((n, index) => ({
      name: n.name || `${n.opType}_${index}`,
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      inputs: (n.input ?? []).slice(),
      outputs: (n.output ?? []).slice(),
      attrs: Object.fromEntries(
        (n.attribute ?? []).map((a) => [a.name ?? '', readAttribute(a, readExternal)]),
      ),
      index,
    })),
    initializers,
    // Older exporters also list initializers as graph inputs (keep_initializers_as_inputs).
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueInfo),
    outputs: (graph.output ?? []).map(valueInfo),
  };
}

function readAttribute(a: onnx.IAttributeProto, ext?: ExternalReader): OnnxAttr {
  const T = onnxProto().AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f ?? 0;
    case T.INT:
      return Number(a.i ?? 0);
    case T.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.FLOATS:
      return (a.floats ?? []).slice();
    case T.INTS:
      return (a.ints ?? []).map(Number);
    case T.STRINGS:
      return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    case T.TENSOR:
      return readTensor(a.t!, ext);
    default:
      // Subgraphs (If, Loop, Scan) and sparse tensors: kept as a marker; the ops that carry
      // them are refused by the importer's op table, with the node named.
      return `(${a.name}: not read)`;
  }
}

export function readTensor(t: onnx.ITensorProto, readExternal?: ExternalReader): OnnxTensor {
  const name = t.name || '(unnamed)';
  const elem = t.dataType ?? 0;
  const dtype = ELEMENT_TYPES[elem];
  if (!dtype)
    throw new OnnxImportError(
      'unsupported',
      `tensor ${name} holds ${TYPE_NAMES[elem] ?? `element type ${elem}`} values; Model Lab reads float32, float64, int64, int32 and bool tensors`,
    );
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  let bytes: Uint8Array | undefined = t.rawData && t.rawData.length ? t.rawData : undefined;
  if (t.dataLocation === onnxProto().TensorProto.DataLocation.EXTERNAL)
    bytes = external(t, name, readExternal);
  const data = bytes ? fromBytes(dtype, bytes, count, name) : fromFields(dtype, t, count, name);
  return { dtype, dims, data };
}

function external(t: onnx.ITensorProto, name: string, readExternal?: ExternalReader): Uint8Array {
  const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location) throw new OnnxImportError('corrupt', `tensor ${name} is external but names no data file`);
  if (!readExternal)
    throw new OnnxImportError(
      'external-data',
      `tensor ${name} is stored in ${location}, which cannot be read here`,
    );
  let file: Uint8Array;
  try {
    file = readExternal(location);
  } catch (error) {
    throw new OnnxImportError(
      'external-data',
      `tensor ${name} is stored in the external data file ${location}, which cannot be read (${(error as Error).message}); keep that file next to the model`,
    );
  }
  const offset = Number(entries.get('offset') ?? 0);
  const length = entries.has('length') ? Number(entries.get('length')) : file.length - offset;
  if (offset + length > file.length)
    throw new OnnxImportError(
      'external-data',
      `tensor ${name} needs bytes ${offset}–${offset + length} of ${location}, which has ${file.length}`,
    );
  return file.subarray(offset, offset + length);
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1 };

function fromBytes(dtype: DType, bytes: Uint8Array, count: number, name: string): TensorData {
  if (bytes.length !== count * BYTES[dtype])
    throw new OnnxImportError(
      'corrupt',
      `tensor ${name} has ${bytes.length} bytes of data; its shape needs ${count * BYTES[dtype]}`,
    );
  // Copy into a buffer of its own: raw_data may sit at any offset of the file, and a Node
  // Buffer's slice() shares the whole pool.
  const buffer = new Uint8Array(bytes).buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'bool':
      return new Uint8Array(buffer);
  }
}

function fromFields(dtype: DType, t: onnx.ITensorProto, count: number, name: string): TensorData {
  const values: ArrayLike<unknown> =
    dtype === 'float32'
      ? (t.floatData ?? [])
      : dtype === 'float64'
        ? (t.doubleData ?? [])
        : dtype === 'int64'
          ? (t.int64Data ?? [])
          : (t.int32Data ?? []);
  if (values.length !== count)
    throw new OnnxImportError(
      'corrupt',
      `tensor ${name} has ${values.length} values; its shape needs ${count}`,
    );
  // Long values beyond 2^53 do not occur in shapes and indices.
  return toTyped(
    Array.from(values, (v) => Number(v)),
    dtype,
  );
}
