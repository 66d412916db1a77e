/**
 * Pixels of attention heatmaps: a 256-entry palette built once (viridis, which
 * reads in light and dark themes and stays ordered in greyscale), then each
 * map pooled to the pixel size it is shown at and written straight into RGBA
 * bytes for an ImageData.
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

/** A pooled value that stands for a cell group made only of masked cells (drawn empty). */
export const MASKED = -1;

/**
 * Max-pools one head's [T, T] map (row = query, column = key) starting at
 * `offset` into `out`, a `size` × `size` grid of display pixels, and returns the
 * map's largest weight (the colour scale's top, at least a tiny positive number).
 * Pixel (y, x) covers queries ⌊y·T/size⌋ up to ⌊(y+1)·T/size⌋ and keys likewise;
 * a map no bigger than the grid has one cell per pixel instead, cell ⌊y·T/size⌋,
 * so `size` = T copies it. Max rather than the mean keeps a head that puts all
 * its weight on one key as bright in a thumbnail as in the enlarged map.
 * A zero above the diagonal is the causal mask, not a weight: a pixel whose cells
 * are all masked becomes MASKED so the panel background shows through.
 */
export function poolMax(
  probs: ArrayLike<number>,
  offset: number,
  length: number,
  size: number,
  out: Float32Array,
): number {
  const first = new Int32Array(size + 1);
  for (let i = 0; i <= size; i++) first[i] = Math.floor((i * length) / size);
  const pooling = { probs, offset, length, size, first, out };
  if (size >= length) pickCells(pooling);
  else poolRows(pooling);
  let max = 0;
  for (let i = 0; i < size * size; i++) if (out[i] > max) max = out[i];
  return max > 0 ? max : 1e-9;
}

/** A map pooled into `out`; pixel i starts at cell `first[i]` (`first` has size + 1 entries). */
interface Pooling {
  probs: ArrayLike<number>;
  offset: number;
  length: number;
  size: number;
  first: Int32Array;
  out: Float32Array;
}

/** One cell per pixel (a map no bigger than the grid). */
function pickCells({ probs, offset, length, size, first, out }: Pooling): void {
  for (let y = 0; y < size; y++) {
    const q = first[y];
    for (let x = 0; x < size; x++) {
      const k = first[x];
      const p = probs[offset + q * length + k];
      out[y * size + x] = p === 0 && k > q ? MASKED : p;
    }
  }
}

/**
 * Several cells per pixel: each query row is swept once from left to right,
 * keeping a running max that is flushed into the pixel whenever the key
 * crosses into the next pixel's columns (faster than a loop per pixel block).
 */
function poolRows({ probs, offset, length, size, first, out }: Pooling): void {
  out.fill(MASKED);
  for (let y = 0; y < size; y++) {
    const pixels = y * size;
    for (let q = first[y]; q < first[y + 1]; q++) {
      const row = offset + q * length;
      let x = 0;
      let next = first[1];
      let best = out[pixels];
      for (let k = 0; k < length; k++) {
        if (k === next) {
          out[pixels + x] = best;
          x++;
          next = first[x + 1];
          best = out[pixels + x];
        }
        const p = probs[row + k];
        if (p > best && (p !== 0 || k <= q)) best = p;
      }
      out[pixels + x] = best;
    }
  }
}

/** RGBA bytes for pooled values: each scaled to `scaleMax` picks a palette level; MASKED is transparent. */
export function paintLevels(
  values: Float32Array,
  scaleMax: number,
  palette: Uint8ClampedArray,
  out: Uint8ClampedArray,
): void {
  const scale = 255 / scaleMax;
  for (let i = 0, o = 0; i < values.length; i++, o += 4) {
    const v = values[i];
    if (v === MASKED) {
      out[o + 3] = 0;
      continue;
    }
    const level = Math.max(0, Math.min(255, Math.round(v * scale))) * 4;
    out[o] = palette[level];
    out[o + 1] = palette[level + 1];
    out[o + 2] = palette[level + 2];
    out[o + 3] = 255;
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
