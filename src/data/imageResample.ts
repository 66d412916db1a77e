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
  const planes = toPlanes(image, channels);
  const columns = filterWeights(image.width, width);
  const rows = filterWeights(image.height, height);
  const across = new Float32Array(image.height * width);
  for (let c = 0; c < channels; c++) {
    const plane = planes.subarray(c * image.width * image.height, (c + 1) * image.width * image.height);
    for (let y = 0; y < image.height; y++)
      applyWeights(columns, plane, y * image.width, 1, across, y * width, 1);
    blendRows(rows, across, width, out, c * height * width);
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

/** The image as float planes in [0, 1]; transparent pixels read as a black background. */
function toPlanes({ width, height, data }: DecodedImage, channels: 1 | 3): Float32Array {
  const count = width * height;
  const planes = new Float32Array(channels * count);
  for (let i = 0; i < count; i++) {
    const alpha = data[i * 4 + 3] / (255 * 255);
    const r = data[i * 4];
    const g = data[i * 4 + 1];
    const b = data[i * 4 + 2];
    if (channels === 1) {
      planes[i] = (0.299 * r + 0.587 * g + 0.114 * b) * alpha; // ITU-R BT.601 luma, as PIL's "L"
    } else {
      planes[i] = r * alpha;
      planes[count + i] = g * alpha;
      planes[2 * count + i] = b * alpha;
    }
  }
  return planes;
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

/** One pass of the filter along a line: `to[at + o·toStep] = Σ w·from[base + i·fromStep]`. */
function applyWeights(
  weights: Weights,
  from: Float32Array,
  fromBase: number,
  fromStep: number,
  to: Float32Array,
  toBase: number,
  toStep: number,
): void {
  for (let o = 0; o < weights.start.length; o++) {
    let sum = 0;
    const first = weights.start[o];
    for (let i = 0; i < weights.count[o]; i++)
      sum += weights.values[o * weights.span + i] * from[fromBase + (first + i) * fromStep];
    to[toBase + o * toStep] = sum;
  }
}
