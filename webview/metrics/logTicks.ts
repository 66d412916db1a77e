/**
 * Tick values for a logarithmic y axis. chart.js puts a tick at every 1…9 × 10^k,
 * so a loss falling from 3 to 0.2 gets labels 0.9, 0.8, 0.7, 0.6 piled on top of
 * each other. Keep the 1-2-5 ticks instead (as TensorBoard and matplotlib do),
 * unless that leaves too few to read a value off the axis. On a narrow range
 * (a loss between 0.31 and 0.35) chart.js steps by 0.001, forty labels in a
 * small chart: there the axis is nearly linear, so it gets nice linear steps,
 * as many as the chart's height has room for.
 */
const MIN_TICKS = 3;

/** True for 1, 2 and 5 times a power of ten. */
export function isOneTwoFive(value: number): boolean {
  if (!(value > 0) || !Number.isFinite(value)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6 * m);
}

function isPowerOfTen(value: number): boolean {
  if (!(value > 0) || !Number.isFinite(value)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return Math.abs(mantissa - 1) < 1e-6;
}

/**
 * The ticks to label, at most `maxTicks` of them (the axis length over a label's
 * height). `ticks` are chart.js' ticks in ascending order, first and last at the ends.
 */
export function readableLogTicks<T extends { value: number }>(
  ticks: T[],
  maxTicks = Number.POSITIVE_INFINITY,
): { value: number }[] {
  const limit = Math.max(2, maxTicks);
  const kept = ticks.filter((t) => isOneTwoFive(t.value));
  if (kept.length >= MIN_TICKS) {
    if (kept.length <= limit) return kept;
    // Many decades: powers of ten, then every n-th of those.
    return everyNth(
      ticks.filter((t) => isPowerOfTen(t.value)),
      limit,
    );
  }
  if (ticks.length <= limit) return ticks;
  return niceLinearTicks(ticks[0].value, ticks[ticks.length - 1].value, limit);
}

function everyNth<T>(values: T[], limit: number): T[] {
  const stride = Math.ceil(values.length / limit);
  return values.filter((_, i) => i % stride === 0);
}

/** Multiples of the smallest 1-2-5 step that fit at most `limit` ticks into [min, max]. */
function niceLinearTicks(min: number, max: number, limit: number): { value: number }[] {
  const raw = (max - min) / Math.max(1, limit - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  const values: { value: number }[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max * (1 + 1e-9); k++) {
    values.push({ value: Number((k * step).toFixed(digits)) });
  }
  return values;
}
