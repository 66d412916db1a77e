/**
 * Durations and dates for people, in the display language, wherever Model Lab shows them: the
 * runs table (its panel and `model-lab runs`) and the ETA (status bar, progress notification,
 * metrics panel, the CLI's progress bar). Durations go through the l10n bundle like every other
 * text; dates through Intl in the language the caller names (VS Code's display language, the
 * CLI's `--lang` or locale), in the reader's time zone. Machine-readable output (run.json,
 * `--json`) keeps ISO dates and seconds.
 */
import * as l10n from '@vscode/l10n';
import type { TimeWords } from '../contract/runTable/formatCell';

/** "45s", "12m 05s", "3h 02m" (in Chinese "45秒", "12分05秒", "3小时02分"): short enough for a table cell. */
export function durationText(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return l10n.t('{0}s', total);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (total < 3600) return l10n.t('{0}m {1}s', Math.floor(total / 60), pad(total % 60));
  return l10n.t('{0}h {1}m', Math.floor(total / 3600), pad(Math.floor((total % 3600) / 60)));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The cached Intl format for `language`, with or without the year. */
function dateFormat(language: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${language}|${withYear}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, {
      ...(withYear && { year: 'numeric' }),
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * "Dec 1, 2026, 10:05" in English, "2026年12月1日 10:05" in Chinese: the date and time of `iso`
 * in `language` (a BCP 47 tag), on a 24-hour clock; the text as it is when it is no date.
 */
export function dateTimeText(iso: string, language: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat(language, true).format(date);
}

/**
 * As `dateTimeText`, without the year when it is `now`'s year ("Dec 1, 10:05", "12月1日 10:05"):
 * a table cell stays narrow enough for a side panel, as mail and file lists write recent dates.
 */
export function shortDateTimeText(iso: string, language: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat(language, date.getFullYear() !== now.getFullYear()).format(date);
}

/**
 * How the runs table writes its start and duration cells for readers of `language`. Given `now`
 * (the panel, a narrow side column), a start in this year leaves the year out, which the cell's
 * hover text keeps; without it (`model-lab runs`, whose output ends up in logs) every start
 * has its year.
 */
export function timeWords(language: string, now?: () => Date): TimeWords {
  const fullDateTime = (iso: string): string => dateTimeText(iso, language);
  return {
    duration: durationText,
    dateTime: now ? (iso) => shortDateTimeText(iso, language, now()) : fullDateTime,
    fullDateTime,
  };
}
