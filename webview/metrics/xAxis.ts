import * as l10n from '@vscode/l10n';

/** The three x axes a user can pick: optimizer step, (fractional) epoch, or wall time since the run started. */
export type XAxisKind = 'step' | 'epoch' | 'time';

export const X_AXIS_KINDS: readonly XAxisKind[] = ['step', 'epoch', 'time'];

export function isXAxisKind(value: unknown): value is XAxisKind {
  return typeof value === 'string' && (X_AXIS_KINDS as readonly string[]).includes(value);
}

export interface PointSource {
  step: number;
  epoch: number;
  time: number;
}

/**
 * Converts steps to fractional epochs. Records carry whole epoch numbers, which
 * would stack a whole epoch of points on one x; so we learn where each epoch
 * starts (its smallest step) and place a step proportionally inside its epoch.
 * The length of the newest epoch is taken from the one before it.
 */
export class EpochScale {
  private readonly starts = new Map<number, number>();

  /** Learns from a record; true when it changed where an epoch starts (placed points move). */
  observe(point: PointSource): boolean {
    const known = this.starts.get(point.epoch);
    if (known !== undefined && point.step >= known) return false;
    this.starts.set(point.epoch, point.step);
    return true;
  }

  /** Fractional epoch of a point; the whole epoch number while no epoch length is known yet. */
  epochOf(point: PointSource): number {
    if (!Number.isInteger(point.epoch)) return point.epoch;
    const start = this.starts.get(point.epoch);
    const length = this.epochLength(point.epoch);
    if (start === undefined || length === undefined) return point.epoch;
    return point.epoch + Math.min(1, Math.max(0, (point.step - start) / length));
  }

  private epochLength(epoch: number): number | undefined {
    const next = this.starts.get(epoch + 1);
    const start = this.starts.get(epoch);
    if (start !== undefined && next !== undefined && next > start) return next - start;
    const previous = this.starts.get(epoch - 1);
    if (previous !== undefined && start !== undefined && start > previous) return start - previous;
    return undefined;
  }
}

export function xOf(point: PointSource, kind: XAxisKind, epochs: EpochScale): number {
  if (kind === 'step') return point.step;
  if (kind === 'time') return point.time;
  return epochs.epochOf(point);
}

export function xAxisTitle(kind: XAxisKind): string {
  return kind === 'step' ? l10n.t('step') : kind === 'epoch' ? l10n.t('epoch') : l10n.t('wall time');
}
