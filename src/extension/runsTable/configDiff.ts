/**
 * Read-only documents holding a run's experiment config as saved in its run.json, so two
 * runs' configs open side by side in VS Code's diff editor (`vscode.diff`). The document's
 * path is `<run folder>/config.json`; the provider reads only that folder's run.json.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readRunInfoAsync } from '../../runs/runReader';

export const RUN_CONFIG_SCHEME = 'modellab-run-config';
const FILE = 'config.json';

export function runConfigUri(runDir: string): vscode.Uri {
  return vscode.Uri.file(join(runDir, FILE)).with({ scheme: RUN_CONFIG_SCHEME });
}

class RunConfigProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const runDir = vscode.Uri.joinPath(uri.with({ scheme: 'file' }), '..').fsPath;
    const info = await readRunInfoAsync(runDir);
    if (!info?.config) return `// ${runDir} has no readable run.json with the run's config.\n`;
    return JSON.stringify(info.config, null, 2) + '\n';
  }
}

export function registerRunConfigDocuments(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(RUN_CONFIG_SCHEME, new RunConfigProvider());
}

/** Opens the diff editor: `left`'s config against `right`'s. */
export async function diffRunConfigs(
  left: { runDir: string; name: string },
  right: typeof left,
): Promise<void> {
  await vscode.commands.executeCommand(
    'vscode.diff',
    runConfigUri(left.runDir),
    runConfigUri(right.runDir),
    `Config: ${left.name} ↔ ${right.name}`,
  );
}
