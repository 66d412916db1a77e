import type { PanelRun } from '../../protocol/panelRuns';
import { metricsTailFor } from '../../runs/foreign/foreignMetricsTail';
import { DynamicsFileTail } from '../../runs/metricsFileTail';
import type { DynamicsRecord } from '../../contract/dynamicsRecord';
import type { MetricRecord } from '../../contract/metricRecord';
import type { IDisposable } from '../lifecycle';
import { watchFolder } from './watchFolder';

export type Consume<T> = (records: T[], reset: boolean) => void | Promise<void>;
export type ConsumeRecords = Consume<MetricRecord>;

interface Tail<T> {
  restart(): void;
  read(): Promise<{ records: T[]; reset: boolean }>;
}

/**
 * Reads a tail one read after another. A start-over is queued here too: restarting
 * the tail while a read is in flight would let that read advance the fresh offset
 * past bytes nobody sent, and the reloaded webview would miss them.
 */
class SerialTail<T> {
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly tail: Tail<T>) {}

  read(fromStart: boolean, consume: Consume<T>): Promise<void> {
    this.reading = this.reading.then(async () => {
      if (fromStart) this.tail.restart();
      const { records, reset } = await this.tail.read();
      if (records.length > 0 || reset) await consume(records, reset);
    });
    return this.reading;
  }
}

/**
 * One run shown in a metrics panel: its metrics tail (metrics.jsonl, or TensorBoard /
 * Lightning files of a folder from another tool), its dynamics.jsonl tail, and the folder
 * watcher that says when to read them. Free of `vscode` so it is unit-tested.
 */
export class RunFeed implements IDisposable {
  private readonly metrics: SerialTail<MetricRecord>;
  private readonly dynamics: SerialTail<DynamicsRecord>;
  private readonly watcher: IDisposable;

  constructor(
    public run: PanelRun,
    onChange: () => void,
  ) {
    this.metrics = new SerialTail(metricsTailFor(run.runDir));
    this.dynamics = new SerialTail(new DynamicsFileTail(run.runDir));
    this.watcher = watchFolder(run.runDir, onChange);
  }

  /** Hands the records appended since the last read to `consume`. */
  read(consume: ConsumeRecords): Promise<void> {
    return this.metrics.read(false, consume);
  }

  /** Hands every record from the first line, flagged as a reset (the webview reloaded). */
  readFromStart(consume: ConsumeRecords): Promise<void> {
    return this.metrics.read(true, consume);
  }

  /** The same for the run's training dynamics (dynamics.jsonl; none when it records none). */
  readDynamics(fromStart: boolean, consume: Consume<DynamicsRecord>): Promise<void> {
    return this.dynamics.read(fromStart, consume);
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
