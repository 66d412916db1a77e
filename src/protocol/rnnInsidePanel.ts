/**
 * Channel between the extension host and the LSTM/GRU inside view's webview ("Look Inside
 * (LSTM/GRU)"). The host says which run (`rnnInside/run`), then relays what the run's inference
 * process (protocol/playground.ts) answers about it: `playground/ready` (which checkpoint, its
 * step; again after each newer checkpoint), `playground/recurrentView` and `playground/failure`.
 * The webview asks for a test example's or a typed text's view with `playground/recurrent`,
 * which the host checks before relaying; it never names a folder.
 */
import { anyOf, isPanelRun, messageGuard, type PanelRun } from './panelRuns';
import {
  isPlaygroundReply,
  isPlaygroundRequest,
  type PlaygroundFailure,
  type PlaygroundReady,
  type PlaygroundRecurrent,
  type PlaygroundRecurrentView,
} from './playground';
import type { WebviewReadyMessage } from './webviewReady';

export const RNN_INSIDE_VIEW_TYPE = 'modelLab.rnnInside';

export interface RnnInsideRunMessage {
  type: 'rnnInside/run';
  run: PanelRun;
}

/** The inference process's replies the view draws; the playground's others are not relayed. */
export type RnnInsideReply = PlaygroundReady | PlaygroundRecurrentView | PlaygroundFailure;
export type HostToRnnInside = RnnInsideRunMessage | RnnInsideReply;
export type RnnInsideToHost = WebviewReadyMessage | PlaygroundRecurrent;

export const isRnnInsideRunMessage = messageGuard<RnnInsideRunMessage>('rnnInside/run', (m) =>
  isPanelRun(m.run),
);

export function isRnnInsideReply(value: unknown): value is RnnInsideReply {
  return (
    isPlaygroundReply(value) &&
    (value.type === 'playground/ready' ||
      value.type === 'playground/recurrentView' ||
      value.type === 'playground/failure')
  );
}

export const isHostToRnnInside = anyOf<HostToRnnInside>(isRnnInsideRunMessage, isRnnInsideReply);

/** The one request the view may make: the inside view of a test example or typed text. */
export function isRnnInsideRequest(value: unknown): value is PlaygroundRecurrent {
  return isPlaygroundRequest(value) && value.type === 'playground/recurrent';
}
