// Channel: extension host <-> Check Engine webview (webview/engineCheck/).
import { type EngineCheckReport, isEngineCheckReport } from './engineCheck';
import { hasType, isString } from '../contract/guards';
import { type WebviewReadyMessage, isWebviewReadyMessage } from './webviewReady';

/** Host -> webview: a check is running. */
export interface EngineCheckRunningMessage {
  readonly type: 'engineCheck/running';
}

/** Host -> webview: the check finished; show what ran. */
export interface EngineCheckShowMessage {
  readonly type: 'engineCheck/show';
  readonly report: EngineCheckReport;
}

/** Host -> webview: the check failed; show why. */
export interface EngineCheckFailedMessage {
  readonly type: 'engineCheck/failed';
  readonly message: string;
}

export type EngineCheckToWebview =
  EngineCheckRunningMessage | EngineCheckShowMessage | EngineCheckFailedMessage;

/** Webview -> host: the user asked to run the check again. */
export interface EngineCheckRerunMessage {
  readonly type: 'engineCheck/rerun';
}

export type EngineCheckFromWebview = WebviewReadyMessage | EngineCheckRerunMessage;

export function isEngineCheckToWebview(value: unknown): value is EngineCheckToWebview {
  if (hasType(value, 'engineCheck/running')) return true;
  if (hasType(value, 'engineCheck/show')) return isEngineCheckReport(value.report);
  if (hasType(value, 'engineCheck/failed')) return isString(value.message);
  return false;
}

export function isEngineCheckFromWebview(value: unknown): value is EngineCheckFromWebview {
  return isWebviewReadyMessage(value) || hasType(value, 'engineCheck/rerun');
}
