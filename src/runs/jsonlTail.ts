/**
 * Incremental reader of an append-only JSON-lines file. Bytes appended since
 * the last read are fed in; only complete lines are parsed, a torn last line
 * (the writer is mid-append, or crashed mid-write) waits for its newline.
 * Lines that are not valid JSON or that `toRecord` rejects are counted and
 * skipped, never fatal.
 */
import { StringDecoder } from 'node:string_decoder';

export class JsonlTail<T> {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Complete lines that were skipped because they did not parse as a record. */
  skipped = 0;

  constructor(private readonly toRecord: (value: unknown) => T | undefined) {}

  /** Feeds appended bytes; returns the records of the lines they completed. */
  push(chunk: Uint8Array | string): T[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.from(chunk));
    const end = this.pending.lastIndexOf('\n');
    if (end < 0) return [];
    const complete = this.pending.slice(0, end);
    this.pending = this.pending.slice(end + 1);
    const records: T[] = [];
    for (const line of complete.split('\n')) {
      if (line.trim() === '') continue;
      const record = this.toRecord(parseLine(line));
      if (record !== undefined) records.push(record);
      else this.skipped++;
    }
    return records;
  }

  /** Text after the last newline: a line still being written. */
  get partial(): string {
    return this.pending;
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
