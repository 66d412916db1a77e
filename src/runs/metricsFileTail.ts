/**
 * Tails a run's JSON-lines file (metrics.jsonl, dynamics.jsonl): each `read()` returns
 * the records appended since the previous one. A file that shrank (rewritten, or a new
 * run reused the folder) is read again from the start and flagged as a reset. Plain
 * Node, so the CLI can use it too.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlTail } from './jsonlTail';
import { isDynamicsRecord, type DynamicsRecord } from '../contract/dynamicsRecord';
import { type MetricRecord, toMetricRecord } from '../contract/metricRecord';
import { RUN_FILES } from './runFiles';

/** Largest slice read at once, so a huge finished run is streamed in pieces rather than one buffer. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export class JsonlFileTail<T> {
  private offset = 0;
  private tail: JsonlTail<T>;

  constructor(
    readonly path: string,
    private readonly toRecord: (value: unknown) => T | undefined,
  ) {
    this.tail = new JsonlTail(toRecord);
  }

  /** Starts over from the first byte on the next read (the reader lost what it had). */
  restart(): void {
    this.offset = 0;
    this.tail = new JsonlTail(this.toRecord);
  }

  /** Records appended since the last read; `reset` when they replace everything read before. */
  async read(): Promise<{ records: T[]; reset: boolean }> {
    let reset = this.offset === 0;
    let file;
    try {
      file = await open(this.path, 'r');
    } catch {
      return { records: [], reset: false }; // not written yet
    }
    try {
      const { size } = await file.stat();
      if (size < this.offset) {
        this.restart();
        reset = true;
      }
      const records: T[] = [];
      while (this.offset < size) {
        const length = Math.min(CHUNK_BYTES, size - this.offset);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await file.read(buffer, 0, length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        for (const record of this.tail.push(buffer.subarray(0, bytesRead))) records.push(record);
      }
      return { records, reset };
    } finally {
      await file.close();
    }
  }
}

export class MetricsFileTail extends JsonlFileTail<MetricRecord> {
  constructor(runDir: string) {
    super(join(runDir, RUN_FILES.metrics), toMetricRecord);
  }
}

export class DynamicsFileTail extends JsonlFileTail<DynamicsRecord> {
  constructor(runDir: string) {
    super(join(runDir, RUN_FILES.dynamics), (value) => (isDynamicsRecord(value) ? value : undefined));
  }
}
