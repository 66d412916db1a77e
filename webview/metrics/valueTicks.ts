/**
 * Labels of a linear y axis. Four significant digits read well on most charts, but a slowly
 * decaying learning rate spans 0.002 to 0.001996: every tick would read "0.002". The labels take
 * as many decimals as the distance between ticks needs, so neighbours always differ.
 */
import { formatValue } from './tooltipText';

/** Float noise in tick values (0.30000000000000004) must not ask for more decimals. */
const MAX_DECIMALS = 15;

export function formatLinearTick(value: number, ticks: readonly { value: number }[]): string {
  const step = smallestGap(ticks);
  if (!(step > 0) || !Number.isFinite(value)) return formatValue(value);
  const decimals = Math.min(MAX_DECIMALS, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  const byStep = Number(value.toFixed(decimals));
  // Whichever says more: the step's decimals, or the usual four significant digits.
  const usual = formatValue(value);
  return String(byStep).length > usual.length ? String(byStep) : usual;
}

function smallestGap(ticks: readonly { value: number }[]): number {
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < ticks.length; i++) {
    const d = Math.abs(ticks[i].value - ticks[i - 1].value);
    if (d > 0 && d < gap) gap = d;
  }
  return gap;
}
