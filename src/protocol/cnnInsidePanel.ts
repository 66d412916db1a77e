/**
 * Channel between the extension host and the CNN inside view's webview ("Look Inside (CNN)"),
 * shaped as every inside view's (protocol/insidePanel.ts): `cnnInside/run`, then the inference
 * process's `playground/ready` (with the class names), `playground/featureMapView` and
 * `playground/failure`. The webview asks for one test example's view with
 * `playground/featureMaps`.
 */
import { insideChannel, type HostToInside, type InsideToHost } from './insidePanel';

export const CNN_INSIDE_VIEW_TYPE = 'modelLab.cnnInside';
export const CNN_INSIDE = insideChannel(
  'cnnInside/run',
  'playground/featureMapView',
  'playground/featureMaps',
);
export type HostToCnnInside = HostToInside<typeof CNN_INSIDE>;
export type CnnInsideToHost = InsideToHost<typeof CNN_INSIDE>;
