/**
 * im2col of a 2-D convolution, shared by the training forward (layers/conv.ts) and the
 * Conv gradient rule. Per spatial axis, with Xp the padded input,
 *     Y[n,f,o] = Σ_c Σ_k W[f,c,k] · Xp[n, c, s·o + d·k]
 * and for each kernel offset k the strided slice Xp[.., d·k : d·k + s·(O−1) + 1 : s] holds
 * exactly the inputs it meets. With the input transposed to [C, N, H, W] the slices
 * concatenate into cols [C·K², N·O], rows in W's (c, kh, kw) order, so the convolution, its
 * dW and its dB each become one Gemm over batch and space together.
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
