/**
 * What differs between a run's saved config and the experiment file as it is
 * now, as short `path: before → after` lines, so Resume can say why it
 * trains with the saved config rather than silently mixing the two.
 */
import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import type { Experiment } from '../contract/experiment';

/** At most this many lines; the rest is summed up as "… and N more". */
const MAX_LINES = 4;

export function configChanges(saved: Experiment, current: unknown): string[] {
  const lines: string[] = [];
  collect(saved, current, '', lines);
  return lines.length > MAX_LINES
    ? [...lines.slice(0, MAX_LINES), l10n.t('… and {0} more', lines.length - MAX_LINES)]
    : lines;
}

function collect(before: unknown, after: unknown, path: string, lines: string[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      collect(before[key], after[key], path ? `${path}.${key}` : key, lines);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    lines.push(`${path || l10n.t('the experiment')}: ${show(before)} → ${show(after)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value in one short piece: long arrays and objects are abbreviated. */
function show(value: unknown): string {
  if (value === undefined) return l10n.t('(none)');
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** The changes in `file` since `saved` was recorded; a file that cannot be read or parsed now says so. */
export function changesSince(saved: Experiment, file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [l10n.t('{0} cannot be read now', basename(file))];
  }
  const errors: ParseError[] = [];
  const current: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: false });
  return errors.length > 0
    ? [l10n.t('{0} is not valid JSON now', basename(file))]
    : configChanges(saved, current);
}
