/**
 * The extension host's entry (package.json "main", dist/extension.js). It starts the startup clock,
 * then requires the rest of Model Lab (src/extension/extension.ts, a bundle of its own:
 * dist/extension-main.js, scripts/nodeBundles.mjs). Node reads and compiles a bundle before any of
 * its code runs, so a clock inside it would miss that part of the editor's wait; timed from here,
 * the figures include it, as VS Code's own "code loading" time does.
 */
import type * as vscode from 'vscode';
import type * as ModelLab from './extension';
import { startupMark } from './startupClock';

const loadStarted = startupMark();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- required after the clock started, to time its loading
const modelLab = require('./extension') as typeof ModelLab;
const loaded = startupMark();

export function activate(context: vscode.ExtensionContext): ModelLab.ModelLabExports {
  return modelLab.activate(context, { started: loadStarted, ended: loaded });
}

export function deactivate(): void {
  modelLab.deactivate();
}
