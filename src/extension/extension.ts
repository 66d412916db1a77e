import type * as vscode from 'vscode';
import { useDisplayLanguage } from './displayLanguage';
import { registerEngineCheckCommands } from './engineCheck/engineCheckCommands';
import { registerExperimentCommands } from './experiments/experimentCommands';
import { registerExportCommands } from './export/exportCommands';
import { registerOnnxModelEditor } from './onnxModel/onnxModelEditor';
import { registerPanelCommands } from './panels/panelCommands';
import { TrainingProcessProber } from './runs/attentionProber';
import { registerRunCommands } from './runs/runCommands';
import { registerRunsTableCommands } from './runsTable/runsTableCommands';
import { forkTrainingProcess } from './trainingProcess/forkTrainingProcess';
import type { CodeCacheUse } from './codeCache';
import { startupFigures, startupMark, type ModelLabStartup, type StartupSpan } from './startupClock';

/** What activate() returns: `vscode.extensions.getExtension(...).exports`. */
export interface ModelLabExports {
  startup: ModelLabStartup;
}

/**
 * Wires services and command groups together; holds no logic of its own. Called by the entry
 * (entry.ts), which timed this bundle's loading and says whether it came from the code cache.
 */
export function activate(
  context: vscode.ExtensionContext,
  loading: StartupSpan,
  codeCache: CodeCacheUse,
): ModelLabExports {
  const activateStart = startupMark();
  useDisplayLanguage();
  context.subscriptions.push(...registerEngineCheckCommands(context.extensionUri));
  context.subscriptions.push(...registerExperimentCommands(context.extensionUri));
  const prober = new TrainingProcessProber(() => forkTrainingProcess(context.extensionUri));
  const forkInference = () => forkTrainingProcess(context.extensionUri);
  const runs = registerRunCommands(context.extensionUri);
  context.subscriptions.push(
    ...registerPanelCommands(
      context.extensionUri,
      context.workspaceState,
      prober,
      forkInference,
      runs.liveRuns,
    ),
  );
  context.subscriptions.push(...runs.disposables);
  context.subscriptions.push(
    ...registerRunsTableCommands(context.extensionUri, context.workspaceState, runs.onDidChangeRuns),
  );
  context.subscriptions.push(...registerExportCommands());
  context.subscriptions.push(...registerOnnxModelEditor(context.extensionUri));
  return { startup: startupFigures(loading, codeCache, { started: activateStart, ended: startupMark() }) };
}

export function deactivate(): void {}
