/**
 * Resampling an RGBA image to the model's input: grayscale or RGB planes scaled to [0, 1].
 *
 * The filter is PIL's bilinear (the triangle filter, widened by the reduction factor when
 * shrinking), applied separably. Enlarging, it is plain bilinear interpolation with half-pixel
 * centres; shrinking, every source pixel under the output pixel contributes, so a 500×375 photo
 * brought to 32×32 is averaged rather than sampled at a few points (which would alias). This is
 * what torchvision's `transforms.Resize` does to PIL images, so images match a PyTorch pipeline.
 */
import type { DecodedImage } from './imageDecode';

/** Fills `out` (`channels × height × width`, row-major planes) with the resampled image. */
export function resampleInto(
  image: DecodedImage,
  channels: 1 | 3,
  height: number,
  width: number,
  out: Float32Array,
): void {
  const columns = filterWeights(image.width, width);
  const rows = filterWeights(image.height, height);
  const plane = image.height * width;
  const across = new Float32Array(channels * plane);
  filterAcross(image, channels, columns, width, across);
  for (let c = 0; c < channels; c++)
    blendRows(rows, across.subarray(c * plane, (c + 1) * plane), width, out, c * height * width);
}

/**
 * The filter along each row, read straight from the RGBA bytes: grayscale (ITU-R BT.601 luma, as
 * PIL's "L") or RGB planes in [0, 1], transparent pixels black. Reading the bytes rather than
 * float planes of the whole image keeps a 12-megapixel photo's working memory to the narrow
 * planes it makes (8 MB for 224 columns, where the float planes took 144 MB) and saves a pass.
 */
function filterAcross(
  { width: inWidth, height: inHeight, data }: DecodedImage,
  channels: 1 | 3,
  weights: Weights,
  width: number,
  to: Float32Array,
): void {
  const plane = inHeight * width;
  for (let y = 0; y < inHeight; y++) {
    const rowStart = y * inWidth;
    for (let o = 0; o < width; o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      const first = weights.start[o];
      for (let i = 0; i < weights.count[o]; i++) {
        const at = (rowStart + first + i) * 4;
        const w = (weights.values[o * weights.span + i] * data[at + 3]) / (255 * 255);
        r += w * data[at];
        g += w * data[at + 1];
        b += w * data[at + 2];
      }
      const index = y * width + o;
      if (channels === 1) {
        to[index] = 0.299 * r + 0.587 * g + 0.114 * b;
      } else {
        to[index] = r;
        to[plane + index] = g;
        to[2 * plane + index] = b;
      }
    }
  }
}

/**
 * The filter down the columns, a whole row at a time: output row o is the weighted sum of the
 * source rows under it. Row by row reads memory in order, where a column at a time strides
 * through it (half the time of a 500×375 photo's resize to 224×224).
 */
function blendRows(
  weights: Weights,
  from: Float32Array,
  width: number,
  to: Float32Array,
  toBase: number,
): void {
  for (let o = 0; o < weights.start.length; o++) {
    const row = toBase + o * width;
    to.fill(0, row, row + width);
    for (let i = 0; i < weights.count[o]; i++) {
      const w = weights.values[o * weights.span + i];
      const source = (weights.start[o] + i) * width;
      for (let x = 0; x < width; x++) to[row + x] += w * from[source + x];
    }
  }
}

interface Weights {
  /** First source index of each output position. */
  start: Int32Array;
  /** Number of source pixels of each output position. */
  count: Int32Array;
  /** `span` weights per output position, normalised to sum to 1. */
  values: Float32Array;
  span: number;
}

/** The triangle filter's taps for mapping `inSize` source pixels onto `outSize` ones. */
function filterWeights(inSize: number, outSize: number): Weights {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1); // the triangle's half-width, in source pixels
  const span = Math.ceil(support) * 2 + 1;
  const weights: Weights = {
    start: new Int32Array(outSize),
    count: new Int32Array(outSize),
    values: new Float32Array(outSize * span),
    span,
  };
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const first = Math.max(Math.floor(centre - support + 0.5), 0);
    const last = Math.min(Math.floor(centre + support + 0.5), inSize);
    let total = 0;
    for (let i = first; i < last; i++) {
      const w = Math.max(1 - Math.abs((i + 0.5 - centre) / support), 0);
      weights.values[o * span + i - first] = w;
      total += w;
    }
    for (let i = 0; i < last - first; i++) weights.values[o * span + i] /= total || 1;
    weights.start[o] = first;
    weights.count[o] = last - first;
  }
  return weights;
}
