/**
 * How a run picker names a run's folder: relative to the workspace folder that
 * holds it (its name first when the window has several), else under `~` for
 * folders added with modelLab.runFolders. Absolute paths filled the picker's
 * detail line with the same long prefix on every row. Plain Node, no `vscode`.
 */
import { basename, relative, sep } from 'node:path';

export function runLocation(runDir: string, workspaceFolders: readonly string[], home: string): string {
  for (const folder of workspaceFolders) {
    const inside = relative(folder, runDir);
    if (inside !== '' && !inside.startsWith('..') && !inside.startsWith(sep)) {
      return workspaceFolders.length > 1 ? `${basename(folder)}${sep}${inside}` : inside;
    }
  }
  const underHome = home ? relative(home, runDir) : '..';
  return underHome.startsWith('..') || underHome.startsWith(sep) ? runDir : `~${sep}${underHome}`;
}
