import { hasType } from '../contract/guards';

/**
 * The first message of every webview channel: the webview's script posts it once
 * its message listener is installed; the host buffers everything until then
 * (ReadyThenFlushBuffer). Every panel protocol includes it in its
 * webview-to-host union.
 */
export interface WebviewReadyMessage {
  readonly type: 'ready';
}

export function isWebviewReadyMessage(value: unknown): value is WebviewReadyMessage {
  return hasType(value, 'ready');
}
