// Channel: extension host <-> training process, attention maps of a finished
// run for a text the user types in the attention panel. The process loads the
// run's best (else last) checkpoint, runs the probe and answers once. Types
// start with `attentionProbe/`, so they never mix with training or engine-check
// messages on the same pipe.
import { isAttentionSnapshot, type AttentionSnapshot } from '../contract/attentionSnapshot';
import { isCheckpointKind, type CheckpointKind } from '../contract/checkpointKind';
import { hasType, isString } from '../contract/guards';

export interface AttentionProbeRequest {
  readonly type: 'attentionProbe/run';
  readonly runDir: string;
  readonly text: string;
}

/** A probe's maps and the checkpoint whose weights made them (the panel says which). */
export interface ProbedAttention {
  readonly snapshot: AttentionSnapshot;
  readonly checkpoint: CheckpointKind;
}

export interface AttentionProbeResult extends ProbedAttention {
  readonly type: 'attentionProbe/result';
}

export interface AttentionProbeFailure {
  readonly type: 'attentionProbe/failure';
  readonly message: string;
}

export type AttentionProbeReply = AttentionProbeResult | AttentionProbeFailure;

export function isAttentionProbeRequest(value: unknown): value is AttentionProbeRequest {
  return hasType(value, 'attentionProbe/run') && isString(value.runDir) && isString(value.text);
}

export function isAttentionProbeReply(value: unknown): value is AttentionProbeReply {
  if (hasType(value, 'attentionProbe/failure')) return isString(value.message);
  return (
    hasType(value, 'attentionProbe/result') &&
    isAttentionSnapshot(value.snapshot) &&
    isCheckpointKind(value.checkpoint)
  );
}
