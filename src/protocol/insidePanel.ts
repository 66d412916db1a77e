/**
 * What the inside views' channels (protocol/cnnInsidePanel.ts, protocol/rnnInsidePanel.ts)
 * have in common. Each is the same conversation about another view of the model: the host says
 * which run (`<panel>/run`), then relays three of the run's inference process replies
 * (protocol/playground.ts): `playground/ready` (which checkpoint, its step; again after each
 * newer checkpoint), the panel's one view reply and `playground/failure`. The webview makes one
 * kind of request, which the host checks before relaying; it never names a folder.
 */
import { anyOf, isPanelRun, messageGuard, type PanelRun } from './panelRuns';
import {
  isPlaygroundReply,
  isPlaygroundRequest,
  type PlaygroundFailure,
  type PlaygroundReady,
  type PlaygroundReply,
  type PlaygroundRequest,
} from './playground';
import type { WebviewReadyMessage } from './webviewReady';

export interface InsideRunMessage<RunType extends string> {
  type: RunType;
  run: PanelRun;
}

/** The inference process's replies a view draws; the playground's others are not relayed. */
export type InsideReply<View extends PlaygroundReply> = PlaygroundReady | View | PlaygroundFailure;

/** One inside view's channel: its guards, and (as types) the messages each way. */
export interface InsideChannel<
  RunType extends string,
  View extends PlaygroundReply,
  Request extends PlaygroundRequest,
> {
  /** The replies the host relays to the webview. */
  isReply(value: unknown): value is InsideReply<View>;
  /** Everything the webview accepts from the host. */
  isHostToWebview(value: unknown): value is InsideRunMessage<RunType> | InsideReply<View>;
  /** The one request the webview may make. */
  isRequest(value: unknown): value is Request;
}

/** What the host posts to the webview of `Channel`. */
export type HostToInside<Channel> =
  Channel extends InsideChannel<infer RunType, infer View, PlaygroundRequest>
    ? InsideRunMessage<RunType> | InsideReply<View>
    : never;

/** What the webview of `Channel` posts to the host. */
export type InsideToHost<Channel> =
  Channel extends InsideChannel<string, PlaygroundReply, infer Request>
    ? WebviewReadyMessage | Request
    : never;

/** The channel whose run message is `runType`, view reply `viewType` and request `requestType`. */
export function insideChannel<
  RunType extends string,
  ViewType extends PlaygroundReply['type'],
  RequestType extends PlaygroundRequest['type'],
>(
  runType: RunType,
  viewType: ViewType,
  requestType: RequestType,
): InsideChannel<
  RunType,
  Extract<PlaygroundReply, { type: ViewType }>,
  Extract<PlaygroundRequest, { type: RequestType }>
> {
  type View = Extract<PlaygroundReply, { type: ViewType }>;
  const isRunMessage = messageGuard<InsideRunMessage<RunType>>(runType, (m) => isPanelRun(m.run));
  const isReply = (value: unknown): value is InsideReply<View> =>
    isPlaygroundReply(value) &&
    (value.type === 'playground/ready' || value.type === viewType || value.type === 'playground/failure');
  return {
    isReply,
    isHostToWebview: anyOf<InsideRunMessage<RunType> | InsideReply<View>>(isRunMessage, isReply),
    isRequest: (value): value is Extract<PlaygroundRequest, { type: RequestType }> =>
      isPlaygroundRequest(value) && value.type === requestType,
  };
}
