/**
 * Which run folders a panel may reopen after a window reload. The folders come
 * back from the webview's saved state, which the webview itself wrote: it is
 * not to be trusted more than any other message from it. A panel reopens only
 * a run folder of the workspace (`<runs folder>/<experiment>/<run>`) or one the
 * user opened a panel on through a command (remembered per workspace).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** How many folders opened through commands are remembered. */
export const REMEMBERED_RUNS = 100;

export function isRestorableRunDir(
  runDir: unknown,
  runsFolders: readonly string[],
  opened: ReadonlySet<string>,
): runDir is string {
  // Absolute and already normal: no "..", no relative path resolved against who knows what.
  if (typeof runDir !== 'string' || !isAbsolute(runDir) || resolve(runDir) !== runDir) return false;
  if (opened.has(runDir)) return true;
  return runsFolders.some((root) => {
    const inside = relative(resolve(root), runDir);
    const parts = inside.split(sep);
    return !isAbsolute(inside) && parts.length === 2 && parts.every((part) => part !== '' && part !== '..');
  });
}

/** The remembered folders with `runDir` added last, oldest dropped beyond the limit. */
export function rememberRunDir(remembered: readonly string[], runDir: string): string[] {
  return [...remembered.filter((dir) => dir !== runDir), runDir].slice(-REMEMBERED_RUNS);
}
