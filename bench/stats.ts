/** Small statistics the benches share. */

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The largest relative distance of any value from the median: 0.1 means all within ±10 %. */
export const spread = (xs: number[]): number => {
  const m = median(xs);
  return Math.max(...xs.map((x) => Math.abs(x / m - 1)));
};

/**
 * The least-squares slope of ys over xs: the steady trend under noise. A leak climbs at a steady
 * slope; an allocator's churn moves samples up and down without one.
 */
export const slope = (xs: number[], ys: number[]): number => {
  const [mx, my] = [xs, ys].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const covariance = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0);
  const variance = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
};
