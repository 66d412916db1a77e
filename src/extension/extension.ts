import * as vscode from 'vscode';

/** Wires services and command groups together; holds no logic of its own. */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('modelLab.hello', () =>
      vscode.window.showInformationMessage('Model Lab is active.'),
    ),
  );
}

export function deactivate(): void {}
