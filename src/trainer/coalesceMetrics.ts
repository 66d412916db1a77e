/**
 * Coalesces the trainer's metrics events into one message per interval. A small model
 * trains hundreds of steps a second; a message per chunk would have the extension host
 * append to metrics.jsonl, repaint the status bar and the progress notification and
 * feed open panels hundreds of times a second, starving the editor. Any other event
 * flushes the pending records first, so the host sees events in the order they happened.
 */
import type { MetricRecord } from '../contract/metricRecord';
import type { TrainerEvent } from '../protocol/training';

export function coalesceMetrics(
  send: (event: TrainerEvent) => void,
  intervalMs = 200,
): (event: TrainerEvent) => void {
  let pending: MetricRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const records = pending;
    pending = [];
    send({ type: 'metrics', records });
  };
  return (event) => {
    if (event.type !== 'metrics') {
      flush();
      send(event);
      return;
    }
    pending.push(...event.records);
    timer ??= setTimeout(flush, intervalMs);
  };
}
