/** What a panel is told about a run it shows; shared by the metrics, evaluation and attention channels. */
import type { RunStatus } from '../contract/runStatus';
import { hasType, isRecord as isObject } from '../contract/guards';

export interface PanelRun {
  /** Absolute path of the run folder: the run's identity in every message. */
  runDir: string;
  /** "experiment / run-id", shown in legends and titles. */
  label: string;
  status: RunStatus | 'unknown';
  /** When runs are compared: a short name for legends (the run's name, its differing settings, or its id). */
  short?: string;
  /** The other panels that have something to show for this run (the metrics panel offers only those). */
  opens?: RunPanelsAvailable;
}

export interface RunPanelsAvailable {
  /** eval.json exists, or the run is training and will write it. */
  evaluation: boolean;
  /** The model has attention layers (a Transformer). */
  attention: boolean;
  /** The model has conv2d layers: the CNN inside view (Look Inside) applies. */
  cnn: boolean;
  /** The model has lstm or gru layers: the LSTM/GRU inside view (Look Inside) applies. */
  rnn: boolean;
}

function isRunPanelsAvailable(value: unknown): value is RunPanelsAvailable {
  return (
    isObject(value) &&
    typeof value.evaluation === 'boolean' &&
    typeof value.attention === 'boolean' &&
    typeof value.cnn === 'boolean' &&
    typeof value.rnn === 'boolean'
  );
}

export function isPanelRun(value: unknown): value is PanelRun {
  return (
    isObject(value) &&
    typeof value.runDir === 'string' &&
    typeof value.label === 'string' &&
    typeof value.status === 'string' &&
    (value.short === undefined || typeof value.short === 'string') &&
    (value.opens === undefined || isRunPanelsAvailable(value.opens))
  );
}

/** A type guard for `{ type }` messages whose other fields pass `fields`. */
export function messageGuard<M extends { type: string }>(
  type: M['type'],
  fields: (message: Record<string, unknown>) => boolean = () => true,
): (value: unknown) => value is M {
  return (value: unknown): value is M => hasType(value, type) && fields(value);
}

/** True when `value` is an object whose `type` is one of the guards' types and passes that guard. */
export function anyOf<M>(...guards: ((value: unknown) => value is M)[]): (value: unknown) => value is M {
  return (value: unknown): value is M => guards.some((guard) => guard(value));
}

/** Webview state of a one-run panel (evaluation, attention, playground, CNN inside view), kept across reloads for the serializer. */
export interface SingleRunPanelState {
  runDir: string;
}

export function isSingleRunPanelState(value: unknown): value is SingleRunPanelState {
  return isObject(value) && typeof value.runDir === 'string';
}
