/**
 * Folders whose `<experiment>/<run>/` subfolders are runs: each workspace folder's
 * `.modellab/runs`, plus the folders of the `modelLab.runFolders` setting (an exported
 * PyTorch project's runs, a remote machine's synced folder, a CI artefact).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { resolveRunFolders } from './runFolderPaths';

export const RUN_FOLDERS_SETTING = 'modelLab.runFolders';

/** `<workspace folder>/.modellab/runs` for each open folder. */
export function workspaceRunsDirs(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) =>
    join(folder.uri.fsPath, '.modellab', 'runs'),
  );
}

/** The folders listed in `modelLab.runFolders`, as absolute paths (runFolderPaths.ts). */
export function configuredRunsDirs(): string[] {
  return resolveRunFolders(
    vscode.workspace.getConfiguration().get<unknown>(RUN_FOLDERS_SETTING),
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  );
}

export function allRunsDirs(): string[] {
  return [...new Set([...workspaceRunsDirs(), ...configuredRunsDirs()])];
}

/**
 * Calls `onChange` when a run appears, changes or goes in a configured folder (VS Code watches
 * folders outside the workspace only through explicit patterns), or when the setting changes.
 */
export function watchConfiguredRunsDirs(onChange: () => void): vscode.Disposable {
  let watchers: vscode.Disposable[] = [];
  const attach = (): void => {
    for (const watcher of watchers) watcher.dispose();
    watchers = configuredRunsDirs().map((dir) => {
      const watcher = vscode.workspace.createFileSystemWatcher(
        // `*` and `*/*`: a new experiment or run folder, whose files can be written before they are watched.
        new vscode.RelativePattern(vscode.Uri.file(dir), '{*,*/*,*/*/*}'),
      );
      watcher.onDidCreate(onChange);
      watcher.onDidChange(onChange);
      watcher.onDidDelete(onChange);
      return watcher;
    });
  };
  attach();
  const settings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration(RUN_FOLDERS_SETTING)) return;
    attach();
    onChange();
  });
  return new vscode.Disposable(() => {
    settings.dispose();
    for (const watcher of watchers) watcher.dispose();
  });
}
