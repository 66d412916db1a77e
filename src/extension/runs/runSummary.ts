/** Short texts about a run for the Runs view and the status bar (plain Node, unit-tested). */
import { formatNumber } from '../../contract/runTable/formatCell';
import type { RunInfo } from '../../runs/runFiles';
import { etaSeconds, formatDuration, type RunProgress } from '../../runs/trainerEventText';

/** Metrics worth a glance, in order of preference, with their short labels. */
const HEADLINE: [string, string][] = [
  ['test/accuracy', 'test acc'],
  ['test/perplexity', 'test ppl'],
  ['test/mae', 'test mae'],
  ['validation/accuracy', 'val acc'],
  ['validation/loss', 'val loss'],
  ['train/loss', 'loss'],
];

/** E.g. "completed · test acc 0.962 · val loss 0.107 · 420 steps". */
export function formatSummary(info: RunInfo): string {
  const parts: string[] = [info.status];
  const summary = info.summary ?? {};
  const shown = HEADLINE.filter(([key]) => summary[key] !== undefined).slice(0, 2);
  for (const [key, label] of shown) parts.push(`${label} ${formatNumber(summary[key])}`);
  if (info.step !== undefined) parts.push(`${info.step} steps`);
  return parts.join(' · ');
}

/**
 * The Runs view's hover text. Plain text on purpose: run.json is data from
 * the workspace, and a repository opened in Restricted Mode could put links,
 * images or command URIs into Markdown built from it.
 */
export function formatTooltip(id: string, info: RunInfo | undefined): string {
  const lines = [`${info?.experiment ?? ''} / ${id} — ${info?.status ?? 'unknown'}`];
  if (info?.device) lines.push(`Device: ${info.device.chosen}`);
  if (info?.startedAt) lines.push(`Started: ${new Date(info.startedAt).toLocaleString()}`);
  if (info?.step !== undefined) lines.push(`Steps: ${info.step}`);
  if (info?.error) lines.push(info.error);
  return lines.join('\n');
}

/**
 * E.g. "wine-mlp · epoch 3/60 · step 140/420 · loss 0.0446 · ETA 1m 05s · cpu"; without the
 * experiment where the name is already shown (the progress notification's title).
 */
export function formatProgress(progress: RunProgress, experiment?: string): string {
  const parts = experiment === undefined ? [] : [experiment];
  if (progress.epochs !== undefined) {
    parts.push(`epoch ${Math.min(Math.floor(progress.epoch) + 1, progress.epochs)}/${progress.epochs}`);
  }
  parts.push(
    progress.totalSteps !== undefined
      ? `step ${progress.step}/${progress.totalSteps}`
      : `step ${progress.step}`,
  );
  if (progress.loss !== undefined) parts.push(`loss ${formatNumber(progress.loss)}`);
  const eta = etaSeconds(progress);
  if (eta !== undefined && progress.step < (progress.totalSteps ?? 0))
    parts.push(`ETA ${formatDuration(eta)}`);
  if (progress.device) parts.push(progress.device.chosen);
  return parts.join(' · ');
}
