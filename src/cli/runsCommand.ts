/**
 * `model-lab runs [--runs-dir D] [--json]`: the runs table for terminals, scripts and CI.
 * The text table shows each run's name, experiment, status, start, duration and device, the
 * settings that differ between the runs, and the final value of each score metric, in the CLI's
 * language (dates as its locale writes them); `--json` gives every run with all its settings (by
 * path) and its final and best metrics, its start as an ISO date and its duration in seconds.
 */
import * as l10n from '@vscode/l10n';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { cellValue, metricKeys, type ColumnKey } from '../contract/runTable/columns';
import { columnTitle, shortSettingNames } from '../contract/runTable/columnTitles';
import { differingSettings } from '../contract/runTable/differingSettings';
import { formatCell } from '../contract/runTable/formatCell';
import { scoreKeys } from '../contract/runTable/metricColumns';
import type { RunRow } from '../contract/runTable/runRow';
import { sortRows } from '../contract/runTable/sortRows';
import { columnWords } from '../protocol/runTableColumnWords';
import { statusText } from '../protocol/runStatusText';
import { timeWords } from '../protocol/timeText';
import { RunTableReader } from '../runs/table/runTableReader';
import { terminalTable } from './terminalTable';

/** Exit codes: 0 listed (also when there are no runs yet), 2 the runs folder is not a folder. */
export const RUNS_EXIT = { listed: 0, invalid: 2 } as const;

/** A cell wider than this is cut with an ellipsis, so one long name does not push every column off screen. */
const MAX_CELL = 32;

export async function runsCommand(options: {
  runsDir: string;
  json?: boolean;
  /** The BCP 47 tag the text table's dates are written for. */
  locale: string;
}): Promise<number> {
  const runsDir = resolve(options.runsDir);
  if (existsSync(runsDir) && !statSync(runsDir).isDirectory()) {
    console.error(
      l10n.t('{0} is not a folder: pass the folder that holds <experiment>/<run>/ with --runs-dir.', runsDir),
    );
    return RUNS_EXIT.invalid;
  }
  // Oldest first: the newest run ends up next to the prompt.
  const rows = sortRows(await new RunTableReader().read([runsDir]), { column: 'start', descending: false });
  if (options.json) {
    process.stdout.write(JSON.stringify(jsonReport(runsDir, rows), null, 2) + '\n');
  } else if (rows.length === 0) {
    console.log(
      l10n.t(
        'No runs in {0}. Train an experiment (model-lab train <experiment>) or pass --runs-dir.',
        runsDir,
      ),
    );
  } else {
    process.stdout.write(textTable(rows, options.locale));
  }
  return RUNS_EXIT.listed;
}

function jsonReport(runsDir: string, rows: RunRow[]): object {
  return {
    runsDir,
    differingSettings: differingSettings(rows),
    runs: rows.map((row) => ({
      runDir: row.runDir,
      experiment: row.experiment,
      id: row.id,
      name: row.name,
      status: row.status,
      startedAt: row.startedAt ?? null,
      durationSeconds: row.duration ?? null,
      device: row.device ?? null,
      tags: row.tags,
      notes: row.notes,
      settings: row.settings,
      final: row.final,
      best: row.best,
    })),
  };
}

function cut(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
}

/**
 * Columns padded to their widest cell, two spaces apart, a rule under the header. Headers,
 * statuses, durations and dates are in the CLI's language (run.json keeps the English status);
 * a Chinese character takes two terminal columns.
 */
export function textTable(rows: readonly RunRow[], locale: string): string {
  const settings = differingSettings(rows);
  const names = shortSettingNames(settings);
  const columns: ColumnKey[] = [
    'name',
    'experiment',
    'status',
    'start',
    'duration',
    'device',
    ...settings.map((path): ColumnKey => `setting:${path}`),
    ...scoreKeys(metricKeys(rows)).map((key): ColumnKey => `final:${key}`),
  ];
  const words = columnWords();
  const time = timeWords(locale);
  const header = columns.map((column) => columnTitle(column, names, words));
  const body = rows.map((row) =>
    columns.map((column) =>
      column === 'status' ? statusText(row.status) : cut(formatCell(column, cellValue(row, column), time)),
    ),
  );
  return terminalTable(header, body);
}
