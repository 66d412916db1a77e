// Training-process side of src/protocol/attentionProbe.ts: answers one probe request.
import { isAttentionProbeRequest, type AttentionProbeReply } from '../protocol/attentionProbe';
import { probeAttention } from './attentionProbe';
import { describeError } from './trainer';
import type { TrainerDeps } from './trainerDeps';

/** Handles `message` when it is a probe request; returns false otherwise. */
export function handleAttentionProbeMessage(
  message: unknown,
  deps: TrainerDeps,
  send: (reply: AttentionProbeReply) => void,
): boolean {
  if (!isAttentionProbeRequest(message)) return false;
  probeAttention(message.runDir, message.text, deps).then(
    (probed) => send({ type: 'attentionProbe/result', ...probed }),
    (error: unknown) => send({ type: 'attentionProbe/failure', message: describeError(error) }),
  );
  return true;
}
