/**
 * Gradient rules of 2-D convolution and pooling, written with standard ops only
 * (onnxruntime-node has no ConvGrad / MaxPoolGrad kernels).
 *
 * Convolution, per spatial axis, with Xp the padded input:
 *     Y[n,f,o] = Σ_c Σ_k W[f,c,k] · Xp[n, c, s·o + d·k]
 *
 *  - dX is the transposed convolution of dY with the same W, strides s, dilations d and
 *    pads: ConvTranspose. Its natural output size s·(O−1) + d·(K−1) + 1 − pads can fall
 *    short of the input by the rows the forward stride skipped; output_padding adds them.
 *  - dW[f,c,k] = Σ_n Σ_o dY[n,f,o] · Xp[n, c, s·o + d·k]. For each kernel offset k the
 *    slice Xp[.., d·k : d·k + s·(O−1) + 1 : s] holds exactly those inputs (im2col by K²
 *    strided slices). With the input transposed to [C, N, H, W] they concatenate into
 *    cols [C·K², N·O] and dW = dYᵀ·colsᵀ is one Gemm over batch and space together
 *    (dY as [F, N·O]). Measured faster here than Conv on transposed tensors, and than a
 *    batched MatMul per example followed by a sum over the batch.
 *  - dB = Σ dY over batch and space.
 *
 * MaxPool: the forward Indices output (flat positions in X) routes dY back with
 * ScatterElements(add) into zeros, correct for overlapping windows too.
 * For WebGPU (no Indices output) and disjoint windows (kernel = stride, no padding) the mask
 * form routes dY to the elements equal to their window's maximum: x is viewed as
 * [N, C, Ho, k, Wo, k] against y as [N, C, Ho, 1, Wo, 1]; rows and columns the floor-mode
 * windows skip get zero. Exact ties share the gradient (each gets dY), unlike Indices.
 * AveragePool (no padding): every input in a window gets dY / K², which is ConvTranspose
 * with a per-channel (group = C) kernel of 1/K².
 */
import type { GraphBuilder, Value } from '../../graph/builder';
import type { GradContext, GradRule } from '../backward';

interface Window {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
}

function windowOf(c: GradContext, kernel: number[]): Window {
  return {
    kernel,
    strides: c.ints('strides', [1, 1]),
    pads: c.ints('pads', [0, 0, 0, 0]),
    dilations: c.ints('dilations', [1, 1]),
  };
}

/** output_padding that makes ConvTranspose reproduce the forward input's height and width. */
function outputPadding(x: Value, y: Value, w: Window): number[] {
  return [0, 1].map((i) => {
    const natural =
      w.strides[i] * (y.shape[2 + i] - 1) +
      (w.kernel[i] - 1) * w.dilations[i] +
      1 -
      w.pads[i] -
      w.pads[i + 2];
    return x.shape[2 + i] - natural;
  });
}

function transposedConv(
  b: GraphBuilder,
  dy: Value,
  weights: Value,
  x: Value,
  y: Value,
  w: Window,
  group: number,
) {
  return b.op('ConvTranspose', [dy, weights], {
    strides: w.strides,
    pads: w.pads,
    dilations: w.dilations,
    group,
    kernel_shape: w.kernel,
    output_padding: outputPadding(x, y, w),
  })[0];
}

/** dW of a 2-D convolution by im2col (see the derivation above). */
function convWeightGrad(b: GraphBuilder, x: Value, dy: Value, weights: Value, w: Window): Value {
  const [n, ch] = x.shape;
  const [f, , kh, kw] = weights.shape;
  const [oh, ow] = [dy.shape[2], dy.shape[3]];
  const [p0, p1, p2, p3] = w.pads;
  // Channels first, [C, N, H, W]: the slices then stack straight into cols [C·K², N·O]
  // (rows in W's (c, kh, kw) order) and the batch joins the contraction of one Gemm.
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
  const cols = b.reshape(stacked, [ch * kh * kw, n * oh * ow]);
  const dyt = b.reshape(b.transpose(dy, [1, 0, 2, 3]), [f, n * oh * ow]);
  return b.reshape(b.op('Gemm', [dyt, cols], { transB: 1 })[0], weights.shape);
}

function maxPoolGradByMask(c: GradContext): Value {
  const { b } = c;
  const x = c.x(0);
  const w = windowOf(c, c.ints('kernel_shape', []));
  const [k, s] = [w.kernel, w.strides];
  if (k[0] !== s[0] || k[1] !== s[1] || w.pads.some((p) => p !== 0))
    throw new Error(
      `MaxPool (node ${c.node.name}): without Indices only disjoint windows have a gradient rule`,
    );
  const [n, ch, h, wd] = x.shape;
  const [oh, ow] = [c.y(0).shape[2], c.y(0).shape[3]];
  const [hc, wc] = [oh * k[0], ow * k[1]];
  const covered =
    hc === h && wc === wd ? x : b.op('Slice', [x, b.ints([0, 0]), b.ints([hc, wc]), b.ints([2, 3])])[0];
  const windows = b.reshape(covered, [n, ch, oh, k[0], ow, k[1]]);
  const perWindow = (v: Value) => b.reshape(v, [n, ch, oh, 1, ow, 1]);
  const isMax = b.op('Equal', [windows, perWindow(c.y(0))])[0];
  const routed = b.op('Where', [isMax, perWindow(c.dy()), b.scalar(0, x.dtype)])[0];
  const dx = b.reshape(routed, [n, ch, hc, wc]);
  return hc === h && wc === wd ? dx : b.op('Pad', [dx, b.ints([0, 0, 0, 0, 0, 0, h - hc, wd - wc])])[0];
}

export const CONV_RULES: Record<string, GradRule> = {
  Conv: (c) => {
    const group = c.int('group', 1);
    if (group !== 1) throw new Error(`Conv (node ${c.node.name}): grouped convolution has no gradient rule`);
    const weights = c.x(1);
    const w = windowOf(c, c.ints('kernel_shape', weights.shape.slice(2)));
    return [
      () => transposedConv(c.b, c.dy(), weights, c.x(0), c.y(0), w, 1),
      () => convWeightGrad(c.b, c.x(0), c.dy(), weights, w),
      () => c.b.reduceSum(c.dy(), [0, 2, 3]),
    ];
  },
  MaxPool: (c) => [
    () => {
      const { b } = c;
      const x = c.x(0);
      if (b.root.avoidPoolIndices) return maxPoolGradByMask(c);
      const flat = b.zeros([x.size], x.dtype);
      const idx = b.reshape(c.y(1), [-1]);
      const dx = b.op('ScatterElements', [flat, idx, b.reshape(c.dy(), [-1])], {
        axis: 0,
        reduction: 'add',
      })[0];
      return b.reshape(dx, x.shape);
    },
  ],
  AveragePool: (c) => {
    const x = c.x(0);
    const w = windowOf(c, c.ints('kernel_shape', []));
    if (w.pads.some((p) => p !== 0) && c.int('count_include_pad', 0) === 0)
      throw new Error(
        `AveragePool (node ${c.node.name}): padding without count_include_pad has no gradient rule`,
      );
    const area = w.kernel[0] * w.kernel[1];
    const ch = x.shape[1];
    return [
      () => {
        const ones = c.b.constant(new Array<number>(ch * area).fill(1 / area), [ch, 1, ...w.kernel], x.dtype);
        return transposedConv(c.b, c.dy(), ones, x, c.y(0), w, ch);
      },
    ];
  },
};
