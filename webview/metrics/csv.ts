/**
 * CSV export of what the charts show: one row per recorded point with the same
 * fields as metrics.jsonl (so rows can be matched back), the run it came from
 * and, when smoothing is on, the smoothed value drawn on the chart.
 */
import * as l10n from '@vscode/l10n';
import { MAX_EXPORT_CHARS } from '../../src/protocol/metricsPanel';
import type { Series } from './seriesStore';

const HEADER = ['run', 'step', 'epoch', 'time', 'split', 'name', 'value'];

/** Quotes a field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function seriesToCsv(
  series: readonly Series[],
  runLabel: (run: string) => string,
  smoothed: boolean,
): string {
  const header = smoothed ? [...HEADER, 'smoothed'] : HEADER;
  const lines = [header.join(',')];
  for (const s of series) {
    s.points.forEach((p, i) => {
      const row: (string | number)[] = [runLabel(s.run), p.step, p.epoch, p.time, s.split, s.name, p.value];
      if (smoothed) row.push(s.smoothed[i].y);
      lines.push(row.map(csvField).join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/** Why a CSV of this many characters cannot be exported (the host refuses it), or undefined when it can. */
export function csvTooLarge(length: number): string | undefined {
  if (length <= MAX_EXPORT_CHARS) return undefined;
  const mb = (chars: number): string => `${Math.ceil(chars / 2 ** 20)} MiB`;
  return l10n.t(
    'The CSV would be {0}, more than the {1} an export may hold: hide runs or metrics, then export again.',
    mb(length),
    mb(MAX_EXPORT_CHARS),
  );
}

/** Parses CSV produced by `seriesToCsv` (quoted fields included); used to check exports. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
