/**
 * Channel between the extension host and the CNN inside view's webview ("Look Inside (CNN)").
 * The host says which run (`cnnInside/run`), then relays what the run's inference process
 * (protocol/playground.ts) answers about it: `playground/ready` (which checkpoint, its step,
 * the class names; again after each newer checkpoint), `playground/featureMapView` and
 * `playground/failure`. The webview asks for one test example's view with
 * `playground/featureMaps`, which the host checks before relaying; it never names a folder.
 */
import {
  isPlaygroundRequest,
  type PlaygroundFailure,
  type PlaygroundFeatureMaps,
  type PlaygroundFeatureMapView,
  type PlaygroundReady,
  isPlaygroundReply,
} from './playground';
import { anyOf, isPanelRun, messageGuard, type PanelRun } from './panelRuns';
import type { WebviewReadyMessage } from './webviewReady';

export const CNN_INSIDE_VIEW_TYPE = 'modelLab.cnnInside';

export interface CnnInsideRunMessage {
  type: 'cnnInside/run';
  run: PanelRun;
}

/** The inference process's replies the view draws; the playground's others are not relayed. */
export type CnnInsideReply = PlaygroundReady | PlaygroundFeatureMapView | PlaygroundFailure;
export type HostToCnnInside = CnnInsideRunMessage | CnnInsideReply;
export type CnnInsideToHost = WebviewReadyMessage | PlaygroundFeatureMaps;

export const isCnnInsideRunMessage = messageGuard<CnnInsideRunMessage>('cnnInside/run', (m) =>
  isPanelRun(m.run),
);

export function isCnnInsideReply(value: unknown): value is CnnInsideReply {
  return (
    isPlaygroundReply(value) &&
    (value.type === 'playground/ready' ||
      value.type === 'playground/featureMapView' ||
      value.type === 'playground/failure')
  );
}

export const isHostToCnnInside = anyOf<HostToCnnInside>(isCnnInsideRunMessage, isCnnInsideReply);

/** The one request the view may make: a test example's feature maps. */
export function isCnnInsideRequest(value: unknown): value is PlaygroundFeatureMaps {
  return isPlaygroundRequest(value) && value.type === 'playground/featureMaps';
}
