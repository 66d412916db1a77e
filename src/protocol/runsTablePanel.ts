/**
 * Channel between the extension host and the runs table webview. The webview sends `ready`
 * first; the host answers with every row, then with changes as runs train, appear and go.
 * Every action the webview asks for names runs by folder; the host acts only on folders it
 * has listed in the table.
 */
import { isRecord as isObject, isString } from '../contract/guards';
import { isColumnKey, type ColumnKey } from '../contract/runTable/columns';
import { isRunRow, type RunRow } from '../contract/runTable/runRow';
import type { WebviewReadyMessage } from './webviewReady';
import { anyOf, messageGuard } from './panelRuns';

export const RUNS_TABLE_VIEW_TYPE = 'modelLab.runsTable';

// ── host → webview ────────────────────────────────────────────────────────────

/** Every row: replaces what the webview holds (first load, or a reloaded document). */
export interface AllRowsMessage {
  type: 'allRows';
  rows: RunRow[];
}

/** What changed since the last message: new or changed rows, and the folders that went. */
export interface RowChangesMessage {
  type: 'rowChanges';
  changed: RunRow[];
  removed: string[];
}

/**
 * The layout the user last chose in this workspace (sort and columns), sent before the rows; a
 * webview that restored its own state after a reload keeps that instead.
 */
export interface LayoutMessage {
  type: 'layout';
  layout: RunsTableLayout;
}

export type HostToRunsTable = AllRowsMessage | RowChangesMessage | LayoutMessage;

export const isAllRowsMessage = messageGuard<AllRowsMessage>(
  'allRows',
  (m) => Array.isArray(m.rows) && m.rows.every(isRunRow),
);
export const isRowChangesMessage = messageGuard<RowChangesMessage>(
  'rowChanges',
  (m) =>
    Array.isArray(m.changed) &&
    m.changed.every(isRunRow) &&
    Array.isArray(m.removed) &&
    m.removed.every(isString),
);
export const isLayoutMessage = messageGuard<LayoutMessage>('layout', (m) => isRunsTableLayout(m.layout));
export const isHostToRunsTable = anyOf<HostToRunsTable>(
  isAllRowsMessage,
  isRowChangesMessage,
  isLayoutMessage,
);

// ── webview → host ────────────────────────────────────────────────────────────

export const ANNOTATION_LIMITS = { name: 120, tag: 40, tags: 20, notes: 10_000 } as const;

/** Saves the user's name, tags or notes of one run in its run.json; a field left out is kept. */
export interface AnnotateMessage {
  type: 'annotate';
  runDir: string;
  name?: string;
  tags?: string[];
  notes?: string;
}

export type RunPanelKind = 'metrics' | 'evaluation' | 'attention';

export interface OpenPanelMessage {
  type: 'openPanel';
  runDir: string;
  panel: RunPanelKind;
}

/** Compare the runs in one metrics panel. */
export interface CompareMessage {
  type: 'compare';
  runDirs: string[];
}

export interface RevealMessage {
  type: 'reveal';
  runDir: string;
}

/** Delete the runs; the host asks for confirmation first. */
export interface DeleteMessage {
  type: 'delete';
  runDirs: string[];
}

/** The configs of two runs side by side in VS Code's diff editor. */
export interface DiffConfigsMessage {
  type: 'diffConfigs';
  runDirs: [string, string];
}

/** The user changed the sort or the columns: the host keeps the layout for the next time the table opens. */
export interface SaveLayoutMessage {
  type: 'saveLayout';
  layout: RunsTableLayout;
}

export type RunsTableToHost =
  | WebviewReadyMessage
  | SaveLayoutMessage
  | AnnotateMessage
  | OpenPanelMessage
  | CompareMessage
  | RevealMessage
  | DeleteMessage
  | DiffConfigsMessage;

const isLine =
  (max: number) =>
  (v: unknown): v is string =>
    typeof v === 'string' && v.length <= max && !/[\r\n]/.test(v);
const isTag = (v: unknown): v is string =>
  isLine(ANNOTATION_LIMITS.tag)(v) && v.trim() !== '' && !v.includes(',');
const isRunDirList = (v: unknown, min: number): v is string[] =>
  Array.isArray(v) && v.length >= min && v.every(isString) && new Set(v).size === v.length;

export const isAnnotateMessage = messageGuard<AnnotateMessage>(
  'annotate',
  (m) =>
    isString(m.runDir) &&
    (m.name !== undefined || m.tags !== undefined || m.notes !== undefined) &&
    (m.name === undefined || isLine(ANNOTATION_LIMITS.name)(m.name)) &&
    (m.tags === undefined ||
      (Array.isArray(m.tags) && m.tags.length <= ANNOTATION_LIMITS.tags && m.tags.every(isTag))) &&
    (m.notes === undefined || (typeof m.notes === 'string' && m.notes.length <= ANNOTATION_LIMITS.notes)),
);
export const isOpenPanelMessage = messageGuard<OpenPanelMessage>(
  'openPanel',
  (m) => isString(m.runDir) && ['metrics', 'evaluation', 'attention'].includes(m.panel as string),
);
export const isCompareMessage = messageGuard<CompareMessage>('compare', (m) => isRunDirList(m.runDirs, 2));
export const isRevealMessage = messageGuard<RevealMessage>('reveal', (m) => isString(m.runDir));
export const isDeleteMessage = messageGuard<DeleteMessage>('delete', (m) => isRunDirList(m.runDirs, 1));
export const isSaveLayoutMessage = messageGuard<SaveLayoutMessage>('saveLayout', (m) =>
  isRunsTableLayout(m.layout),
);
export const isDiffConfigsMessage = messageGuard<DiffConfigsMessage>(
  'diffConfigs',
  (m) => isRunDirList(m.runDirs, 2) && m.runDirs.length === 2,
);

// ── webview state (getState / setState, kept across reloads) ─────────────────

/** What the table keeps across closing and reopening it (in the workspace's state): sort and columns. */
export interface RunsTableLayout {
  sort: { column: ColumnKey; descending: boolean };
  /** Columns the user hid or added, by key (the default set otherwise). */
  hidden: ColumnKey[];
  added: ColumnKey[];
}

/** The layout, and what holds only while the panel lives (filters, the chart's metric). */
export interface RunsTableState extends RunsTableLayout {
  query: string;
  statuses: string[];
  experiments: string[];
  /** The metric the parallel-coordinates chart colours runs by. */
  chartMetric?: ColumnKey;
}

const isKeyList = (v: unknown): v is ColumnKey[] => Array.isArray(v) && v.every(isColumnKey);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

export function isRunsTableLayout(value: unknown): value is RunsTableLayout {
  return (
    isObject(value) &&
    isObject(value.sort) &&
    isColumnKey(value.sort.column) &&
    typeof value.sort.descending === 'boolean' &&
    isKeyList(value.hidden) &&
    isKeyList(value.added)
  );
}

export function isRunsTableState(value: unknown): value is RunsTableState {
  if (!isRunsTableLayout(value)) return false;
  const { query, statuses, experiments, chartMetric } = value as unknown as Record<string, unknown>;
  return (
    isString(query) &&
    isStringList(statuses) &&
    isStringList(experiments) &&
    (chartMetric === undefined || isColumnKey(chartMetric))
  );
}
