/**
 * Checkpoints: the engine's TrainingState (parameters and optimizer moments)
 * plus the trainer's position, enough to resume mid-epoch. The training
 * process writes them itself (they are large; streaming them to the host
 * would double the work) and tells the host with a `checkpoint` event.
 *
 * Layout of `checkpoints/<kind>/`: `tensors-<step>.bin` holds every tensor as
 * little-endian float32, concatenated; `checkpoint.json` (CheckpointMeta)
 * indexes it and is renamed into place last, so a crash mid-save leaves the
 * previous checkpoint intact.
 */
import * as l10n from '@vscode/l10n';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingState } from '../engine/api';
import { writeFileAtomic, writeJsonAtomic } from './atomicFile';
import { RunFolderError, runFolderWriteError } from './runFolderError';
import { CHECKPOINT_META, RUN_FILES, type CheckpointMeta, type TrainerPosition } from './runFiles';
import type { CheckpointKind } from '../contract/checkpointKind';

export interface Checkpoint {
  state: TrainingState;
  position: TrainerPosition;
}

export function checkpointDir(runDir: string, kind: CheckpointKind): string {
  return join(runDir, RUN_FILES.checkpoints, kind);
}

export function saveCheckpoint(runDir: string, kind: CheckpointKind, checkpoint: Checkpoint): string {
  const dir = checkpointDir(runDir, kind);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw runFolderWriteError(dir, error);
  }
  const entries = Object.entries(checkpoint.state.tensors);
  const tensors: CheckpointMeta['tensors'] = [];
  let offset = 0;
  for (const [name, tensor] of entries) {
    tensors.push({ name, dims: tensor.dims, offset, length: tensor.data.length });
    offset += tensor.data.length;
  }
  const data = new Float32Array(offset);
  for (const [index, [, tensor]] of entries.entries()) data.set(tensor.data, tensors[index].offset);
  const dataFile = `tensors-${checkpoint.position.step}.bin`;
  writeFileAtomic(join(dir, dataFile), new Uint8Array(data.buffer), runDir);
  const meta: CheckpointMeta = {
    format: 1,
    position: checkpoint.position,
    dataFile,
    tensors,
    savedAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(dir, CHECKPOINT_META), meta, runDir);
  // Older data files are unreferenced now that the new index is in place.
  for (const name of readdirSync(dir)) {
    if (name.startsWith('tensors-') && name !== dataFile) rmSync(join(dir, name), { force: true });
  }
  return dir;
}

/**
 * Reads a checkpoint; throws a RunFolderError naming the folder when it is
 * missing, damaged, or holds non-finite numbers (resuming from NaN weights
 * would fail at once and blame the training instead of the file).
 */
export function loadCheckpoint(runDir: string, kind: CheckpointKind): Checkpoint {
  const dir = checkpointDir(runDir, kind);
  const damaged = (why: string): RunFolderError =>
    new RunFolderError(
      l10n.t('The checkpoint in {0} is damaged: {1}. Resume from another run, or train anew.', dir, why),
      dir,
    );
  let text: string;
  try {
    text = readFileSync(join(dir, CHECKPOINT_META), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new RunFolderError(l10n.t('No checkpoint was saved in {0}.', dir), dir, 'ENOENT');
    throw damaged(error instanceof Error ? error.message : String(error));
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    throw damaged(`${CHECKPOINT_META} is not valid JSON`);
  }
  if (!isCheckpointMeta(meta)) throw damaged(`${CHECKPOINT_META} lacks its position or tensor list`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, meta.dataFile));
  } catch (error) {
    throw damaged(
      `${meta.dataFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const total = meta.tensors.reduce((sum, tensor) => sum + tensor.length, 0);
  if (bytes.byteLength !== total * 4)
    throw damaged(`${meta.dataFile} holds ${bytes.byteLength} bytes, expected ${total * 4}`);
  // Copy into an aligned buffer: a Buffer's byteOffset need not be a multiple of 4.
  const floats = new Float32Array(new Uint8Array(bytes).buffer);
  const tensors: TrainingState['tensors'] = {};
  for (const tensor of meta.tensors) {
    const data = floats.slice(tensor.offset, tensor.offset + tensor.length);
    const bad = data.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw damaged(`tensor "${tensor.name}" holds ${data[bad]} at index ${bad}`);
    tensors[tensor.name] = { dims: tensor.dims, data };
  }
  return { state: { step: meta.position.step, tensors }, position: meta.position };
}

/** Enough of a CheckpointMeta to read the tensors it indexes safely. */
function isCheckpointMeta(value: unknown): value is CheckpointMeta {
  const meta = value as Partial<CheckpointMeta> | null;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.dataFile === 'string' &&
    !meta.dataFile.includes('/') &&
    !meta.dataFile.includes('\\') &&
    typeof meta.position === 'object' &&
    meta.position !== null &&
    Number.isInteger(meta.position.step) &&
    Array.isArray(meta.tensors) &&
    meta.tensors.every(
      (t) =>
        typeof t?.name === 'string' &&
        Array.isArray(t.dims) &&
        Number.isInteger(t.offset) &&
        Number.isInteger(t.length) &&
        t.offset >= 0 &&
        t.length >= 0,
    )
  );
}

/** Copies a checkpoint of one run into another (a resumed run keeps the best weights of the run it continues). */
export function copyCheckpoint(fromRunDir: string, toRunDir: string, kind: CheckpointKind): boolean {
  const from = checkpointDir(fromRunDir, kind);
  if (!existsSync(join(from, CHECKPOINT_META))) return false;
  const to = checkpointDir(toRunDir, kind);
  try {
    cpSync(from, to, { recursive: true });
  } catch (error) {
    throw runFolderWriteError(to, error);
  }
  return true;
}

/**
 * Where a resume from `runDir` would continue: its last checkpoint, read in
 * full so a damaged or NaN-filled one is refused before a new run folder
 * exists. Throws a RunFolderError that names the folder and what to do.
 */
export function resumePosition(runDir: string): TrainerPosition {
  if (!existsSync(runDir))
    throw new RunFolderError(
      l10n.t('Cannot resume {0}: the run folder does not exist.', runDir),
      runDir,
      'ENOENT',
    );
  try {
    return loadCheckpoint(runDir, 'last').position;
  } catch (error) {
    if (error instanceof RunFolderError && error.code === 'ENOENT') {
      throw new RunFolderError(
        l10n.t(
          'Cannot resume {0}: it has no saved checkpoint (checkpoints/last); train anew instead.',
          runDir,
        ),
        runDir,
        'ENOENT',
      );
    }
    throw error;
  }
}

/** The position of a saved checkpoint without reading its tensors; undefined when there is none. */
export function readCheckpointPosition(runDir: string, kind: CheckpointKind): TrainerPosition | undefined {
  try {
    const meta = JSON.parse(
      readFileSync(join(checkpointDir(runDir, kind), CHECKPOINT_META), 'utf8'),
    ) as CheckpointMeta;
    return meta.position;
  } catch {
    return undefined;
  }
}
