import * as vscode from 'vscode';
import { registerEngineCheckCommands } from './engineCheck/engineCheckCommands';
import { registerExperimentCommands } from './experiments/experimentCommands';
import { registerPanelCommands } from './panels/panelCommands';
import { registerRunCommands } from './runs/runCommands';

/** Wires services and command groups together; holds no logic of its own. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(...registerEngineCheckCommands(context.extensionUri));
  context.subscriptions.push(...registerExperimentCommands(context.extensionUri));
  context.subscriptions.push(...registerPanelCommands(context.extensionUri));
  context.subscriptions.push(...registerRunCommands(context.extensionUri));
}

export function deactivate(): void {}
