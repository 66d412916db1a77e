/**
 * An image folder's decoding in the terminal: a line when it has lasted a second (a folder read
 * faster than that needs no word) and, if that line was printed, one when it ends.
 */
import type { DataReading } from '../protocol/training';
import { describeEvent } from '../runs/trainerEventText';

const QUIET_MS = 1000;

export function readingLines(
  print: (line: string) => void,
  now: () => number = Date.now,
): (event: DataReading) => void {
  let began: number | undefined;
  let told = false;
  return (event) => {
    const time = now();
    if (event.done === 0) began = time;
    if (!told && event.done < event.total && began !== undefined && time - began >= QUIET_MS) {
      told = true;
      print(describeEvent({ ...event, done: 0 })!);
    }
    if (told && event.done === event.total) print(describeEvent(event)!);
  };
}
