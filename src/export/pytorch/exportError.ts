/** A refusal of the PyTorch export, worded for the user: what is wrong and what to do. Nothing was written. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
