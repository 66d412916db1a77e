import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { runFolderWriteError } from './runFolderError';

/**
 * Writes a whole file so that a reader sees either the old or the new content,
 * never a half-written one: write a temporary sibling, then rename over.
 * Failures become a RunFolderError naming `folderForErrors`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, folderForErrors: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw runFolderWriteError(folderForErrors, error);
  }
}

export function writeJsonAtomic(path: string, value: unknown, folderForErrors: string): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', folderForErrors);
}
