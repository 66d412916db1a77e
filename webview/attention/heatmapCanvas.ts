/**
 * Drawing attention maps. A thumbnail is pooled straight to its canvas's pixel
 * size (device pixels) and put there 1:1, so the grid never builds a full T×T
 * image only to shrink it. The enlarged map is one T×T offscreen canvas drawn
 * scaled onto the visible canvas with image smoothing off (crisp cells, no
 * per-cell fillRect).
 */
import { buildPalette, paintLevels, poolMax, visibleToken } from './heatmapPixels';

const palette = buildPalette();

export interface HeadMap {
  probs: ArrayLike<number>;
  offset: number;
  length: number;
}

/** Pooled values by pixel size, reused from map to map. */
const pooledBySize = new Map<number, Float32Array>();

/** Paints `map` into `image` (square), scaled to the map's own maximum; returns that maximum. */
function paintMap(map: HeadMap, image: ImageData): number {
  const size = image.width;
  let pooled = pooledBySize.get(size);
  if (!pooled) pooledBySize.set(size, (pooled = new Float32Array(size * size)));
  const max = poolMax(map.probs, map.offset, map.length, size, pooled);
  paintLevels(pooled, max, palette, image.data);
  return max;
}

const detailBitmap = document.createElement('canvas');
let detailImage = new ImageData(1, 1);

/**
 * The map of one head as a T×T canvas, scaled to the map's own maximum; returns
 * that maximum too. The canvas is shared: draw it before rendering another map.
 */
export function renderHeadBitmap(map: HeadMap): { bitmap: HTMLCanvasElement; max: number } {
  const { length } = map;
  if (detailImage.width !== length) {
    detailImage = new ImageData(length, length);
    detailBitmap.width = length;
    detailBitmap.height = length;
  }
  const max = paintMap(map, detailImage);
  detailBitmap.getContext('2d')!.putImageData(detailImage, 0, 0);
  return { bitmap: detailBitmap, max };
}

/** Sizes `target` to `width` × `height` CSS pixels at the screen's pixel ratio; returns the ratio. */
function sizeForScreen(target: HTMLCanvasElement, width: number, height: number): number {
  const ratio = window.devicePixelRatio || 1;
  const pixelWidth = Math.round(width * ratio);
  const pixelHeight = Math.round(height * ratio);
  if (target.width !== pixelWidth) target.width = pixelWidth;
  if (target.height !== pixelHeight) target.height = pixelHeight;
  target.style.width = `${width}px`;
  target.style.height = `${height}px`;
  return ratio;
}

/**
 * Draws `map` as a `cssSize` square thumbnail, one pooled value per device
 * pixel, and returns those pixels. Given back as `kept` for the same map, they
 * are drawn again without pooling (unless the screen's pixel ratio changed).
 */
export function drawThumbnail(
  target: HTMLCanvasElement,
  map: HeadMap,
  cssSize: number,
  kept?: ImageData,
): ImageData {
  sizeForScreen(target, cssSize, cssSize);
  let image = kept;
  if (image?.width !== target.width) {
    image = new ImageData(target.width, target.width);
    paintMap(map, image);
  }
  target.getContext('2d')!.putImageData(image, 0, 0);
  return image;
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

/** Paints the colour legend: the palette as a vertical bar, top = `max` (painted once, then only resized). */
export function drawColorbar(target: HTMLCanvasElement, height: number): void {
  target.style.width = '14px';
  target.style.height = `${height}px`;
  if (target.dataset.painted) return;
  target.width = 1;
  target.height = 256;
  const image = new ImageData(1, 256);
  for (let i = 0; i < 256; i++) image.data.set(palette.subarray((255 - i) * 4, (255 - i) * 4 + 4), i * 4);
  target.getContext('2d')!.putImageData(image, 0, 0);
  target.dataset.painted = 'true';
}
