/**
 * Pixels of attention heatmaps: a 256-entry palette built once (viridis, which
 * reads in light and dark themes and stays ordered in greyscale), then each
 * map's weights written straight into RGBA bytes for an ImageData.
 */

/** Viridis control points (matplotlib), evenly spaced from 0 to 1. */
const VIRIDIS = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];

/** RGBA for 256 levels, interpolated between the control points. */
export function buildPalette(): Uint8ClampedArray {
  const palette = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (VIRIDIS.length - 1);
    const lo = Math.floor(t);
    const hi = Math.min(lo + 1, VIRIDIS.length - 1);
    const f = t - lo;
    for (let c = 0; c < 3; c++)
      palette[i * 4 + c] = Math.round(VIRIDIS[lo][c] * (1 - f) + VIRIDIS[hi][c] * f);
    palette[i * 4 + 3] = 255;
  }
  return palette;
}

/** Largest weight of one [T, T] map (the colour scale's top), at least a tiny positive number. */
export function mapMax(probs: ArrayLike<number>, offset: number, length: number): number {
  let max = 0;
  for (let i = offset, end = offset + length * length; i < end; i++) if (probs[i] > max) max = probs[i];
  return max > 0 ? max : 1e-9;
}

/**
 * Writes one head's [T, T] map (row = query, column = key) starting at `offset`
 * into `out` (T*T*4 RGBA bytes). Weights are scaled to `scaleMax`. A zero above
 * the diagonal is the causal mask, not a weight: it stays transparent so the
 * panel background shows through as empty.
 */
export function fillHeatmap(
  probs: ArrayLike<number>,
  offset: number,
  length: number,
  scaleMax: number,
  palette: Uint8ClampedArray,
  out: Uint8ClampedArray,
): void {
  const scale = 255 / scaleMax;
  for (let q = 0; q < length; q++) {
    for (let k = 0; k < length; k++) {
      const i = q * length + k;
      const p = probs[offset + i];
      const o = i * 4;
      if (p === 0 && k > q) {
        out[o + 3] = 0;
        continue;
      }
      const level = Math.max(0, Math.min(255, Math.round(p * scale))) * 4;
      out[o] = palette[level];
      out[o + 1] = palette[level + 1];
      out[o + 2] = palette[level + 2];
      out[o + 3] = 255;
    }
  }
}

/** Token as drawn on an axis: spaces, newlines and other invisible characters made visible. */
export function visibleToken(token: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return token.replace(/[\s\u0000-\u001f\u007f]/gu, (ch) => {
    if (ch === ' ') return '␣';
    if (ch === '\n') return '↵';
    if (ch === '\t') return '⇥';
    if (ch === '\r') return '␍';
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 ? String.fromCodePoint(0x2400 + code) : code === 0x7f ? '␡' : '·';
  });
}
