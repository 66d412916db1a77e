import type { PanelRun } from '../../protocol/panelRuns';
import { metricsTailFor, type MetricsTail } from '../../runs/foreign/foreignMetricsTail';
import type { MetricRecord } from '../../contract/metricRecord';
import type { IDisposable } from '../lifecycle';
import { watchFolder } from './watchFolder';

export type ConsumeRecords = (records: MetricRecord[], reset: boolean) => void | Promise<void>;

/**
 * One run shown in a metrics panel: its metrics tail (metrics.jsonl, or TensorBoard /
 * Lightning files of a folder from another tool) and the folder
 * watcher that says when to read it. Free of `vscode` so it is unit-tested.
 */
export class RunFeed implements IDisposable {
  private readonly tail: MetricsTail;
  private readonly watcher: IDisposable;
  /**
   * Reads run one after another. A start-over is queued here too: restarting
   * the tail while a read is in flight would let that read advance the fresh
   * offset past bytes nobody sent, and the reloaded webview would miss them.
   */
  private reading: Promise<void> = Promise.resolve();

  constructor(
    public run: PanelRun,
    onChange: () => void,
  ) {
    this.tail = metricsTailFor(run.runDir);
    this.watcher = watchFolder(run.runDir, onChange);
  }

  /** Hands the records appended since the last read to `consume`. */
  read(consume: ConsumeRecords): Promise<void> {
    return this.enqueue(false, consume);
  }

  /** Hands every record from the first line, flagged as a reset (the webview reloaded). */
  readFromStart(consume: ConsumeRecords): Promise<void> {
    return this.enqueue(true, consume);
  }

  private enqueue(fromStart: boolean, consume: ConsumeRecords): Promise<void> {
    this.reading = this.reading.then(async () => {
      if (fromStart) this.tail.restart();
      const { records, reset } = await this.tail.read();
      if (records.length > 0 || reset) await consume(records, reset);
    });
    return this.reading;
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
