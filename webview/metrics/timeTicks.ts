/**
 * Ticks for the wall-time x axis. chart.js places linear ticks at 0, 0.5, 1, 1.5…
 * seconds, which read "0s 1s 1s 2s" once rounded to whole seconds, and at 50, 100,
 * 150 s, which read "50s 1:40 2:30". A clock has its own nice steps (1, 2, 5, 10,
 * 15, 30 seconds, then minutes, then hours), as on any stopwatch axis.
 */

/** Step sizes in seconds, smallest first. */
const TIME_STEPS = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** The smallest nice step that puts at most `maxTicks` ticks on [min, max]. */
export function wallTimeStep(min: number, max: number, maxTicks: number): number {
  const span = Math.max(0, max - min);
  const count = Math.max(2, Math.floor(maxTicks));
  for (const step of TIME_STEPS) if (span / step <= count - 1) return step;
  // Longer than the table: whole days.
  return 86400 * Math.ceil(span / (count - 1) / 86400);
}

/** Tick values: multiples of one nice step inside [min, max], each distinct once labelled. */
export function wallTimeTicks(min: number, max: number, maxTicks: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  const step = wallTimeStep(min, max, maxTicks);
  const ticks: number[] = [];
  // Integer multiples avoid float drift (0.1 + 0.2 …) in the values and their labels.
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
    ticks.push(Number((k * step).toFixed(1)));
  }
  return ticks;
}

/**
 * Label of a time: 45s, 3:07, 1:02:03; with a tenth of a second ("1.5s") when the
 * axis steps by less than a second, so neighbouring ticks never read the same.
 */
export function formatSeconds(seconds: number, step = 1): string {
  if (!Number.isFinite(seconds)) return '';
  if (step < 1 && Math.abs(seconds) < 60) return `${Number(seconds.toFixed(1))}s`;
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
