/**
 * The line above the attention maps that says what they are: a snapshot the
 * run took while training (which step, which of how many), or a typed probe
 * run on a checkpoint (which one, at which step). Scrubbing after a probe must
 * not leave the probe's words over a training snapshot.
 */
import type { CheckpointKind } from '../../src/contract/checkpointKind';

export function snapshotShownText(step: number, index: number, count: number): string {
  return `Showing the snapshot taken at step ${step} while training (${index + 1} of ${count}).`;
}

export function probeShownText(
  probeText: string,
  step: number,
  checkpoint: CheckpointKind | undefined,
): string {
  const which =
    checkpoint === 'best'
      ? 'the best checkpoint'
      : checkpoint === 'last'
        ? 'the last checkpoint'
        : 'the model';
  return `Showing “${probeText}” run on ${which} (step ${step}).`;
}
