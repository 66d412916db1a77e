import * as vscode from 'vscode';
import { registerEngineCheckCommands } from './engineCheck/engineCheckCommands';
import { registerExperimentCommands } from './experiments/experimentCommands';
import { registerExportCommands } from './export/exportCommands';
import { registerOnnxModelEditor } from './onnxModel/onnxModelEditor';
import { registerPanelCommands } from './panels/panelCommands';
import { TrainingProcessProber } from './runs/attentionProber';
import { registerRunCommands } from './runs/runCommands';
import { forkTrainingProcess } from './trainingProcess/forkTrainingProcess';

/** Wires services and command groups together; holds no logic of its own. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(...registerEngineCheckCommands(context.extensionUri));
  context.subscriptions.push(...registerExperimentCommands(context.extensionUri));
  const prober = new TrainingProcessProber(() => forkTrainingProcess(context.extensionUri));
  context.subscriptions.push(...registerPanelCommands(context.extensionUri, context.workspaceState, prober));
  context.subscriptions.push(...registerRunCommands(context.extensionUri));
  context.subscriptions.push(...registerExportCommands());
  context.subscriptions.push(...registerOnnxModelEditor(context.extensionUri));
}

export function deactivate(): void {}
