/**
 * Channel between the extension host and the playground webview. The host says which run
 * (`playground/run`), then relays the inference process's replies (protocol/playground.ts)
 * as they are; the webview asks for classifications and generations with the same request
 * messages, which the host checks before relaying. It never names a run folder itself.
 */
import {
  isPlaygroundReply,
  isPlaygroundRequest,
  type PlaygroundClassify,
  type PlaygroundClassifyText,
  type PlaygroundClassifyTexts,
  type PlaygroundGenerate,
  type PlaygroundTextAttention,
  type PlaygroundReply,
} from './playground';
import { isPanelRun, messageGuard, type PanelRun } from './panelRuns';
import type { WebviewReadyMessage } from './webviewReady';

export const PLAYGROUND_VIEW_TYPE = 'modelLab.playground';

export interface PlaygroundRunMessage {
  type: 'playground/run';
  run: PanelRun;
}
export type HostToPlayground = PlaygroundRunMessage | PlaygroundReply;

export const isPlaygroundRunMessage = messageGuard<PlaygroundRunMessage>('playground/run', (m) =>
  isPanelRun(m.run),
);
export const isHostToPlayground = (value: unknown): value is HostToPlayground =>
  isPlaygroundRunMessage(value) || isPlaygroundReply(value);

type PanelRequest =
  | PlaygroundClassify
  | PlaygroundClassifyText
  | PlaygroundClassifyTexts
  | PlaygroundGenerate
  | PlaygroundTextAttention;
export type PlaygroundToHost = WebviewReadyMessage | PanelRequest;

/** A request the webview may make: classify or generate (opening a run is the host's). */
export const isPlaygroundPanelRequest = (value: unknown): value is PanelRequest =>
  isPlaygroundRequest(value) && value.type !== 'playground/open';
