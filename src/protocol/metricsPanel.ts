/**
 * Channel between the extension host and the metrics webview. Every message is
 * declared here once; the receiver narrows with the guards below. The webview
 * sends `ready` first; the host buffers until then.
 */
import { isDynamicsRecord, type DynamicsRecord } from '../contract/dynamicsRecord';
import { isMetricRecord, type MetricRecord } from '../contract/metricRecord';
import { isModelSummary, type ModelSummary } from '../contract/modelSummary';
import { isRecord as isObject } from '../contract/guards';
import type { WebviewReadyMessage } from './webviewReady';
import { anyOf, isPanelRun, messageGuard, type PanelRun } from './panelRuns';

export const METRICS_VIEW_TYPE = 'modelLab.metrics';

// ── host → webview ────────────────────────────────────────────────────────────

/** The runs shown, first the one the panel was opened for; replaces the previous list. */
export interface RunsMessage {
  type: 'runs';
  runs: PanelRun[];
}

/** Records of one run: `reset` replaces what the webview holds (file rewritten or first load). */
export interface RecordsMessage {
  type: 'records';
  runDir: string;
  records: MetricRecord[];
  reset: boolean;
}

/** Training-dynamics records (dynamics.jsonl) of the panel's first run; `reset` as for records. */
export interface DynamicsMessage {
  type: 'dynamics';
  runDir: string;
  records: DynamicsRecord[];
  reset: boolean;
}

/** The Model tab: the summary of the first run's model, or why there is none (`summary` null). */
export interface ModelSummaryMessage {
  type: 'modelSummary';
  runDir: string;
  summary: ModelSummary | null;
  message?: string;
}

/**
 * The time left of a run training in this window, as the status bar words it ("ETA 1m 05s");
 * empty once it is unknown or the run ended. Runs trained elsewhere (the CLI) get none.
 */
export interface EtaMessage {
  type: 'eta';
  runDir: string;
  text: string;
}

export type HostToMetrics = RunsMessage | RecordsMessage | DynamicsMessage | ModelSummaryMessage | EtaMessage;

export const isRunsMessage = messageGuard<RunsMessage>(
  'runs',
  (m) => Array.isArray(m.runs) && m.runs.every(isPanelRun),
);
export const isRecordsMessage = messageGuard<RecordsMessage>(
  'records',
  (m) =>
    typeof m.runDir === 'string' &&
    typeof m.reset === 'boolean' &&
    Array.isArray(m.records) &&
    m.records.every(isMetricRecord),
);
export const isDynamicsMessage = messageGuard<DynamicsMessage>(
  'dynamics',
  (m) =>
    typeof m.runDir === 'string' &&
    typeof m.reset === 'boolean' &&
    Array.isArray(m.records) &&
    m.records.every(isDynamicsRecord),
);
export const isModelSummaryMessage = messageGuard<ModelSummaryMessage>(
  'modelSummary',
  (m) =>
    typeof m.runDir === 'string' &&
    (m.summary === null ? typeof m.message === 'string' : isModelSummary(m.summary)),
);
export const isEtaMessage = messageGuard<EtaMessage>(
  'eta',
  (m) => typeof m.runDir === 'string' && typeof m.text === 'string' && m.text.length <= 80,
);
export const isHostToMetrics = anyOf<HostToMetrics>(
  isRunsMessage,
  isRecordsMessage,
  isDynamicsMessage,
  isModelSummaryMessage,
  isEtaMessage,
);

// ── webview → host ────────────────────────────────────────────────────────────

/** "Add run…": the host asks which run to overlay. */
export interface AddRunMessage {
  type: 'addRun';
}
export interface RemoveRunMessage {
  type: 'removeRun';
  runDir: string;
}
/** Export: the host shows a save dialog and writes the file. */
export interface SaveCsvMessage {
  type: 'saveCsv';
  suggestedName: string;
  csv: string;
}
export interface SavePngMessage {
  type: 'savePng';
  suggestedName: string;
  /** data:image/png;base64,… from canvas.toDataURL. */
  dataUrl: string;
}
export interface OpenRelatedMessage {
  type: 'openEvaluation' | 'openAttention' | 'openCnnInside' | 'openRnnInside';
  runDir: string;
}

export type MetricsToHost =
  | WebviewReadyMessage
  | AddRunMessage
  | RemoveRunMessage
  | SaveCsvMessage
  | SavePngMessage
  | OpenRelatedMessage;

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;
/**
 * The largest export a panel may send, in characters (CSV) or data-URL
 * characters (PNG): a compromised or runaway webview must not make the host
 * hold and write gigabytes. 64 Mi characters is a million metric rows.
 */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
/** File names only: no folders, so a message cannot point the save dialog elsewhere. */
const isFileName = (v: unknown): v is string => typeof v === 'string' && /^[\w.\- ]{1,120}$/.test(v);

export const isAddRunMessage = messageGuard<AddRunMessage>('addRun');
export const isRemoveRunMessage = messageGuard<RemoveRunMessage>(
  'removeRun',
  (m) => typeof m.runDir === 'string',
);
export const isSaveCsvMessage = messageGuard<SaveCsvMessage>(
  'saveCsv',
  (m) => isFileName(m.suggestedName) && typeof m.csv === 'string' && m.csv.length <= MAX_EXPORT_CHARS,
);
export const isSavePngMessage = messageGuard<SavePngMessage>(
  'savePng',
  (m) =>
    isFileName(m.suggestedName) &&
    typeof m.dataUrl === 'string' &&
    m.dataUrl.length <= MAX_EXPORT_CHARS &&
    PNG_DATA_URL.test(m.dataUrl),
);
export const isOpenEvaluationMessage = messageGuard<OpenRelatedMessage>(
  'openEvaluation',
  (m) => typeof m.runDir === 'string',
);
export const isOpenAttentionMessage = messageGuard<OpenRelatedMessage>(
  'openAttention',
  (m) => typeof m.runDir === 'string',
);
export const isOpenCnnInsideMessage = messageGuard<OpenRelatedMessage>(
  'openCnnInside',
  (m) => typeof m.runDir === 'string',
);
export const isOpenRnnInsideMessage = messageGuard<OpenRelatedMessage>(
  'openRnnInside',
  (m) => typeof m.runDir === 'string',
);

// ── webview state (getState / setState, handed to the serializer after a reload) ──

export interface MetricsPanelState {
  runDirs: string[];
  smoothing: number;
  logScale: boolean;
  xAxis: 'step' | 'epoch' | 'time';
  hidden: string[];
}

export function isMetricsPanelState(value: unknown): value is MetricsPanelState {
  return (
    isObject(value) &&
    Array.isArray(value.runDirs) &&
    value.runDirs.every((d) => typeof d === 'string') &&
    typeof value.smoothing === 'number' &&
    value.smoothing >= 0 &&
    value.smoothing < 1 &&
    typeof value.logScale === 'boolean' &&
    (value.xAxis === 'step' || value.xAxis === 'epoch' || value.xAxis === 'time') &&
    Array.isArray(value.hidden) &&
    value.hidden.every((h) => typeof h === 'string')
  );
}
