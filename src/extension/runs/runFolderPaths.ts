/**
 * The entries of the `modelLab.runFolders` setting as absolute folders. Plain Node (no
 * `vscode`), so the resolution is tested on its own:
 * - only non-blank strings count, without their surrounding blanks (settings are hand-edited);
 * - `~` starts at the home folder, where synced folders often live;
 * - a relative entry starts at the first workspace folder; with no folder open there is
 *   nothing to start from, so it is left out rather than read from the process's cwd;
 * - each folder is listed once, however it was written.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function resolveRunFolders(
  listed: unknown,
  workspaceFolder: string | undefined,
  home: string = homedir(),
): string[] {
  if (!Array.isArray(listed)) return [];
  const folders = listed
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => fromHome(entry, home))
    .map((entry) => (isAbsolute(entry) ? resolve(entry) : workspaceFolder && resolve(workspaceFolder, entry)))
    .filter((entry): entry is string => entry !== undefined && entry !== '');
  return [...new Set(folders)];
}

function fromHome(entry: string, home: string): string {
  if (entry === '~') return home;
  return /^~[/\\]/.test(entry) ? join(home, entry.slice(2)) : entry;
}
