/**
 * A run folder that cannot be written or read. The message names the folder
 * and says what to do, because it is shown as-is in a notification or on the
 * terminal.
 */
export class RunFolderError extends Error {
  override readonly name = 'RunFolderError';

  constructor(
    message: string,
    /** The folder (or file) at fault. */
    readonly path: string,
    /** The system error code, e.g. 'ENOSPC', 'EROFS', 'EACCES'. */
    readonly code?: string,
  ) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full — free some space and resume the run',
  EDQUOT: 'the disk quota is exhausted — free some space and resume the run',
  EROFS: 'the folder is on a read-only file system — choose a writable runs folder',
  EACCES: 'permission denied — make the folder writable or choose another runs folder',
  EPERM: 'permission denied — make the folder writable or choose another runs folder',
  ENOTDIR: 'a file is in the way of the runs folder — move it or choose another runs folder',
  EEXIST: 'a file is in the way of the runs folder — move it or choose another runs folder',
};

/** Wraps a file-system error raised while writing `path` into a RunFolderError naming the folder. */
export function runFolderWriteError(path: string, error: unknown): RunFolderError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new RunFolderError(`Cannot write the run folder ${path}: ${reason}.`, path, code);
}
