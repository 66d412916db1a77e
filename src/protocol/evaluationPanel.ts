/**
 * Channel between the extension host and the evaluation webview (test-split
 * report of one run). The webview sends `ready` first; the host then sends the
 * report, and again whenever eval.json changes.
 */
import { type EvalReport, isEvalReport } from '../contract/evalReport';
import type { WebviewReadyMessage } from './webviewReady';
import { isPanelRun, messageGuard, type PanelRun } from './panelRuns';

export const EVALUATION_VIEW_TYPE = 'modelLab.evaluation';

/** `report` is null when the run has no eval.json (yet); `message` then says why. */
export interface EvalReportMessage {
  type: 'report';
  run: PanelRun;
  report: EvalReport | null;
  message?: string;
}

export type HostToEvaluation = EvalReportMessage;

export const isEvalReportMessage = messageGuard<EvalReportMessage>(
  'report',
  (m) =>
    isPanelRun(m.run) &&
    (m.report === null || isEvalReport(m.report)) &&
    (m.message === undefined || typeof m.message === 'string'),
);

/** The evaluation webview only ever says `ready` (see webviewReady.ts). */
export type EvaluationToHost = WebviewReadyMessage;
