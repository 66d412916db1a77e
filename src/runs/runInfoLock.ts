/**
 * run.json has two kinds of writers: the process training the run (status, step, summary) and
 * the user's annotations (name, tags, notes from the runs table). Each reads the file, changes
 * its own fields and writes the whole file, so without a lock one can write back what it read
 * just before the other's write, and that write is lost (a name, or a run's final status).
 *
 * The lock is the folder `run.json.lock`: making a folder either succeeds or finds it there, on
 * every platform and from every language (the exported project's runfolder.py holds the same
 * lock). It is held for one read-change-write, milliseconds; a lock older than STALE_MS was left
 * by a process that died while holding it and is taken over, so a crash never blocks a run.
 */
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from './runFiles';

const STALE_MS = 2000;
const RETRY_MS = 2;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Makes the lock folder: 'taken'; 'busy' when another process holds it; 'unavailable' when the
 * run folder cannot take it (gone, read-only), which the write that follows reports, naming the folder. */
function tryTake(lock: string): 'taken' | 'busy' | 'unavailable' {
  try {
    mkdirSync(lock);
    return 'taken';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'busy' : 'unavailable';
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_MS;
  } catch {
    return false; // released meanwhile: the next attempt takes it
  }
}

function release(lock: string): void {
  try {
    rmdirSync(lock);
  } catch {
    // Already taken over as stale by another process: nothing left to release.
  }
}

/** Runs `change` (a read-change-write of run.json) while no other process does one in `runDir`. */
export function withRunInfoLock<T>(runDir: string, change: () => T): T {
  const lock = join(runDir, RUN_FILES.infoLock);
  let state = tryTake(lock);
  while (state === 'busy') {
    if (isStale(lock)) release(lock);
    // Synchronous on purpose: every run.json write is synchronous, and the wait is milliseconds.
    else Atomics.wait(sleeper, 0, 0, RETRY_MS);
    state = tryTake(lock);
  }
  try {
    return change();
  } finally {
    if (state === 'taken') release(lock);
  }
}
