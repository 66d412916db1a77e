/**
 * The extension host's entry (package.json "main", dist/extension.js). It starts the startup clock,
 * then loads the rest of Model Lab (src/extension/extension.ts, a bundle of its own:
 * dist/extension-main.js, scripts/nodeBundles.mjs) with its code cache (codeCache.ts). Node reads
 * and compiles a bundle before any of its code runs, so a clock inside it would miss that part of
 * the editor's wait; timed from here, the figures include it, as VS Code's own "code loading"
 * time does.
 */
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { requireWithCodeCache } from './codeCache';
import type * as ModelLab from './extension';
import { startupMark } from './startupClock';

const loadStarted = startupMark();
const main = requireWithCodeCache(join(__dirname, 'extension-main.js'));
const modelLab = main.exports as typeof ModelLab;
const loaded = startupMark();

export function activate(context: vscode.ExtensionContext): ModelLab.ModelLabExports {
  const exports = modelLab.activate(context, { started: loadStarted, ended: loaded }, main.cache);
  // After activate() has returned: writing the cache (a few hundred KB, once per build) is not part of it.
  setImmediate(() => main.saveCache());
  return exports;
}

export function deactivate(): void {
  modelLab.deactivate();
}
