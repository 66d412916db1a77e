/**
 * One owner per run folder. The process that trains a run writes its folder
 * and holds `owner.json` there: its pid, start time and the endpoint (a Unix
 * socket, a named pipe on Windows) where an editor window can attach to it.
 * The claim is atomic (exclusive create), so two processes never write one
 * folder; a claim left by a process that is gone (a crash, a SIGKILL) is
 * stale and taken over. A window that opens finds live runs through it.
 */
import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES } from './runFiles';
import { RunFolderError, runFolderWriteError } from './runFolderError';

export interface RunOwner {
  pid: number;
  startedAt: string;
  /** Where a window connects to follow and stop the run. */
  endpoint: string;
}

/** A fresh endpoint for a training process to listen on. */
export function newEndpoint(pid = process.pid): string {
  const name = `model-lab-${pid}-${randomBytes(4).toString('hex')}`;
  return process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : join(tmpdir(), `${name}.sock`);
}

export function processIsAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readRunOwner(runDir: string): RunOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(runDir, RUN_FILES.owner), 'utf8')) as RunOwner;
    return typeof owner.pid === 'number' && typeof owner.endpoint === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The owner of the run folder when its process is alive; undefined for no owner or a stale one. */
export function liveRunOwner(
  runDir: string,
  isAlive: (pid: number) => boolean = processIsAlive,
): RunOwner | undefined {
  const owner = readRunOwner(runDir);
  return owner && isAlive(owner.pid) ? owner : undefined;
}

/**
 * Claims the run folder for `owner`: an exclusive create of owner.json. A
 * live owner makes the claim fail with a RunFolderError naming it; a stale
 * one is moved aside (only one claimer's rename can succeed) and the claim
 * retried.
 */
export function claimRunFolder(
  runDir: string,
  owner: RunOwner,
  isAlive: (pid: number) => boolean = processIsAlive,
): void {
  const path = join(runDir, RUN_FILES.owner);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(owner, null, 2), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw runFolderWriteError(runDir, error);
    }
    const current = readRunOwner(runDir);
    if (current && current.pid !== owner.pid && isAlive(current.pid)) {
      throw new RunFolderError(
        l10n.t(
          '{0} is already being trained by process {1} (since {2}); one process trains a run at a time.',
          runDir,
          current.pid,
          current.startedAt,
        ),
        runDir,
      );
    }
    try {
      renameSync(path, `${path}.stale`);
    } catch {
      // Another claimer moved it first: try again.
    }
  }
  throw new RunFolderError(l10n.t('Could not claim {0}: other processes keep claiming it.', runDir), runDir);
}

/** Gives the folder up at the end of the run (only the owner's own claim). */
export function releaseRunFolder(runDir: string, pid = process.pid): void {
  if (readRunOwner(runDir)?.pid !== pid) return;
  rmSync(join(runDir, RUN_FILES.owner), { force: true });
  rmSync(join(runDir, `${RUN_FILES.owner}.stale`), { force: true });
}
