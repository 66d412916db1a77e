/**
 * Channel between the extension host and the attention webview. The host
 * lists the snapshot steps of a run's attention/ folder (growing while the run
 * is live) and sends a snapshot when the webview asks for a step. For a
 * finished run the webview can ask for the maps of another probe text.
 */
import { type AttentionSnapshot, isAttentionSnapshot } from '../contract/attentionSnapshot';
import { isCheckpointKind, type CheckpointKind } from '../contract/checkpointKind';
import { isString } from '../contract/guards';
import type { WebviewReadyMessage } from './webviewReady';
import { isPanelRun, messageGuard, type PanelRun } from './panelRuns';

export const ATTENTION_VIEW_TYPE = 'modelLab.attention';

// ── host → webview ────────────────────────────────────────────────────────────

/** The run shown; `probeAvailable` says whether a custom probe text can be run for it. */
export interface AttentionRunMessage {
  type: 'run';
  run: PanelRun;
  probeAvailable: boolean;
  probeUnavailableReason?: string;
}
/** Every snapshot step on disk, ascending; sent again whenever a new one appears. */
export interface StepsMessage {
  type: 'steps';
  steps: number[];
}
/** One snapshot; `probeText` and the `checkpoint` it ran on are set when it answers a custom probe request. */
export interface SnapshotMessage {
  type: 'snapshot';
  snapshot: AttentionSnapshot;
  probeText?: string;
  checkpoint?: CheckpointKind;
}
/** The run has no attention maps (not a Transformer, or none recorded yet). */
export interface NoAttentionMessage {
  type: 'noAttention';
  message: string;
}
export interface ProbeErrorMessage {
  type: 'probeError';
  message: string;
}

export type HostToAttention =
  AttentionRunMessage | StepsMessage | SnapshotMessage | NoAttentionMessage | ProbeErrorMessage;

export const isAttentionRunMessage = messageGuard<AttentionRunMessage>(
  'run',
  (m) =>
    isPanelRun(m.run) &&
    typeof m.probeAvailable === 'boolean' &&
    (m.probeUnavailableReason === undefined || isString(m.probeUnavailableReason)),
);
export const isStepsMessage = messageGuard<StepsMessage>(
  'steps',
  (m) => Array.isArray(m.steps) && m.steps.every((s) => Number.isFinite(s)),
);
export const isSnapshotMessage = messageGuard<SnapshotMessage>(
  'snapshot',
  (m) =>
    isAttentionSnapshot(m.snapshot) &&
    (m.probeText === undefined || isString(m.probeText)) &&
    (m.checkpoint === undefined || isCheckpointKind(m.checkpoint)),
);
export const isNoAttentionMessage = messageGuard<NoAttentionMessage>('noAttention', (m) =>
  isString(m.message),
);
export const isProbeErrorMessage = messageGuard<ProbeErrorMessage>('probeError', (m) => isString(m.message));

// ── webview → host ────────────────────────────────────────────────────────────

export interface RequestSnapshotMessage {
  type: 'requestSnapshot';
  step: number;
}
/** Run the finished model on this text and send back its attention maps. */
export interface ProbeRequestMessage {
  type: 'probe';
  text: string;
}
export type AttentionToHost = WebviewReadyMessage | RequestSnapshotMessage | ProbeRequestMessage;

/** Longest probe text accepted from the webview (the model's context is far shorter). */
export const MAX_PROBE_CHARS = 1024;

export const isRequestSnapshotMessage = messageGuard<RequestSnapshotMessage>('requestSnapshot', (m) =>
  Number.isFinite(m.step),
);
export const isProbeRequestMessage = messageGuard<ProbeRequestMessage>(
  'probe',
  (m) => isString(m.text) && m.text.length > 0 && m.text.length <= MAX_PROBE_CHARS,
);
