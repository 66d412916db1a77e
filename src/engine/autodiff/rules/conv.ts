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
 *    With stride 1 it is also a plain Conv of dY with the flipped kernel, which onnxruntime
 *    runs at the forward's speed (flippedKernelInputGrad): imported Convs take that.
    With stride 2 ConvTranspose stays the fastest form measured here (ResNet's 3×3 and 1×1
    shortcut, dY [32,16,16,16] → dX [32,8,32,32], medians of 300 runs, ConvTranspose 0.7–1.1 ms
    and 0.13–0.2 ms): a stride-1 Conv of the zero-inserted dY took 6.3 ms; the four stride phases
    as one Conv 0.7–1.0 ms, but weaving them back (Transpose 1.8 ms, DepthToSpace 0.8 ms) more;
    the batch stacked into one tall image (stackedInputGrad at stride 2) 1.0–1.1 ms and 0.24–0.34
    ms; for the 1×1, a 1×1 Conv and a Pad inserting the zeros 1.7 ms.
 *  - dW[f,c,k] = Σ_n Σ_o dY[n,f,o] · Xp[n, c, s·o + d·k]: for an imported Conv, from
 *    patches made by onnxruntime's Conv, a few images at a time (convWeightGradByPatches,
 *    sumOverBatchChunks); else one Gemm of dY against the im2col cols (graph/im2col.ts).
 *    Measured faster here than Conv on transposed tensors (a Gemm only K² wide). The training
 *    conv2d layer is itself im2col + Gemm (a composite) whose rule reuses its forward cols.
 *  - dB = Σ dY over batch and space.
 *
 * MaxPool: the forward Indices output (flat positions in X) routes dY back. Where windows
 * overlap, two may share a maximum, so ScatterElements(add) into zeros; where they are disjoint
 * each position gets at most one dY, which MaxUnpool writes (the CNN template's step 2 % faster).
 * Routing without Indices stays slower: MaxPool with Indices costs 0.27 ms more than without on
 * [32, 32, 8, 8] here, but recomputing the first maximum (SpaceToDepth, then Equal or ArgMax,
 * a one-hot and DepthToSpace) took as long in node overhead.
 * For WebGPU (no Indices output) and disjoint windows (kernel = stride, no padding) the mask
 * form routes dY to the elements equal to their window's maximum: x is viewed as
 * [N, C, Ho, k, Wo, k] against y as [N, C, Ho, 1, Wo, 1]; rows and columns the floor-mode
 * windows skip get zero. Exact ties share the gradient (each gets dY), unlike Indices.
 * AveragePool (no padding): every input in a window gets dY / K², which is ConvTranspose
 * with a per-channel (group = C) kernel of 1/K².
 */
import { FloatAttr, type GraphBuilder, type Value } from '../../graph/builder';
import type { GradContext, GradRule } from '../gradRule';
import {
  byProduct,
  col2imByProduct,
  im2col,
  patchesByProduct,
  swapImageLayout,
  type ConvWindow,
  type ImageLayout,
} from '../../graph/im2col';
import { sumLeadingAxes } from '../../graph/sumLeadingAxes';
import { reluGrad } from './elementwise';

type Window = ConvWindow;

function windowOf(c: GradContext, kernel: number[]): Window {
  return {
    kernel,
    strides: c.ints('strides', [1, 1]),
    pads: c.ints('pads', [0, 0, 0, 0]),
    dilations: c.ints('dilations', [1, 1]),
  };
}

/** output_padding that makes ConvTranspose reproduce the forward input's height and width. */
function outputPadding(x: Value, y: Value, w: Window, axes = [0, 1]): number[] {
  return axes.map((i) => {
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

/**
 * dX of a convolution with stride 1 as a plain Conv of dY with the flipped kernel, its filter and
 * channel axes swapped: Xp[n,c,i] = Σ_f Σ_k W[f,c,k]·dY[n,f,i − d·k] is a correlation of dY
 * (padded by d·(K−1) − p on each side) with W[f,c,K−1−k]. onnxruntime's Conv runs as fast as the
 * forward's, where its ConvTranspose scatters each image's columns back (col2im) at twice that.
 * Grouped (depthwise included): group j's C/G channels take their gradient from its F/G filters
 * alone, so the swap happens within each group, W [G, F/G, C/G, k] → [G, C/G, F/G, k], and the
 * Conv keeps the groups (a depthwise 3×3 of [32, 8, 16, 16]: 0.12 ms, its ConvTranspose 0.28 ms).
 * Undefined when a pad exceeds d·(K−1) (the correlation would need negative padding).
 */
function flippedKernelInputGrad(
  b: GraphBuilder,
  dy: Value,
  weights: Value,
  w: Window,
  group = 1,
): Value | undefined {
  if (w.strides.some((s) => s !== 1)) return undefined;
  const reach = [0, 1].map((i) => (w.kernel[i] - 1) * w.dilations[i]);
  const pads = w.pads.map((p, i) => reach[i % 2] - p);
  if (pads.some((p) => p < 0)) return undefined;
  // Flipping both spatial axes reverses the flattened kh·kw axis: one Gather.
  const [f, cg, kh, kw] = weights.shape;
  const [fg, area] = [f / group, kh * kw];
  const reversed = b.ints(Array.from({ length: area }, (_, k) => area - 1 - k));
  const perGroup = b.reshape(weights, [group, fg, cg, area]);
  const swapped = b.reshape(b.transpose(perGroup, [0, 2, 1, 3]), [group * cg, fg, area]);
  const flipped = b.reshape(b.op('Gather', [swapped, reversed], { axis: 2 })[0], [group * cg, fg, kh, kw]);
  return b.op('Conv', [dy, flipped], {
    kernel_shape: w.kernel,
    strides: [1, 1],
    pads,
    dilations: w.dilations,
    ...(group !== 1 && { group }),
  })[0];
}

/**
 * dW of a 2-D convolution from its patches, with onnxruntime's own im2col: a Conv of every image's
 * channel alone ([N·C, 1, H, W]) with the K² one-hot kernels (the forward's window) gives
 * patches[n, c·K² + k, o] = Xp[n, c, s·o + d·k], already in W's (c, kh, kw) order. Then
 * dWᵀ = Σ_n patches[n]·dY[n]ᵀ: one batched FusedMatMul reading the small dY transposed in place
 * (a third faster here than dY[n]·patches[n]ᵀ, which transposes the large operand), summed over
 * the batch. Measured here at half the Slice / Concat im2col's time (convWeightGrad below),
 * which stays for graphs without contrib ops (WebGPU).
 */
function convWeightGradByPatches(b: GraphBuilder, x: Value, dy: Value, weights: Value, w: Window) {
  if (!b.root.contribOps) return undefined;
  const [f, ch, kh, kw] = weights.shape;
  const area = kh * kw;
  const o = dy.shape[2] * dy.shape[3];
  const sum = sumOverBatchChunks(b, x, dy, weights, w, (xs, dys) => {
    const n = xs.shape[0];
    return sumOfProducts(
      b,
      b.reshape(imagePatches(b, xs, weights, w), [n, ch * area, o]),
      b.reshape(dys, [n, f, o]),
    );
  });
  return b.reshape(b.transpose(sum, [1, 0]), weights.shape);
}

/** Σ_n a[n]·c[n]ᵀ over the leading (image) axis: one batched FusedMatMul reading c transposed in place. */
function sumOfProducts(b: GraphBuilder, a: Value, c: Value): Value {
  const perImage = b.op(
    'FusedMatMul',
    [a, c],
    { transA: 0, transB: 1, alpha: new FloatAttr(1) },
    { domain: 'com.microsoft' },
  )[0];
  return sumLeadingAxes(b, perImage, 1);
}

/**
 * The most chunks sumOverBatchChunks asks batchChunks for: more cost more in nodes than they save
 * (11 chunks measured slower than 8). Where one image's patches exceed the budget (large images),
 * 8 chunks still cut the patches' memory 8-fold.
 */
const MOST_PATCH_CHUNKS = 8;

/**
 * Σ over the batch of `perChunk` (a weight gradient from x's and dY's images), over chunks of the
 * batch whose patches fit GraphBuilder.convPatchesChunkBytes (batchChunks). Patches are K² times
 * the size of x: a 3×3 window over [32, 32, 32, 32] makes 38 MB, written by the one-hot Conv and
 * read back by the product from main memory; a few images at a time, each chunk's patches are
 * read back while still in cache. Measured here (medians of interleaved rounds), dW of that
 * convolution (patches, product and sum) took 7.4 ms whole and 5.1–5.9 ms in 4 or 8 chunks; of
 * a 3×3 over [32, 64, 16, 16] (19 MB), 6.5 ms whole and 4.3 ms in 4 chunks; 11 uneven chunks
 * of 2–3 images were slower again (7–8 ms). The wide ResNet's training step, 2–4 % faster.
 * Patches not made by the one-hot Conv (x itself, or the gather matrix's) take the batch whole.
 */
function sumOverBatchChunks(
  b: GraphBuilder,
  x: Value,
  dy: Value,
  weights: Value,
  w: Window,
  perChunk: (x: Value, dy: Value) => Value,
): Value {
  const n = x.shape[0];
  const area = weights.shape[2] * weights.shape[3];
  const budget = b.root.convPatchesChunkBytes;
  const patchBytes =
    (x.size / x.shape[2] / x.shape[3]) * area * dy.shape[2] * dy.shape[3] * Float32Array.BYTES_PER_ELEMENT;
  if (patchesForm(b, x, weights, w) !== 'oneHotConv' || patchBytes <= budget) return perChunk(x, dy);
  const sizes = batchChunks(n, Math.min(MOST_PATCH_CHUNKS, Math.ceil(patchBytes / budget)));
  if (sizes.length === 1) return perChunk(x, dy);
  const split = (v: Value) => b.op('Split', [v, b.ints(sizes)], { axis: 0 }, { outputs: sizes.length });
  const [xs, dys] = [split(x), split(dy)];
  return xs.map((xc, i) => perChunk(xc, dys[i])).reduce((total, part) => b.add(total, part));
}

/**
 * Sizes of at least `fewest` chunks of n images (at most n): the fewest equal chunks (a divisor
 * of n up to twice `fewest`), else `fewest` chunks as even as can be (4 and 8 equal chunks of
 * 32 images ran faster than 5 uneven ones).
 */
export function batchChunks(n: number, fewest: number): number[] {
  const count = Math.min(n, fewest);
  let equal = count;
  while (n % equal !== 0) equal++;
  const chunks = equal <= 2 * count ? equal : count;
  return Array.from({ length: chunks }, (_, i) => Math.floor(n / chunks) + (i < n % chunks ? 1 : 0));
}

/**
 * patches [N·C, K², Oh, Ow] of x under the convolution's window, by onnxruntime's Conv with one-hot
 * kernels, or for small images (graph/im2col.ts byProduct) by the product with the window's
 * gather matrix (at [1024, 1, 4, 4] 0.13 against the Conv's 0.49 ms). An unpadded 1×1 window
 * needs no Conv, which spends a Gemm per image copying: with stride 1 (every bottleneck's
 * pointwise convolutions) its patches are x itself; strided (ResNet's shortcuts), x subsampled by
 * a 1×1 AveragePool, exact (one value over a count of 1). Profiled in the wide ResNet's training
 * graph at [32, 32, 32, 32], stride 2: one-hot Conv 0.61 ms, AveragePool 0.12 ms, onnxruntime's
 * Slice with steps 1.16 ms.
 */
/** How imagePatches makes them: from x itself (unpadded 1×1), the gather matrix, or a one-hot Conv. */
function patchesForm(b: GraphBuilder, x: Value, weights: Value, w: Window): 'x' | 'product' | 'oneHotConv' {
  if (weights.shape[2] * weights.shape[3] === 1 && w.pads.every((p) => p === 0)) return 'x';
  return byProduct(b, x) ? 'product' : 'oneHotConv';
}

function imagePatches(b: GraphBuilder, x: Value, weights: Value, w: Window): Value {
  const [kh, kw] = weights.shape.slice(2);
  const [n, ch, h, width] = x.shape;
  const area = kh * kw;
  const form = patchesForm(b, x, weights, w);
  if (form === 'x') {
    const sub = w.strides.every((s) => s === 1)
      ? x
      : b.op('AveragePool', [x], { kernel_shape: [1, 1], strides: w.strides })[0];
    return b.reshape(sub, [n * ch, 1, sub.shape[2], sub.shape[3]]);
  }
  if (form === 'product') return patchesByProduct(b, x, w);
  const oneHot = new Array<number>(area * area).fill(0);
  for (let k = 0; k < area; k++) oneHot[k * area + k] = 1;
  return b.op('Conv', [b.reshape(x, [n * ch, 1, h, width]), b.constant(oneHot, [area, 1, kh, kw], x.dtype)], {
    kernel_shape: w.kernel,
    strides: w.strides,
    pads: w.pads,
    dilations: w.dilations,
  })[0];
}

/**
 * dW of a grouped convolution (depthwise in MobileNet and EfficientNet, groups in ResNeXt): group
 * j's F/G filters see only its C/G channels, so with the window's values as rows (c, kh, kw), as
 * both forms above make them, dW is one batched product over the groups, filters × values:
 * from onnxruntime's patches, per image [G, F/G, O]·[G, (C/G)·K², O]ᵀ summed over the batch; or
 * from im2col's columns, [G, F/G, N·O]·[G, (C/G)·K², N·O]ᵀ (graphs without contrib ops).
 */
function groupedWeightGrad(b: GraphBuilder, x: Value, dy: Value, weights: Value, w: Window, group: number) {
  const [f, cg, kh, kw] = weights.shape;
  const [n, o, values] = [x.shape[0], dy.shape[2] * dy.shape[3], cg * kh * kw];
  const fg = f / group;
  if (b.root.contribOps) {
    const sum = sumOverBatchChunks(b, x, dy, weights, w, (xs, dys) => {
      const images = xs.shape[0];
      const patches = b.reshape(imagePatches(b, xs, weights, w), [images, group, values, o]);
      return sumOfProducts(b, b.reshape(dys, [images, group, fg, o]), patches);
    });
    return b.reshape(sum, weights.shape);
  }
  const dyt = b.reshape(swapImageLayout(b, dy), [group, fg, n * o]);
  const cols = b.transpose(b.reshape(im2col(b, x, w), [group, values, n * o]), [0, 2, 1]);
  return b.reshape(b.matmul(dyt, cols), weights.shape);
}

/** dW of a 2-D convolution by im2col (graph/im2col.ts): dYᵀ·colsᵀ, dY as [F, N·O]. */
function convWeightGrad(b: GraphBuilder, x: Value, dy: Value, weights: Value, w: Window): Value {
  const [f, n, o] = [weights.shape[0], dy.shape[0], dy.shape[2] * dy.shape[3]];
  const dyt = b.reshape(swapImageLayout(b, dy), [f, n * o]);
  return b.reshape(b.op('Gemm', [dyt, im2col(b, x, w)], { transB: 1 })[0], weights.shape);
}

/**
 * dX of a convolution whose height stride is 1, as ONE ConvTranspose over the batch stacked into a
 * single tall image, from dY as [F, N·Oh·Ow]. onnxruntime's ConvTranspose runs a small Gemm and a
 * col2im per image; stacked, one Gemm covers the whole batch. A transposed convolution spreads an
 * input row over the sep = (K−1)·d rows after it, so each image's Oh rows are followed by sep zero
 * rows: image n's full (unpadded) transposed convolution is then exactly the rows
 * n·(Oh+sep) … (n+1)·(Oh+sep) of the tall result (the height pads are 0 at the top and sep at the
 * bottom, which drops the last image's overhang), touching no other image; rows p₀ … p₀+H of each
 * block are dX (the forward's Xp without its padding, Oh + sep = H + p₀ + p₂). The width is
 * transposed as usual, with its own stride, pads and output_padding.
 */
function stackedInputGrad(
  b: GraphBuilder,
  dyByFilter: Value,
  weights: Value,
  x: Value,
  y: Value,
  w: Window,
  layout: ImageLayout,
) {
  const [f, ch] = weights.shape;
  const [n, h, width] = [imagesOf(x, layout), x.shape[2], x.shape[3]];
  const [oh, ow] = [y.shape[2], y.shape[3]];
  const sep = (w.kernel[0] - 1) * w.dilations[0];
  const blocks = b.reshape(dyByFilter, [f, n, oh, ow]);
  const spaced = sep ? b.op('Pad', [blocks, b.ints([0, 0, 0, 0, 0, 0, sep, 0])])[0] : blocks;
  const tall = b.op('ConvTranspose', [b.reshape(spaced, [1, f, n * (oh + sep), ow]), weights], {
    strides: [1, w.strides[1]],
    pads: [0, w.pads[1], sep, w.pads[3]],
    dilations: w.dilations,
    kernel_shape: w.kernel,
    output_padding: [0, ...outputPadding(x, y, w, [1])],
  })[0];
  const perImage = b.reshape(tall, [ch, n, oh + sep, width]);
  const rows = b.op('Slice', [perImage, b.ints([w.pads[0]]), b.ints([w.pads[0] + h]), b.ints([2])])[0];
  return layout === 'channelMajor' ? rows : swapImageLayout(b, rows);
}

const imagesOf = (x: Value, layout: ImageLayout) => x.shape[layout === 'channelMajor' ? 1 : 0];

/**
 * The training conv2d composite (layers/conv.ts): y = W·cols + bias as channel-major [F, N, Oh, Ow]
 * (the Gemm's own layout), over inputs [x, W, bias, cols] with x image-major or channel-major
 * (ints.channelMajorInput). Its rule reuses the forward's cols: with dY as [F, N·O] (a reshape),
 * dW = dY·colsᵀ (one Gemm) and dB = Σ over its contiguous last axis; dX, in x's layout, is the
 * transposed convolution as for Conv, over the batch stacked as one image when the height stride
 * is 1 (stackedInputGrad). Small images (graph/im2col.ts byProduct) take dX as col2im of
 * dCols = Wᵀ·dY by the product with the forward's gather matrix instead: two Gemms and a
 * Transpose where the ConvTranspose ran a Pad, a col2im per row block and a Slice.
 */
export const conv2dComposite: GradRule = (c) => {
  const { b } = c;
  const [x, weights, , cols] = [c.x(0), c.x(1), c.x(2), c.x(3)];
  const ints = c.node.composite?.ints ?? {};
  const w: Window = {
    kernel: ints.kernel,
    strides: ints.strides,
    pads: ints.pads,
    dilations: ints.dilations,
  };
  const layout: ImageLayout = ints.channelMajorInput?.[0] === 1 ? 'channelMajor' : 'imageMajor';
  let byFilter: Value | undefined;
  const dyByFilter = () => (byFilter ??= b.reshape(c.dy(), [weights.shape[0], -1]));
  const strided = () => {
    const dx = transposedConv(b, swapImageLayout(b, c.dy()), weights, x, c.y(0), w, 1);
    return layout === 'channelMajor' ? swapImageLayout(b, dx) : dx;
  };
  return [
    () => {
      if (byProduct(b, x)) {
        const dCols = b.op('Gemm', [b.reshape(weights, [weights.shape[0], -1]), dyByFilter()], {
          transA: 1,
        })[0];
        return col2imByProduct(b, dCols, x, w, layout);
      }
      return w.strides[0] === 1
        ? stackedInputGrad(b, dyByFilter(), weights, x, c.y(0), w, layout)
        : strided();
    },
    () => b.reshape(b.op('Gemm', [dyByFilter(), cols], { transB: 1 })[0], weights.shape),
    () => b.reduceSum(dyByFilter(), [1]),
    undefined,
  ];
};

function maxPoolGradByMask(c: GradContext, dy: Value): Value {
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
  const routed = b.op('Where', [isMax, perWindow(dy), b.scalar(0, x.dtype)])[0];
  const dx = b.reshape(routed, [n, ch, hc, wc]);
  return hc === h && wc === wd ? dx : b.op('Pad', [dx, b.ints([0, 0, 0, 0, 0, 0, h - hc, wd - wc])])[0];
}

/** dX of MaxPool from `dy` (the gradient of its output): to each window's first maximum. */
function maxPoolInputGrad(c: GradContext, dy: Value): Value {
  const { b } = c;
  const x = c.x(0);
  if (b.root.avoidPoolIndices) return maxPoolGradByMask(c, dy);
  const w = windowOf(c, c.ints('kernel_shape', []));
  const disjoint = w.kernel.every((k, i) => w.strides[i] >= (k - 1) * w.dilations[i] + 1);
  if (disjoint)
    return b.op('MaxUnpool', [dy, c.y(1), b.ints(x.shape)], {
      kernel_shape: w.kernel,
      strides: w.strides,
      pads: w.pads,
    })[0];
  const flat = b.zeros([x.size], x.dtype);
  const idx = b.reshape(c.y(1), [-1]);
  const dx = b.op('ScatterElements', [flat, idx, b.reshape(dy, [-1])], {
    axis: 0,
    reduction: 'add',
  })[0];
  return b.reshape(dx, x.shape);
}

export const CONV_RULES: Record<string, GradRule> = {
  Conv: (c) => {
    const group = c.int('group', 1);
    const weights = c.x(1);
    const w = windowOf(c, c.ints('kernel_shape', weights.shape.slice(2)));
    if (group !== 1)
      return [
        () =>
          flippedKernelInputGrad(c.b, c.dy(), weights, w, group) ??
          transposedConv(c.b, c.dy(), weights, c.x(0), c.y(0), w, group),
        () => groupedWeightGrad(c.b, c.x(0), c.dy(), weights, w, group),
        () => c.b.reduceSum(c.dy(), [0, 2, 3]),
      ];
    return [
      () =>
        flippedKernelInputGrad(c.b, c.dy(), weights, w) ??
        transposedConv(c.b, c.dy(), weights, c.x(0), c.y(0), w, 1),
      () =>
        convWeightGradByPatches(c.b, c.x(0), c.dy(), weights, w) ??
        convWeightGrad(c.b, c.x(0), c.dy(), weights, w),
      () => c.b.reduceSum(c.dy(), [0, 2, 3]),
    ];
  },
  // ConvTranspose (imported nn.ConvTranspose2d, group 1): Y[n,f,s·i + d·k − p] += Σ_c X[n,c,i]·W[c,f,k],
  // the transpose of a Conv with W as its [c filters, f channels] kernel. So dX is that Conv of
  // dY (same W, strides, pads and dilations: its output is X's extent, output_padding < stride),
  // and dW[c,f,k] = Σ_n Σ_i X[n,c,i]·dYp[n,f,s·i + d·k] is a Conv's weight gradient with the roles
  // swapped: dY as the convolution's input, X as its output gradient. dB = Σ dY.
  ConvTranspose: (c) => {
    const group = c.int('group', 1);
    if (group !== 1)
      throw new Error(
        `ConvTranspose (node ${c.node.name}): grouped transposed convolution has no gradient rule`,
      );
    const weights = c.x(1);
    const w = windowOf(c, c.ints('kernel_shape', weights.shape.slice(2)));
    return [
      () =>
        c.b.op('Conv', [c.dy(), weights], {
          kernel_shape: w.kernel,
          strides: w.strides,
          pads: w.pads,
          dilations: w.dilations,
        })[0],
      () =>
        convWeightGradByPatches(c.b, c.dy(), c.x(0), weights, w) ??
        convWeightGrad(c.b, c.dy(), c.x(0), weights, w),
      () => c.b.reduceSum(c.dy(), [0, 2, 3]),
    ];
  },
  MaxPool: (c) => [() => maxPoolInputGrad(c, c.dy())],
  // MaxPool over a Relu's output (layers/conv.ts), differentiated as one: relu's gradient taken on
  // the pooled values before dY is routed back (an input gets dY only as its window's first
  // maximum, and relu(x) there is the pooled y), so its mask covers one value per window.
  reluMaxPool: (c) => [() => maxPoolInputGrad(c, reluGrad(c.b, c.dy(), c.y(0)))],
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
