// Channel: extension host <-> training process, engine self-check messages.
// The host asks the forked training process to load onnxruntime-node, build a
// tiny ONNX graph (Y = A·B + C) and run it; the process answers with what ran
// and where. The training protocol proper lives in its own file; both travel
// over the same IPC pipe, so every `type` here starts with `engineCheck/`.
import { hasType, isFiniteNumber, isNumberArray, isRecord, isString } from '../contract/guards';

/** A dense float tensor as plain JSON: shape and row-major values. */
export interface TensorValues {
  readonly dims: number[];
  readonly data: number[];
}

export interface EngineCheckReport {
  /** onnxruntime-node's version as the loaded package reports it. */
  readonly ortVersion: string;
  /** Node.js version of the training process. */
  readonly nodeVersion: string;
  /** Execution provider the session ran on. */
  readonly device: 'cpu';
  /** Human-readable formula of the graph that ran. */
  readonly graph: string;
  readonly inputs: Readonly<Record<string, TensorValues>>;
  /** What onnxruntime computed. */
  readonly output: TensorValues;
  /** The same formula computed in plain JavaScript. */
  readonly expected: TensorValues;
  /** Largest absolute difference between output and expected. */
  readonly maxAbsError: number;
}

/** Host -> process: run the check once. */
export interface EngineCheckRequest {
  readonly type: 'engineCheck/run';
}

/** Process -> host: the check ran. */
export interface EngineCheckReportMessage {
  readonly type: 'engineCheck/report';
  readonly report: EngineCheckReport;
}

/** Process -> host: loading the runtime or running the graph failed. */
export interface EngineCheckFailureMessage {
  readonly type: 'engineCheck/failure';
  readonly message: string;
}

export type EngineCheckReply = EngineCheckReportMessage | EngineCheckFailureMessage;

export function isEngineCheckRequest(value: unknown): value is EngineCheckRequest {
  return hasType(value, 'engineCheck/run');
}

export function isTensorValues(value: unknown): value is TensorValues {
  return isRecord(value) && isNumberArray(value.dims) && isNumberArray(value.data);
}

export function isEngineCheckReport(value: unknown): value is EngineCheckReport {
  return (
    isRecord(value) &&
    isString(value.ortVersion) &&
    isString(value.nodeVersion) &&
    value.device === 'cpu' &&
    isString(value.graph) &&
    isRecord(value.inputs) &&
    Object.values(value.inputs).every(isTensorValues) &&
    isTensorValues(value.output) &&
    isTensorValues(value.expected) &&
    isFiniteNumber(value.maxAbsError)
  );
}

export function isEngineCheckReply(value: unknown): value is EngineCheckReply {
  if (hasType(value, 'engineCheck/report')) return isEngineCheckReport(value.report);
  if (hasType(value, 'engineCheck/failure')) return isString(value.message);
  return false;
}
