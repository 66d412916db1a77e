/**
 * Tails the metrics of a folder written by another tool: TensorBoard event files
 * (`events.out.tfevents.*`, read incrementally record by record) and Lightning's CSVLogger
 * `metrics.csv` (rewritten whole by Lightning, so re-read whole). Same surface as
 * MetricsFileTail, so a metrics panel follows either kind of folder live.
 */
import { readdirSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricRecord } from '../../contract/metricRecord';
import { MetricsFileTail } from '../metricsFileTail';
import { lightningCsvRecords } from './lightningCsv';
import { readRecords, scalarRecords } from './tfevents';

export const TFEVENTS_PREFIX = 'events.out.tfevents.';
export const LIGHTNING_CSV = 'metrics.csv';

interface EventFile {
  offset: number;
  start: { value?: number };
}

/** What a metrics panel reads a run folder through. */
export interface MetricsTail {
  restart(): void;
  read(): Promise<{ records: MetricRecord[]; reset: boolean }>;
}

export class ForeignMetricsTail implements MetricsTail {
  private events = new Map<string, EventFile>();
  private csvRecordsSent = 0;

  constructor(readonly dir: string) {}

  restart(): void {
    this.events = new Map();
    this.csvRecordsSent = 0;
  }

  async read(): Promise<{ records: MetricRecord[]; reset: boolean }> {
    const fresh = this.events.size === 0 && this.csvRecordsSent === 0;
    const csv = await this.readCsv();
    if (csv.shrank) {
      // Lightning rewrote the file with fewer rows: start every source over.
      this.restart();
      const again = await this.read();
      return { records: again.records, reset: true };
    }
    const records = [...(await this.readEvents()), ...csv.records];
    return { records, reset: fresh && records.length > 0 };
  }

  private async readEvents(): Promise<MetricRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.startsWith(TFEVENTS_PREFIX)).sort();
    } catch {
      return [];
    }
    const records: MetricRecord[] = [];
    for (const name of names) {
      const state = this.events.get(name) ?? { offset: 0, start: {} };
      this.events.set(name, state);
      const file = await open(join(this.dir, name), 'r');
      try {
        const { size } = await file.stat();
        if (size <= state.offset) continue;
        const bytes = Buffer.alloc(size - state.offset);
        const { bytesRead } = await file.read(bytes, 0, bytes.length, state.offset);
        const { payloads, consumed } = readRecords(bytes.subarray(0, bytesRead));
        state.offset += consumed;
        // One by one: a long run's event file holds more scalars than a spread may pass.
        for (const record of scalarRecords(payloads, state.start)) records.push(record);
      } finally {
        await file.close();
      }
    }
    return records;
  }

  private async readCsv(): Promise<{ records: MetricRecord[]; shrank: boolean }> {
    const path = join(this.dir, LIGHTNING_CSV);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return { records: [], shrank: false };
    }
    const all = lightningCsvRecords(text, path);
    if (all.length < this.csvRecordsSent) return { records: [], shrank: true };
    const records = all.slice(this.csvRecordsSent);
    this.csvRecordsSent = all.length;
    return { records, shrank: false };
  }
}

/** True when `names` (a folder's entries) hold metrics of another tool rather than Model Lab's. */
export function holdsForeignMetrics(names: string[]): boolean {
  return (
    !names.includes('metrics.jsonl') &&
    names.some((n) => n.startsWith(TFEVENTS_PREFIX) || n === LIGHTNING_CSV)
  );
}

/**
 * The tail for a folder: Model Lab's metrics.jsonl, or the event files / metrics.csv of
 * another tool. A folder with neither yet is taken for a Model Lab run about to start.
 */
export function metricsTailFor(runDir: string): MetricsTail {
  let names: string[] = [];
  try {
    names = readdirSync(runDir);
  } catch {
    // Not there yet: a run folder about to be written.
  }
  return holdsForeignMetrics(names) ? new ForeignMetricsTail(runDir) : new MetricsFileTail(runDir);
}
