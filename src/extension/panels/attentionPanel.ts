import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  ATTENTION_VIEW_TYPE,
  isProbeRequestMessage,
  isRequestSnapshotMessage,
  type HostToAttention,
} from '../../protocol/attentionPanel';
import type { ProbedAttention } from '../../protocol/attentionProbe';
import { RUN_FILES } from '../../runs/runFiles';
import { listSnapshotSteps, noAttentionMessage, readSnapshot } from './attentionFiles';
import { createRunWebviewPanel, RunPanelHost, type RunPanelSpec } from './runPanelHost';
import { readRunInfoAsync } from '../../runs/runReader';
import { describeRun } from './runTarget';
import { watchFolder } from './watchFolder';

const SPEC: RunPanelSpec = {
  viewType: ATTENTION_VIEW_TYPE,
  script: 'attention.js',
  title: () => vscode.l10n.t('Attention'),
};

/**
 * Runs a finished model on another probe text and returns its attention maps.
 * Provided by the training side; `unavailable` says why a run cannot be probed.
 */
export interface AttentionProber {
  unavailable(runDir: string): Promise<string | undefined>;
  probe(runDir: string, text: string): Promise<ProbedAttention>;
}

/** Attention heatmaps of one run: lists attention/ snapshots (growing while live) and serves them on request. */
export class AttentionPanel extends RunPanelHost<HostToAttention> {
  private static readonly open = new Map<string, AttentionPanel>();
  private steps: number[] = [];
  /** Status and probe availability last told to the webview. */
  private told: string | undefined;

  static show(extensionUri: vscode.Uri, runDir: string, prober: AttentionProber | undefined): AttentionPanel {
    const existing = AttentionPanel.open.get(runDir);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return AttentionPanel.restore(createRunWebviewPanel(extensionUri, SPEC), extensionUri, runDir, prober);
  }

  static restore(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    runDir: string,
    prober: AttentionProber | undefined,
  ): AttentionPanel {
    return new AttentionPanel(panel, extensionUri, runDir, prober);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runDir: string,
    private readonly prober: AttentionProber | undefined,
  ) {
    super(panel, extensionUri, SPEC);
    AttentionPanel.open.set(runDir, this);
    this._register(watchFolder(join(runDir, RUN_FILES.attention), () => void this.sendSteps(false)));
    this._register(watchFolder(runDir, () => void this.sendRun(false)));
  }

  protected async sendAll(): Promise<void> {
    await this.sendRun(true);
    await this.sendSteps(true);
  }

  /**
   * The run's name, status and whether it can be probed; again when either
   * changes (a live run becomes probe-able at its first checkpoint).
   */
  private async sendRun(always: boolean): Promise<void> {
    if (!this.isReady && !always) return;
    const run = await describeRun(this.runDir);
    const reason = this.prober
      ? await this.prober.unavailable(this.runDir)
      : vscode.l10n.t('Custom probes need the training process, which this window has not provided.');
    const told = `${run.status}\n${reason ?? ''}`;
    if (!always && told === this.told) return;
    this.told = told;
    this.panel.title = vscode.l10n.t('Attention: {0}', run.label);
    this.post({ type: 'run', run, probeAvailable: reason === undefined, probeUnavailableReason: reason });
  }

  protected async receive(message: unknown): Promise<void> {
    if (isRequestSnapshotMessage(message)) {
      const snapshot = await readSnapshot(this.runDir, message.step);
      if (snapshot instanceof Error) this.post({ type: 'noAttention', message: snapshot.message });
      else this.post({ type: 'snapshot', snapshot });
    } else if (isProbeRequestMessage(message) && this.prober) {
      try {
        const { snapshot, checkpoint } = await this.prober.probe(this.runDir, message.text);
        this.post({ type: 'snapshot', snapshot, probeText: message.text, checkpoint });
      } catch (error) {
        this.post({ type: 'probeError', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private async sendSteps(always: boolean): Promise<void> {
    if (!this.isReady && !always) return;
    const steps = await listSnapshotSteps(this.runDir);
    if (!always && steps.length === this.steps.length && steps.every((s, i) => s === this.steps[i])) return;
    this.steps = steps;
    if (steps.length === 0)
      this.post({ type: 'noAttention', message: noAttentionMessage(await readRunInfoAsync(this.runDir)) });
    this.post({ type: 'steps', steps });
  }

  override dispose(): void {
    if (AttentionPanel.open.get(this.runDir) === this) AttentionPanel.open.delete(this.runDir);
    super.dispose();
  }
}
