/**
 * The LSTM/GRU inside view of one run ("Look Inside (LSTM/GRU)"): for a chosen test example or
 * typed text, every recurrent layer's hidden state and gates over time, the model's answer and
 * which letters moved it, from the run's best checkpoint (else the last). The model runs in the
 * run's inference process, the one the playground uses (runInference.ts, protocol/playground.ts);
 * a newer checkpoint reopens it and the view asks again.
 */
import * as vscode from 'vscode';
import { RNN_INSIDE, RNN_INSIDE_VIEW_TYPE, type HostToRnnInside } from '../../protocol/rnnInsidePanel';
import { hasRecurrentLayers, readRunInfoAsync } from '../../runs/runReader';
import type { InferencePanelSpec } from './inferencePanel';

export const RNN_INSIDE_PANEL: InferencePanelSpec<HostToRnnInside> = {
  viewType: RNN_INSIDE_VIEW_TYPE,
  script: 'rnnInside.js',
  title: () => vscode.l10n.t('Look Inside'),
  styles: ['rnnInside.css'],
  runTitle: (label) => vscode.l10n.t('Look Inside: {0}', label),
  runMessage: (run) => ({ type: 'rnnInside/run', run }),
  relays: RNN_INSIDE.isReply,
  accepts: RNN_INSIDE.isRequest,
};

/**
 * Why `runDir` has no LSTM/GRU inside view, in the display language, or undefined when it has
 * one: the panel opens only for models with lstm or gru layers.
 */
export async function whyNoRnnInside(runDir: string): Promise<string | undefined> {
  const info = await readRunInfoAsync(runDir);
  if (!info) return vscode.l10n.t('{0} has no readable run.json.', runDir);
  if (hasRecurrentLayers(info) === true) return undefined;
  return vscode.l10n.t(
    '{0} has no lstm or gru layers: Look Inside (LSTM/GRU) shows the hidden states and gates of recurrent models.',
    `${info.experiment} / ${info.id}`,
  );
}
