import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EVALUATION_VIEW_TYPE, type EvalReportMessage } from '../../protocol/evaluationPanel';
import { isEvalReport } from '../../contract/evalReport';
import { RUN_FILES } from '../../runs/runFiles';
import { createRunWebviewPanel, RunPanelHost, type RunPanelSpec } from './runPanelHost';
import { describeRun } from './runTarget';
import { watchFolder } from './watchFolder';

const SPEC: RunPanelSpec = {
  viewType: EVALUATION_VIEW_TYPE,
  script: 'evaluation.js',
  title: () => vscode.l10n.t('Evaluation'),
};

/** What eval.json holds, or why there is nothing to show. */
export async function readEvaluation(runDir: string): Promise<Omit<EvalReportMessage, 'type' | 'run'>> {
  let text: string;
  try {
    text = await readFile(join(runDir, RUN_FILES.eval), 'utf8');
  } catch {
    const { status } = await describeRun(runDir);
    const message =
      status === 'running' || status === 'queued'
        ? vscode.l10n.t(
            'The run is still training: the test-split evaluation (eval.json) is written when it finishes.',
          )
        : vscode.l10n.t(
            'This run has no evaluation: {0} is missing from {1}. Runs write it after the last epoch; a stopped or failed run may not have one.',
            RUN_FILES.eval,
            runDir,
          );
    return { report: null, message };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isEvalReport(value)) return { report: value };
  } catch {
    // fall through: reported below
  }
  return {
    report: null,
    message: vscode.l10n.t('{0} is not a valid evaluation report.', join(runDir, RUN_FILES.eval)),
  };
}

/** Evaluation view of one run: reads eval.json and shows it again whenever it changes. */
export class EvaluationPanel extends RunPanelHost<EvalReportMessage> {
  private static readonly open = new Map<string, EvaluationPanel>();
  private lastSent = '';

  static show(extensionUri: vscode.Uri, runDir: string): EvaluationPanel {
    const existing = EvaluationPanel.open.get(runDir);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return EvaluationPanel.restore(createRunWebviewPanel(extensionUri, SPEC), extensionUri, runDir);
  }

  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, runDir: string): EvaluationPanel {
    return new EvaluationPanel(panel, extensionUri, runDir);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runDir: string,
  ) {
    super(panel, extensionUri, SPEC);
    EvaluationPanel.open.set(runDir, this);
    this._register(watchFolder(runDir, () => void this.send(false)));
  }

  protected sendAll(): Promise<void> {
    return this.send(true);
  }

  /** The evaluation webview sends nothing but `ready`. */
  protected receive(): void {}

  private async send(always: boolean): Promise<void> {
    if (!this.isReady && !always) return;
    const run = await describeRun(this.runDir);
    const message: EvalReportMessage = { type: 'report', run, ...(await readEvaluation(this.runDir)) };
    const text = JSON.stringify(message);
    if (!always && text === this.lastSent) return;
    this.lastSent = text;
    this.panel.title = vscode.l10n.t('Evaluation: {0}', run.label);
    this.post(message);
  }

  override dispose(): void {
    if (EvaluationPanel.open.get(this.runDir) === this) EvaluationPanel.open.delete(this.runDir);
    super.dispose();
  }
}
