/**
 * The playground panel of one run: draw a digit, type a prompt or fill in a table row, and the
 * run's model answers. The model runs in the run's inference process (never in the extension
 * host); the panel relays checked requests to it and all its replies back. While the run
 * trains, a newer checkpoint reopens the model, so the playground follows training.
 */
import * as vscode from 'vscode';
import {
  isPlaygroundPanelRequest,
  PLAYGROUND_VIEW_TYPE,
  type HostToPlayground,
} from '../../protocol/playgroundPanel';
import type { InferencePanelSpec } from './inferencePanel';

export const PLAYGROUND_PANEL: InferencePanelSpec<HostToPlayground> = {
  viewType: PLAYGROUND_VIEW_TYPE,
  script: 'playground.js',
  title: () => vscode.l10n.t('Playground'),
  runTitle: (label) => vscode.l10n.t('Playground: {0}', label),
  runMessage: (run) => ({ type: 'playground/run', run }),
  relays: (_reply): _reply is HostToPlayground & typeof _reply => true,
  accepts: isPlaygroundPanelRequest,
};
