/**
 * Channel between the extension host and the LSTM/GRU inside view's webview ("Look Inside
 * (LSTM/GRU)"), shaped as every inside view's (protocol/insidePanel.ts): `rnnInside/run`, then
 * the inference process's `playground/ready`, `playground/recurrentView` and
 * `playground/failure`. The webview asks for a test example's or a typed text's view with
 * `playground/recurrent`.
 */
import { insideChannel, type HostToInside, type InsideToHost } from './insidePanel';

export const RNN_INSIDE_VIEW_TYPE = 'modelLab.rnnInside';
export const RNN_INSIDE = insideChannel('rnnInside/run', 'playground/recurrentView', 'playground/recurrent');
export type HostToRnnInside = HostToInside<typeof RNN_INSIDE>;
export type RnnInsideToHost = InsideToHost<typeof RNN_INSIDE>;
