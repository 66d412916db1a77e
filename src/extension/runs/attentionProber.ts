/**
 * Runs the attention panel's custom probes in a short-lived training process
 * (never in the extension host or the webview): fork, ask once, answer,
 * end the process.
 */
import type { ChildProcess } from 'node:child_process';
import * as l10n from '@vscode/l10n';
import { isAttentionProbeReply, type ProbedAttention } from '../../protocol/attentionProbe';
import { readCheckpointPosition } from '../../runs/checkpoints';
import { readRunInfo } from '../../runs/runReader';
import type { AttentionProber } from '../panels/attentionPanel';

/** A probe compiles the model once; this is far above that, and ends a hung process. */
const PROBE_TIMEOUT_MS = 120_000;

export class TrainingProcessProber implements AttentionProber {
  constructor(private readonly fork: () => ChildProcess) {}

  async unavailable(runDir: string): Promise<string | undefined> {
    const info = readRunInfo(runDir);
    if (!info) return l10n.t('This run has no readable run.json.');
    if (info.config.task !== 'language-model')
      return l10n.t('Custom probes need a language model (a Transformer on text).');
    if (!readCheckpointPosition(runDir, 'best') && !readCheckpointPosition(runDir, 'last')) {
      return l10n.t('This run has saved no checkpoint yet.');
    }
    return undefined;
  }

  probe(runDir: string, text: string): Promise<ProbedAttention> {
    const child = this.fork();
    return new Promise<ProbedAttention>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(l10n.t('The attention probe did not answer in time.'))),
        PROBE_TIMEOUT_MS,
      );
      child.on('message', (message: unknown) => {
        if (!isAttentionProbeReply(message)) return;
        clearTimeout(timer);
        if (message.type === 'attentionProbe/result')
          resolve({ snapshot: message.snapshot, checkpoint: message.checkpoint });
        else reject(new Error(message.message));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            l10n.t(
              'The probe process ended ({0}) before answering.',
              signal ?? l10n.t('exit code {0}', String(code)),
            ),
          ),
        );
      });
      child.send({ type: 'attentionProbe/run', runDir, text });
    }).finally(() => child.kill());
  }
}
