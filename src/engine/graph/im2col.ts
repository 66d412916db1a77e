/**
 * im2col of a 2-D convolution, shared by the training forward (layers/conv.ts) and the
 * Conv gradient rule. Per spatial axis, with Xp the padded input,
 *     Y[n,f,o] = Σ_c Σ_k W[f,c,k] · Xp[n, c, s·o + d·k]
 * and for each kernel offset k the strided slice Xp[.., d·k : d·k + s·(O−1) + 1 : s] holds
 * exactly the inputs it meets. With the input transposed to [C, N, H, W] the slices
 * concatenate into cols [C·K², N·O], rows in W's (c, kh, kw) order, so the convolution, its
 * dW and its dB each become one Gemm over batch and space together.
 *
 * Small images take their cols from a product instead (im2colByProduct): the slices of a 4×4
 * image copy rows of 4 values, and their Pad, 2K Slices and two Concats cost more in per-row and
 * per-node overhead than the copying itself.
 */
import type { GraphBuilder, Value } from './builder';
import { windowOut } from './shapes';

export interface ConvWindow {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
}

/** Output height and width of a convolution of x ([N, C, H, W]) over window w. */
export function convOutputShape(x: Value, w: ConvWindow): number[] {
  return [0, 1].map((i) =>
    windowOut(x.shape[2 + i], w.kernel[i], w.strides[i], w.pads[i], w.pads[i + 2], w.dilations[i]),
  );
}

/** Images as [N, C, H, W] (image-major) or [C, N, H, W] (channel-major: layers/channelMajor.ts). */
export type ImageLayout = 'imageMajor' | 'channelMajor';

/** The same images in the other layout: [N, C, H, W] ↔ [C, N, H, W]. */
export function swapImageLayout(b: GraphBuilder, images: Value): Value {
  return b.transpose(images, [1, 0, 2, 3]);
}

/** cols [C·K², N·Oh·Ow] of x in either layout (see above). */
export function im2col(b: GraphBuilder, x: Value, w: ConvWindow, layout: ImageLayout = 'imageMajor'): Value {
  if (byProduct(b, x)) return im2colByProduct(b, x, w, layout);
  const xt = layout === 'channelMajor' ? x : swapImageLayout(b, x);
  const [ch, n] = xt.shape;
  const [kh, kw] = w.kernel;
  const [oh, ow] = convOutputShape(xt, w);
  const [p0, p1, p2, p3] = w.pads;
  const xp = p0 || p1 || p2 || p3 ? b.op('Pad', [xt, b.ints([0, 0, p0, p1, 0, 0, p2, p3])])[0] : xt;
  // Column offsets first, then row offsets of that: 2K slices and two Concats instead of K²
  // slices and one, stacked in (kh, kw, n) order after the channel.
  const offsets = (axis: number, count: number, out: number, v: Value) => {
    const i = axis - 2;
    const parts = Array.from({ length: count }, (_, k) => {
      const start = k * w.dilations[i];
      const end = start + w.strides[i] * (out - 1) + 1;
      return b.op('Slice', [v, b.ints([start]), b.ints([end]), b.ints([axis]), b.ints([w.strides[i]])])[0];
    });
    return parts.length === 1 ? parts[0] : b.op('Concat', parts, { axis: 1 })[0];
  };
  const stacked = offsets(2, kh, oh, offsets(3, kw, ow, xp));
  return b.reshape(stacked, [ch * kh * kw, n * oh * ow]);
}

/**
 * Whether x's images are small enough for im2col and col2im as products with the window's
 * one-hot gather matrix (GraphBuilder.im2colProductMaxArea). The product spends H·W
 * multiply-adds on each value of the cols, so its cost grows with the image's area where the
 * slices' does not: measured here on [C, 32, H, W] with a 3×3 'same' window, the product took
 * 0.26 against 0.48 ms at 4×4 (C 32), 0.19 against 0.39 ms at 6×6 (C 16) and 0.57 against
 * 0.67 ms at 8×8 (C 32), but 1.04 against 0.97 ms at 10×10 and 0.94 against 0.64 ms at 12×12.
 */
export function byProduct(b: GraphBuilder, x: Value): boolean {
  return x.shape[2] * x.shape[3] <= b.root.im2colProductMaxArea;
}

/**
 * G [H·W, K²·Oh·Ow], 1 where input position p is value k of output o's window (its padding
 * reads none): cols of one image's channel are x[H·W]·G, exactly for finite values (each sum
 * holds one value and zeros; a non-finite value spreads over its plane, where the training step's
 * loss is non-finite anyway), and col2im of a column gradient is dCols·Gᵀ. One constant per window
 * and image size in a model.
 */
function gatherMatrix(b: GraphBuilder, x: Value, w: ConvWindow): Value {
  const [h, width] = [x.shape[2], x.shape[3]];
  const [oh, ow] = convOutputShape(x, w);
  const [kh, kw] = w.kernel;
  const key = ['gather', x.dtype, h, width, ...w.kernel, ...w.strides, ...w.pads, ...w.dilations].join(',');
  return b.sharedConstant(key, () => {
    const columns = kh * kw * oh * ow;
    const ones = new Array<number>(h * width * columns).fill(0);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let r = 0; r < oh; r++)
          for (let q = 0; q < ow; q++) {
            const row = r * w.strides[0] + i * w.dilations[0] - w.pads[0];
            const col = q * w.strides[1] + j * w.dilations[1] - w.pads[1];
            if (row >= 0 && col >= 0 && row < h && col < width)
              ones[(row * width + col) * columns + ((i * kw + j) * oh + r) * ow + q] = 1;
          }
    return b.constant(ones, [h * width, columns], x.dtype);
  });
}

/** Every image plane's window values, [A·B, K², Oh, Ow] for x [A, B, H, W]: one Gemm x·G. */
export function patchesByProduct(b: GraphBuilder, x: Value, w: ConvWindow): Value {
  const [a, bb, h, width] = x.shape;
  const [oh, ow] = convOutputShape(x, w);
  const planes = b.op('Gemm', [b.reshape(x, [a * bb, h * width]), gatherMatrix(b, x, w)])[0];
  return b.reshape(planes, [a * bb, w.kernel[0] * w.kernel[1], oh, ow]);
}

/** One Transpose puts the planes' patches in the cols' [C, K², N, O] order from either layout. */
function im2colByProduct(b: GraphBuilder, x: Value, w: ConvWindow, layout: ImageLayout): Value {
  const [a, bb] = x.shape;
  const [ch, n] = layout === 'channelMajor' ? [a, bb] : [bb, a];
  const [oh, ow] = convOutputShape(x, w);
  const area = w.kernel[0] * w.kernel[1];
  const perm = layout === 'channelMajor' ? [0, 2, 1, 3] : [1, 2, 0, 3];
  const cols = b.transpose(b.reshape(patchesByProduct(b, x, w), [a, bb, area, oh * ow]), perm);
  return b.reshape(cols, [ch * area, n * oh * ow]);
}

/**
 * The gradient of x (in its layout) from the gradient of its cols, dCols [C·K², N·O], for images
 * that take the product (byProduct): each plane's dCols·Gᵀ sums, at every input position, the
 * gradients of the window values it was.
 */
export function col2imByProduct(b: GraphBuilder, dCols: Value, x: Value, w: ConvWindow, layout: ImageLayout) {
  const [a, bb] = x.shape;
  const [ch, n] = layout === 'channelMajor' ? [a, bb] : [bb, a];
  const [oh, ow] = convOutputShape(x, w);
  const area = w.kernel[0] * w.kernel[1];
  const perm = layout === 'channelMajor' ? [0, 2, 1, 3] : [2, 0, 1, 3];
  const planes = b.transpose(b.reshape(dCols, [ch, area, n, oh * ow]), perm);
  const rows = b.reshape(planes, [a * bb, area * oh * ow]);
  return b.reshape(b.op('Gemm', [rows, gatherMatrix(b, x, w)], { transB: 1 })[0], x.shape);
}
