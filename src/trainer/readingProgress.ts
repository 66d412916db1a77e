/**
 * An image folder's decoding as `reading` events: its start and end always, in between at most
 * a few times a second, so that thousands of photos do not flood the host with messages.
 */
import type { ReadingProgress } from '../data/api';
import type { DataReading } from '../protocol/training';

const EVERY_MS = 250;

export function readingEvents(
  emit: (event: DataReading) => void,
  now: () => number = Date.now,
): ReadingProgress {
  let last = -Infinity;
  return (done, total) => {
    const time = now();
    if (done !== 0 && done !== total && time - last < EVERY_MS) return;
    last = time;
    emit({ type: 'reading', done, total });
  };
}
