/**
 * Scalars of TensorBoard event files (`events.out.tfevents.*`), as Model Lab metric records.
 *
 * A file is a sequence of TFRecords: uint64 length, masked CRC-32C of the length, the
 * payload, masked CRC-32C of the payload (little-endian). Each payload is a TensorFlow
 * `Event` protobuf, decoded with protobufjs from the subset of TensorFlow's event.proto,
 * summary.proto and tensor.proto declared below. Scalars arrive as `simple_value`
 * (PyTorch's SummaryWriter, TF1) or as a one-element float tensor (TF2).
 *
 * Robustness: a record cut off at the end (a writer mid-flush) is left for the next read;
 * a record whose payload fails its checksum or does not decode is skipped; events of any
 * other kind (file version, graphs, histograms, images, fields this schema lacks) are ignored.
 */
import type { Type } from 'protobufjs';
import type { MetricRecord } from '../../contract/metricRecord';
import { maskedCrc32c } from './crc32c';
import { splitAndName } from './metricNames';

const SCHEMA = `
syntax = "proto3";
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5; }
}
message Summary {
  message Value {
    string tag = 1;
    oneof value { float simple_value = 2; TensorProto tensor = 8; }
  }
  repeated Value value = 1;
}
message TensorProto {
  int32 dtype = 1;
  bytes tensor_content = 4;
  repeated float float_val = 5;
  repeated double double_val = 6;
}
`;

/**
 * Parsed on first use: the editor loads this module at startup, and most workspaces hold no event
 * files. protobufjs itself loads only then (the build ships it as `dist/vendor/protobufjs.js`).
 */
let eventSchema: Type | undefined;
function eventType(): Type {
  if (eventSchema) return eventSchema;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  const { parse } = require('protobufjs') as typeof import('protobufjs');
  return (eventSchema = parse(SCHEMA).root.lookupType('Event'));
}

/** TensorFlow dtypes a scalar tensor may carry: DT_FLOAT = 1, DT_DOUBLE = 2. */
const DT_FLOAT = 1;
const DT_DOUBLE = 2;

interface DecodedValue {
  tag?: string;
  simpleValue?: number;
  tensor?: { dtype?: number; tensorContent?: Uint8Array; floatVal?: number[]; doubleVal?: number[] };
}

interface DecodedEvent {
  wallTime?: number;
  step?: number | { toNumber(): number };
  summary?: { value?: DecodedValue[] };
}

export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;

/** The complete, intact record payloads in `bytes`, and how many bytes they span. */
export function readRecords(bytes: Uint8Array): {
  payloads: Uint8Array[];
  consumed: number;
  damaged: number;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloads: Uint8Array[] = [];
  let offset = 0;
  let damaged = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = Number(view.getBigUint64(offset, true));
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(bytes.subarray(offset, offset + 8))) {
      // The length itself is damaged: nothing after it can be framed. Stop here for good.
      damaged++;
      return { payloads, consumed: bytes.length, damaged };
    }
    const end = offset + HEADER_BYTES + length + FOOTER_BYTES;
    if (end > bytes.length) break; // torn: the rest has not been written yet
    const payload = bytes.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
    if (view.getUint32(end - FOOTER_BYTES, true) === maskedCrc32c(payload)) payloads.push(payload);
    else damaged++;
    offset = end;
  }
  return { payloads, consumed: offset, damaged };
}

function scalarOf(value: DecodedValue): number | undefined {
  if (typeof value.simpleValue === 'number') return value.simpleValue;
  const tensor = value.tensor;
  if (!tensor) return undefined;
  if (tensor.floatVal?.length) return tensor.floatVal[0];
  if (tensor.doubleVal?.length) return tensor.doubleVal[0];
  const content = tensor.tensorContent;
  if (content && tensor.dtype === DT_FLOAT && content.length >= 4)
    return new DataView(content.buffer, content.byteOffset, content.byteLength).getFloat32(0, true);
  if (content && tensor.dtype === DT_DOUBLE && content.length >= 8)
    return new DataView(content.buffer, content.byteOffset, content.byteLength).getFloat64(0, true);
  return undefined;
}

/**
 * The scalar records of event payloads. `startTime` (seconds since the epoch) is the run's
 * first event; times are measured from it. Epochs are unknown to TensorBoard: 0.
 */
export function scalarRecords(payloads: Uint8Array[], startTime: { value?: number }): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (const payload of payloads) {
    let event: DecodedEvent;
    try {
      event = eventType().toObject(eventType().decode(payload), { longs: Number }) as DecodedEvent;
    } catch {
      continue; // not an Event this schema can read
    }
    const wall = event.wallTime ?? 0;
    startTime.value ??= wall;
    for (const value of event.summary?.value ?? []) {
      const scalar = scalarOf(value);
      if (!value.tag || scalar === undefined || !Number.isFinite(scalar)) continue;
      const { split, name } = splitAndName(value.tag);
      const step = typeof event.step === 'number' ? event.step : (event.step?.toNumber() ?? 0);
      records.push({ step, epoch: 0, time: Math.max(0, wall - startTime.value), split, name, value: scalar });
    }
  }
  return records;
}
