import { type ChildProcess, fork } from 'node:child_process';
import * as vscode from 'vscode';
import { L10N_BUNDLE_ENV } from '../../protocol/training';

/**
 * Forks dist/training-process.js the way language servers run: a separate Node
 * process, so a native crash or out-of-memory in onnxruntime cannot take down the
 * extension host. Inside VS Code `process.execPath` is the host's own runtime
 * (Electron runs it as plain Node). stdout/stderr are piped so callers can keep
 * the child's last words for error messages.
 */
export function forkTrainingProcess(
  extensionUri: vscode.Uri,
  options: { detached?: boolean } = {},
): ChildProcess {
  const entry = vscode.Uri.joinPath(extensionUri, 'dist', 'training-process.js').fsPath;
  return fork(entry, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // A training run's own process group: a window reload that ends the extension host's group leaves it training.
    detached: options.detached ?? false,
    // Never inherit the host's debug or inspector flags: two processes cannot share a port.
    execArgv: [],
    // The process's messages in the display language: the bundle VS Code loaded for the host (none in English).
    env: { ...process.env, [L10N_BUNDLE_ENV]: vscode.l10n.uri?.fsPath ?? '' },
  });
}

/** Keeps the last `limit` characters a child wrote to stderr, for error messages. */
export function captureStderrTail(child: ChildProcess, limit = 2000): () => string {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-limit);
  });
  return () => tail.trim();
}
