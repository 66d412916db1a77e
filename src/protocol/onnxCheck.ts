// Channel: extension host <-> training process, the compatibility check of an ONNX file (the
// .onnx model view's Check button). The check runs onnxruntime, which the extension host never
// loads, so the host forks a training process, sends the file's path and gets the report back.
// It shares the IPC pipe with the other channels: every `type` here starts with `onnxCheck/`.
import { type CompatibilityReport, isCompatibilityReport } from '../contract/onnxModel';
import { hasType, isString } from '../contract/guards';

/** Host -> process: check the model at `path` (absolute). */
export interface OnnxCheckRequest {
  readonly type: 'onnxCheck/run';
  readonly path: string;
}

/** Process -> host: the check ran (whatever its verdict). */
export interface OnnxCheckReportMessage {
  readonly type: 'onnxCheck/report';
  readonly report: CompatibilityReport;
}

/** Process -> host: the file could not be read as an ONNX model, or the check broke down. */
export interface OnnxCheckFailureMessage {
  readonly type: 'onnxCheck/failure';
  readonly message: string;
}

export type OnnxCheckReply = OnnxCheckReportMessage | OnnxCheckFailureMessage;

export function isOnnxCheckRequest(value: unknown): value is OnnxCheckRequest {
  return hasType(value, 'onnxCheck/run') && isString(value.path);
}

export function isOnnxCheckReply(value: unknown): value is OnnxCheckReply {
  if (hasType(value, 'onnxCheck/report')) return isCompatibilityReport(value.report);
  if (hasType(value, 'onnxCheck/failure')) return isString(value.message);
  return false;
}
