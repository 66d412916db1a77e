/** Short texts about a run for the Runs view and the status bar (plain Node, unit-tested). */
import { formatNumber } from '../../contract/runTable/formatCell';
import * as l10n from '@vscode/l10n';
import { statusText } from '../../protocol/runStatusText';
import { durationText } from '../../protocol/timeText';
import type { RunInfo } from '../../runs/runFiles';
import { etaSeconds, type RunProgress } from '../../runs/trainerEventText';

/** Metrics worth a glance, in order of preference, with their short labels (in the display language). */
const HEADLINE: [string, () => string][] = [
  ['test/accuracy', () => l10n.t('test acc')],
  ['test/perplexity', () => l10n.t('test ppl')],
  ['test/mae', () => l10n.t('test mae')],
  ['validation/accuracy', () => l10n.t('val acc')],
  ['validation/loss', () => l10n.t('val loss')],
  ['train/loss', () => l10n.t('loss')],
];

/** E.g. "completed · test acc 0.962 · val loss 0.107 · 420 steps". */
export function formatSummary(info: RunInfo): string {
  const parts: string[] = [statusText(info.status)];
  const summary = info.summary ?? {};
  const shown = HEADLINE.filter(([key]) => summary[key] !== undefined).slice(0, 2);
  for (const [key, label] of shown) parts.push(`${label()} ${formatNumber(summary[key])}`);
  if (info.step !== undefined) parts.push(l10n.t('{0} steps', info.step));
  return parts.join(' · ');
}

/**
 * The Runs view's hover text. Plain text on purpose: run.json is data from
 * the workspace, and a repository opened in Restricted Mode could put links,
 * images or command URIs into Markdown built from it.
 */
export function formatTooltip(id: string, info: RunInfo | undefined, locale?: string): string {
  const lines = [`${info?.experiment ?? ''} / ${id} — ${statusText(info?.status)}`];
  if (info?.device) lines.push(l10n.t('Device: {0}', info.device.chosen));
  if (info?.startedAt) lines.push(l10n.t('Started: {0}', new Date(info.startedAt).toLocaleString(locale)));
  if (info?.step !== undefined) lines.push(l10n.t('Steps: {0}', info.step));
  if (info?.error) lines.push(info.error);
  return lines.join('\n');
}

/**
 * E.g. "wine-mlp · epoch 3/60 · step 140/420 · loss 0.0446 · ETA 1m 05s · cpu"; without the
 * experiment where the name is already shown (the progress notification's title).
 */
/**
 * How often the status bar and the progress notification show a live run's progress: once a
 * second reads as live, and each repaint is a frame of the workbench that training's CPU pays for.
 */
export const PROGRESS_REPAINT_MS = 1000;

export function formatProgress(progress: RunProgress, experiment?: string): string {
  const parts = experiment === undefined ? [] : [experiment];
  if (progress.epochs !== undefined) {
    parts.push(
      l10n.t('epoch {0}/{1}', Math.min(Math.floor(progress.epoch) + 1, progress.epochs), progress.epochs),
    );
  }
  const { reading } = progress;
  parts.push(
    progress.totalSteps !== undefined
      ? l10n.t('step {0}/{1}', progress.step, progress.totalSteps)
      : reading
        ? l10n.t('reading images {0}/{1}', reading.done, reading.total)
        : l10n.t('step {0}', progress.step),
  );
  if (progress.loss !== undefined) parts.push(l10n.t('loss {0}', formatNumber(progress.loss)));
  const eta = formatEta(progress);
  if (eta !== undefined) parts.push(eta);
  if (progress.device) parts.push(progress.device.chosen);
  return parts.join(' · ');
}

/**
 * "ETA 1m 05s" while steps remain and their pace is known, else undefined: the one figure the
 * status bar, the progress notification and the metrics panel's header show.
 */
export function formatEta(progress: RunProgress): string | undefined {
  const eta = etaSeconds(progress);
  return eta !== undefined && progress.step < (progress.totalSteps ?? 0)
    ? l10n.t('ETA {0}', durationText(eta))
    : undefined;
}
