/**
 * A problem with the user's data, located where the user can fix it. The
 * extension shows it as a notification naming the file; the CLI prints it as
 * `file:line: message`.
 */
export class DataError extends Error {
  override readonly name = 'DataError';

  constructor(
    message: string,
    /** The file (or folder) at fault, as the user wrote it or an absolute path. */
    readonly file?: string,
    /** 1-based line or row in `file`, when one is at fault. */
    readonly line?: number,
    /**
     * The experiment field the error is about, when it is one (e.g. `["data", "columns", 2]` for a
     * column that does not exist); validation reports it there instead of on `data.source`.
     */
    readonly field?: (string | number)[],
  ) {
    super(message);
  }

  /** `file:line: message`, or as much of it as is known. */
  format(): string {
    if (this.file === undefined) return this.message;
    return this.line === undefined
      ? `${this.file}: ${this.message}`
      : `${this.file}:${this.line}: ${this.message}`;
  }
}
