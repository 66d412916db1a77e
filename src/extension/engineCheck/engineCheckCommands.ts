import * as vscode from 'vscode';
import type { EngineCheckReport } from '../../protocol/engineCheck';
import { EngineCheckPanel } from './engineCheckPanel';
import { requestEngineCheck } from './requestEngineCheck';

export const checkEngineCommand = 'modelLab.checkEngine';

/**
 * Opens the Check Engine panel, runs the check in a forked training process and
 * shows the result there. Resolves with the report (undefined on failure, which
 * is shown in the panel and as an error notification).
 */
async function checkEngine(extensionUri: vscode.Uri): Promise<EngineCheckReport | undefined> {
  const panel = EngineCheckPanel.createOrShow(extensionUri, () => void checkEngine(extensionUri));
  panel.post({ type: 'engineCheck/running' });
  try {
    const report = await requestEngineCheck(extensionUri);
    panel.post({ type: 'engineCheck/show', report });
    return report;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    panel.post({ type: 'engineCheck/failed', message });
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Model Lab could not run onnxruntime-node: {0} Reinstall the extension, or run `npm ci` in a development checkout.',
        message,
      ),
    );
    return undefined;
  }
}

/** The "Model Lab: Check Engine" diagnostic. */
export function registerEngineCheckCommands(extensionUri: vscode.Uri): vscode.Disposable[] {
  return [vscode.commands.registerCommand(checkEngineCommand, () => checkEngine(extensionUri))];
}
