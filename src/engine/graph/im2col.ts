/**
 * im2col of a 2-D convolution, shared by the training forward (layers/conv.ts) and the
 * Conv gradient rule. Per spatial axis, with Xp the padded input,
 *     Y[n,f,o] = Σ_c Σ_k W[f,c,k] · Xp[n, c, s·o + d·k]
 * and for each kernel offset k the strided slice Xp[.., d·k : d·k + s·(O−1) + 1 : s] holds
 * exactly the inputs it meets. With the input transposed to [C, N, H, W] the K² slices
 * concatenate into cols [C·K², N·O], rows in W's (c, kh, kw) order, so the convolution, its
 * dW and its dB each become one Gemm over batch and space together.
 */
import type { GraphBuilder, Value } from './builder';

export interface ConvWindow {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
}

/** Output height and width of a convolution of x ([N, C, H, W]) over window w. */
export function convOutputShape(x: Value, w: ConvWindow): number[] {
  return [0, 1].map(
    (i) =>
      Math.floor(
        (x.shape[2 + i] + w.pads[i] + w.pads[i + 2] - w.dilations[i] * (w.kernel[i] - 1) - 1) / w.strides[i],
      ) + 1,
  );
}

/** cols [C·K², N·Oh·Ow] of x [N, C, H, W] (see above). */
export function im2col(b: GraphBuilder, x: Value, w: ConvWindow): Value {
  const [n, ch] = x.shape;
  const [kh, kw] = w.kernel;
  const [oh, ow] = convOutputShape(x, w);
  const [p0, p1, p2, p3] = w.pads;
  const xt = b.transpose(x, [1, 0, 2, 3]);
  const xp = p0 || p1 || p2 || p3 ? b.op('Pad', [xt, b.ints([0, 0, p0, p1, 0, 0, p2, p3])])[0] : xt;
  const slices: Value[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const start = [i * w.dilations[0], j * w.dilations[1]];
      const end = [start[0] + w.strides[0] * (oh - 1) + 1, start[1] + w.strides[1] * (ow - 1) + 1];
      slices.push(b.op('Slice', [xp, b.ints(start), b.ints(end), b.ints([2, 3]), b.ints(w.strides)])[0]);
    }
  }
  const stacked = slices.length === 1 ? slices[0] : b.op('Concat', slices, { axis: 1 })[0];
  return b.reshape(stacked, [ch * kh * kw, n * oh * ow]);
}
