import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { PanelRun } from '../../protocol/panelRuns';
import { isRecord } from '../../contract/guards';
import { RUN_FILES } from '../../runs/runFiles';
import {
  hasAttentionLayers,
  hasConvLayers,
  hasRecurrentLayers,
  readRunInfoAsync,
} from '../../runs/runReader';
import { allRunsDirs } from '../runs/runsRoots';
import { runLocation } from './runLocation';

/**
 * Which run folder a panel command is about. Commands accept what callers have:
 * `{ runDir }` (Runs view, other commands), a folder Uri (Explorer), a path, or
 * nothing (then a QuickPick of the runs under .modellab/runs).
 */
export function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (isRecord(arg) && typeof arg.runDir === 'string') return arg.runDir;
  return undefined;
}

/** How a panel names a run: "<experiment> / <run id>" from the folder layout, and its status. */
export async function describeRun(runDir: string): Promise<PanelRun> {
  const info = await readRunInfoAsync(runDir);
  const experiment = info?.experiment ?? basename(dirname(runDir));
  const status = info?.status ?? 'unknown';
  const training = status === 'running' || status === 'queued';
  return {
    runDir,
    label: `${experiment} / ${info?.id ?? basename(runDir)}`,
    status,
    opens: {
      evaluation: training || existsSync(join(runDir, RUN_FILES.eval)),
      attention: hasAttentionLayers(info) === true,
      cnn: hasConvLayers(info) === true,
      rnn: hasRecurrentLayers(info) === true,
    },
  };
}

/** Every run folder `<runs folder>/<experiment>/<run>` (workspace and modelLab.runFolders), newest first. */
export async function findRuns(): Promise<string[]> {
  const runs: string[] = [];
  for (const root of allRunsDirs()) {
    for (const experiment of await subfolders(root)) {
      for (const run of await subfolders(join(root, experiment))) runs.push(join(root, experiment, run));
    }
  }
  // Run ids start with their start time, so the folder name orders them.
  return runs.sort((a, b) => basename(b).localeCompare(basename(a)));
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** QuickPick over the workspace's runs; undefined when cancelled or when there are none (the user is told). */
export async function pickRuns(options: {
  title: string;
  canPickMany: boolean;
  exclude?: readonly string[];
}): Promise<string[] | undefined> {
  const exclude = new Set(options.exclude ?? []);
  const dirs = (await findRuns()).filter((d) => !exclude.has(d));
  if (dirs.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Model Lab found no runs under .modellab/runs in this workspace. Train an experiment first.',
      ),
    );
    return undefined;
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const home = homedir();
  const items = await Promise.all(
    dirs.map(async (runDir) => {
      const run = await describeRun(runDir);
      return {
        label: run.label,
        description: run.status,
        detail: runLocation(runDir, folders, home),
        runDir,
      };
    }),
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: options.title,
    canPickMany: options.canPickMany,
    matchOnDetail: true,
    // Live panels and run notifications may take focus while the user picks; the picker stays until
    // they choose or press Escape.
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const list = Array.isArray(picked) ? picked : [picked];
  return list.length > 0 ? list.map((p) => p.runDir) : undefined;
}
