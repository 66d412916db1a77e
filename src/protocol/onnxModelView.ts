// Channel: extension host <-> the .onnx model view (webview/onnxModel/), the custom editor that
// opens .onnx files. The host reads the file and posts its summary; the webview's buttons ask
// the host to check the model, evaluate it on a data file the user picks, or scaffold a
// fine-tuning experiment.
import {
  type CompatibilityReport,
  type OnnxModelSummary,
  isCompatibilityReport,
  isOnnxModelSummary,
} from '../contract/onnxModel';
import { hasType, isString } from '../contract/guards';
import { type OnnxEvaluation, isOnnxEvaluation } from './onnxEvaluate';
import { type WebviewReadyMessage, isWebviewReadyMessage } from './webviewReady';

/** Host -> webview: the model as read from `file` (its name, for the heading). */
export interface OnnxModelShowMessage {
  readonly type: 'onnxModel/show';
  readonly file: string;
  readonly summary: OnnxModelSummary;
}

/** Host -> webview: the file is not a readable ONNX model; say why. */
export interface OnnxModelUnreadableMessage {
  readonly type: 'onnxModel/unreadable';
  readonly file: string;
  readonly message: string;
}

/** Host -> webview: the compatibility check is running. */
export interface OnnxModelCheckingMessage {
  readonly type: 'onnxModel/checking';
}

/** Host -> webview: the compatibility check answered. */
export interface OnnxModelCheckedMessage {
  readonly type: 'onnxModel/checked';
  readonly report: CompatibilityReport;
}

/** Host -> webview: the check could not run (the training process failed); say why. */
export interface OnnxModelCheckFailedMessage {
  readonly type: 'onnxModel/checkFailed';
  readonly message: string;
}

/** Host -> webview: "Evaluate on data…" is scoring the model on `data` (the file's name). */
export interface OnnxModelEvaluatingMessage {
  readonly type: 'onnxModel/evaluating';
  readonly data: string;
}

/** Host -> webview: the scores on `data`. */
export interface OnnxModelEvaluatedMessage {
  readonly type: 'onnxModel/evaluated';
  readonly data: string;
  readonly evaluation: OnnxEvaluation;
}

/** Host -> webview: the evaluation was refused or failed; the message names the file and why. */
export interface OnnxModelEvaluateFailedMessage {
  readonly type: 'onnxModel/evaluateFailed';
  readonly data: string;
  readonly message: string;
}

export type OnnxModelToWebview =
  | OnnxModelShowMessage
  | OnnxModelUnreadableMessage
  | OnnxModelCheckingMessage
  | OnnxModelCheckedMessage
  | OnnxModelCheckFailedMessage
  | OnnxModelEvaluatingMessage
  | OnnxModelEvaluatedMessage
  | OnnxModelEvaluateFailedMessage;

/** Webview -> host: a button was pressed. */
export interface OnnxModelActionMessage {
  readonly type: 'onnxModel/check' | 'onnxModel/evaluate' | 'onnxModel/fineTune';
}

export type OnnxModelFromWebview = WebviewReadyMessage | OnnxModelActionMessage;

export function isOnnxModelToWebview(value: unknown): value is OnnxModelToWebview {
  if (hasType(value, 'onnxModel/show')) return isString(value.file) && isOnnxModelSummary(value.summary);
  if (hasType(value, 'onnxModel/unreadable')) return isString(value.file) && isString(value.message);
  if (hasType(value, 'onnxModel/checking')) return true;
  if (hasType(value, 'onnxModel/checked')) return isCompatibilityReport(value.report);
  if (hasType(value, 'onnxModel/checkFailed')) return isString(value.message);
  if (hasType(value, 'onnxModel/evaluating')) return isString(value.data);
  if (hasType(value, 'onnxModel/evaluated'))
    return isString(value.data) && isOnnxEvaluation(value.evaluation);
  if (hasType(value, 'onnxModel/evaluateFailed')) return isString(value.data) && isString(value.message);
  return false;
}

export function isOnnxModelFromWebview(value: unknown): value is OnnxModelFromWebview {
  return (
    isWebviewReadyMessage(value) ||
    hasType(value, 'onnxModel/check') ||
    hasType(value, 'onnxModel/evaluate') ||
    hasType(value, 'onnxModel/fineTune')
  );
}
