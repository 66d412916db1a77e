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
