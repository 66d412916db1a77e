/**
 * What the user writes about a run (its name, tags and notes, edited in the runs table),
 * kept in run.json next to what the trainer writes. Both write the whole file (atomically),
 * so each keeps the other's fields: the table rewrites run.json as it is on disk with only
 * these fields changed, and a RunWriter takes these fields from the disk before it writes,
 * each under the run's run.json lock (runInfoLock.ts) so neither writes back a stale copy.
 */
import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../contract/guards';
import { writeJsonAtomic } from './atomicFile';
import { RUN_FILES, type RunInfo } from './runFiles';
import { RunFolderError } from './runFolderError';
import { withRunInfoLock } from './runInfoLock';

export const ANNOTATION_FIELDS = ['name', 'tags', 'notes'] as const;
export type RunAnnotations = Pick<RunInfo, (typeof ANNOTATION_FIELDS)[number]>;

function readInfoObject(runDir: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(runDir, RUN_FILES.info), 'utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `info` with the annotation fields as run.json on disk has them (absent there: absent
 * here), or `info` unchanged when there is no readable run.json yet.
 */
export function withAnnotationsFromDisk<T extends object>(runDir: string, info: T): T {
  const onDisk = readInfoObject(runDir);
  if (!onDisk) return info;
  const merged: Record<string, unknown> = { ...(info as Record<string, unknown>) };
  for (const field of ANNOTATION_FIELDS) {
    if (Object.hasOwn(onDisk, field)) merged[field] = onDisk[field];
    else delete merged[field];
  }
  return merged as T;
}

/**
 * Sets the given annotation fields in run.json, keeping every other field as it is on disk.
 * An empty name or notes, or no tags, removes the field. Throws a RunFolderError when the
 * folder has no readable run.json (another tool's run has nowhere to keep them).
 */
export function saveRunAnnotations(runDir: string, patch: RunAnnotations): void {
  withRunInfoLock(runDir, () => writeAnnotations(runDir, patch));
}

function writeAnnotations(runDir: string, patch: RunAnnotations): void {
  const info = readInfoObject(runDir);
  if (!info) {
    throw new RunFolderError(
      l10n.t('Cannot save the name, tags or notes of {0}: it has no readable {1}.', runDir, RUN_FILES.info),
      runDir,
    );
  }
  for (const field of ANNOTATION_FIELDS) {
    if (!Object.hasOwn(patch, field)) continue;
    const value = patch[field];
    const empty = value === undefined || (Array.isArray(value) ? value.length === 0 : value.trim() === '');
    if (empty) delete info[field];
    else info[field] = value;
  }
  writeJsonAtomic(join(runDir, RUN_FILES.info), info, runDir);
}
