/**
 * Tick values for a logarithmic y axis. chart.js puts a tick at every 1…9 × 10^k,
 * so a loss falling from 3 to 0.2 gets labels 0.9, 0.8, 0.7, 0.6 piled on top of
 * each other. Keep the 1-2-5 ticks instead (as TensorBoard and matplotlib do),
 * unless that leaves too few to read a value off the axis.
 */
const MIN_TICKS = 3;

/** True for 1, 2 and 5 times a power of ten. */
export function isOneTwoFive(value: number): boolean {
  if (!(value > 0) || !Number.isFinite(value)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6 * m);
}

export function readableLogTicks<T extends { value: number }>(ticks: T[]): T[] {
  const kept = ticks.filter((t) => isOneTwoFive(t.value));
  return kept.length >= MIN_TICKS ? kept : ticks;
}
