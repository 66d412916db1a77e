/**
 * Drawing attention maps: each head's [T, T] weights go into an ImageData once,
 * are put on a T×T offscreen canvas, and drawn scaled onto the visible canvas
 * with image smoothing off (crisp cells, no per-cell fillRect).
 */
import { buildPalette, fillHeatmap, mapMax, visibleToken } from './heatmapPixels';

const palette = buildPalette();

export interface HeadMap {
  probs: ArrayLike<number>;
  offset: number;
  length: number;
}

/** The map of one head as a T×T canvas, scaled to the map's own maximum; returns that maximum too. */
export function renderHeadBitmap(map: HeadMap): { bitmap: HTMLCanvasElement; max: number } {
  const { length } = map;
  const bitmap = document.createElement('canvas');
  bitmap.width = length;
  bitmap.height = length;
  const image = new ImageData(length, length);
  const max = mapMax(map.probs, map.offset, length);
  fillHeatmap(map.probs, map.offset, length, max, palette, image.data);
  bitmap.getContext('2d')!.putImageData(image, 0, 0);
  return { bitmap, max };
}

/** Sizes `target` to `width` × `height` CSS pixels at the screen's pixel ratio; returns the ratio. */
function sizeForScreen(target: HTMLCanvasElement, width: number, height: number): number {
  const ratio = window.devicePixelRatio || 1;
  target.width = Math.round(width * ratio);
  target.height = Math.round(height * ratio);
  target.style.width = `${width}px`;
  target.style.height = `${height}px`;
  return ratio;
}

/** Draws a bitmap scaled into `target` (a thumbnail) with smoothing off. */
export function drawScaled(target: HTMLCanvasElement, bitmap: HTMLCanvasElement, cssSize: number): void {
  sizeForScreen(target, cssSize, cssSize);
  const ctx = target.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, target.width, target.height);
  ctx.drawImage(bitmap, 0, 0, target.width, target.height);
}

export interface DetailLayout {
  /** CSS pixels per token cell. */
  cell: number;
  /** Left margin (query labels) and top margin (key labels), CSS pixels. */
  left: number;
  top: number;
  /** Label every `labelEvery`-th token (all of them when cells are big enough to read). */
  labelEvery: number;
}

export function detailLayout(length: number, maxSize: number): DetailLayout {
  const cell = Math.max(1, Math.min(24, Math.floor(maxSize / length)));
  return { cell, left: 34, top: 34, labelEvery: Math.max(1, Math.ceil(11 / cell)) };
}

/** The enlarged map with token labels on both axes (queries down the left, keys along the top). */
export function drawDetail(
  target: HTMLCanvasElement,
  bitmap: HTMLCanvasElement,
  tokens: readonly string[],
  layout: DetailLayout,
  textColor: string,
): void {
  const size = tokens.length * layout.cell;
  const width = layout.left + size;
  const height = layout.top + size;
  const ratio = sizeForScreen(target, width, height);
  const ctx = target.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, layout.left, layout.top, size, size);
  ctx.fillStyle = textColor;
  ctx.font = `${Math.min(12, Math.max(9, layout.cell - 2))}px var(--vscode-editor-font-family, monospace)`;
  ctx.textBaseline = 'middle';
  for (let i = 0; i < tokens.length; i += layout.labelEvery) {
    const label = visibleToken(tokens[i]);
    const center = i * layout.cell + layout.cell / 2;
    ctx.textAlign = 'right';
    ctx.fillText(label, layout.left - 4, layout.top + center);
    ctx.save();
    ctx.translate(layout.left + center, layout.top - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.fillText(label, 0, 0);
    ctx.restore();
  }
}

/** Paints the colour legend: the palette as a vertical bar, top = `max`. */
export function drawColorbar(target: HTMLCanvasElement, height: number): void {
  target.width = 1;
  target.height = 256;
  target.style.width = '14px';
  target.style.height = `${height}px`;
  const image = new ImageData(1, 256);
  for (let i = 0; i < 256; i++) image.data.set(palette.subarray((255 - i) * 4, (255 - i) * 4 + 4), i * 4);
  target.getContext('2d')!.putImageData(image, 0, 0);
}
