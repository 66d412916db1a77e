/**
 * The line above the attention maps that says what they are: a snapshot the
 * run took while training (which step, which of how many), or a typed probe
 * run on a checkpoint (which one, at which step). Scrubbing after a probe must
 * not leave the probe's words over a training snapshot.
 */
import * as l10n from '@vscode/l10n';
import type { CheckpointKind } from '../../src/contract/checkpointKind';

export function snapshotShownText(step: number, index: number, count: number): string {
  return l10n.t(
    'Showing the snapshot taken at step {0} while training ({1} of {2}).',
    step,
    index + 1,
    count,
  );
}

export function probeShownText(
  probeText: string,
  step: number,
  checkpoint: CheckpointKind | undefined,
): string {
  return checkpoint === 'best'
    ? l10n.t('Showing “{0}” run on the best checkpoint (step {1}).', probeText, step)
    : checkpoint === 'last'
      ? l10n.t('Showing “{0}” run on the last checkpoint (step {1}).', probeText, step)
      : l10n.t('Showing “{0}” run on the model (step {1}).', probeText, step);
}
