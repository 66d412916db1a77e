import * as vscode from 'vscode';
import { registerEngineCheckCommands } from './engineCheck/engineCheckCommands';

/** Wires services and command groups together; holds no logic of its own. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(...registerEngineCheckCommands(context.extensionUri));
}

export function deactivate(): void {}
