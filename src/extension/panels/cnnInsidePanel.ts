/**
 * The CNN inside view of one run ("Look Inside (CNN)"): for a chosen test example, the input
 * image, the first conv layer's filters and every conv layer's feature maps, from the run's
 * best checkpoint (else the last). The model runs in the run's inference process, the one the
 * playground uses (runInference.ts, protocol/playground.ts); a newer checkpoint reopens it
 * and the view asks again.
 */
import * as vscode from 'vscode';
import { CNN_INSIDE_VIEW_TYPE, CNN_INSIDE, type HostToCnnInside } from '../../protocol/cnnInsidePanel';
import { hasConvLayers, readRunInfoAsync } from '../../runs/runReader';
import type { InferencePanelSpec } from './inferencePanel';

export const CNN_INSIDE_PANEL: InferencePanelSpec<HostToCnnInside> = {
  viewType: CNN_INSIDE_VIEW_TYPE,
  script: 'cnnInside.js',
  title: () => vscode.l10n.t('Look Inside'),
  styles: ['cnnInside.css'],
  runTitle: (label) => vscode.l10n.t('Look Inside: {0}', label),
  runMessage: (run) => ({ type: 'cnnInside/run', run }),
  relays: CNN_INSIDE.isReply,
  accepts: CNN_INSIDE.isRequest,
};

/**
 * Why `runDir` has no CNN inside view, in the display language, or undefined when it has one:
 * the panel opens only for models with conv2d layers.
 */
export async function whyNoCnnInside(runDir: string): Promise<string | undefined> {
  const info = await readRunInfoAsync(runDir);
  if (!info) return vscode.l10n.t('{0} has no readable run.json.', runDir);
  if (hasConvLayers(info) === true) return undefined;
  return vscode.l10n.t(
    '{0} has no conv2d layers: Look Inside (CNN) shows the filters and feature maps of convolutional models.',
    `${info.experiment} / ${info.id}`,
  );
}
