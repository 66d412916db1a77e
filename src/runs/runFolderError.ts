import * as l10n from '@vscode/l10n';

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

const REASONS: Record<string, () => string> = {
  ENOSPC: () => l10n.t('the disk is full — free some space and resume the run'),
  EDQUOT: () => l10n.t('the disk quota is exhausted — free some space and resume the run'),
  EROFS: () => l10n.t('the folder is on a read-only file system — choose a writable runs folder'),
  EACCES: () => l10n.t('permission denied — make the folder writable or choose another runs folder'),
  EPERM: () => l10n.t('permission denied — make the folder writable or choose another runs folder'),
  ENOTDIR: () => l10n.t('a file is in the way of the runs folder — move it or choose another runs folder'),
  EEXIST: () => l10n.t('a file is in the way of the runs folder — move it or choose another runs folder'),
};

/** Wraps a file-system error raised while writing `path` into a RunFolderError naming the folder. */
export function runFolderWriteError(path: string, error: unknown): RunFolderError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    (code && Object.hasOwn(REASONS, code) ? REASONS[code]() : undefined) ??
    (error instanceof Error ? error.message : String(error));
  return new RunFolderError(l10n.t('Cannot write the run folder {0}: {1}.', path, reason), path, code);
}
