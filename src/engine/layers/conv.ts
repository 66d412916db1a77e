/** 2-D convolution and pooling layers on [batch, channels, height, width]. */
import * as l10n from '@vscode/l10n';
import type { GraphBuilder, Value } from '../graph/builder';
import { convOutputShape, im2col, type ConvWindow } from '../graph/im2col';
import { windowOut } from '../graph/shapes';
import { he } from '../init';
import { activate } from './activations';
import { channelMajorTwin, imageMajor } from './channelMajor';
import { expectRank, type LayerBuilder } from './context';
import { needsRank, type LayerKind, type LayerOf, type ShapeStep } from './kind';

/** Pads [top, left, bottom, right]: 'same' splits (k−1)·d, extra row/column at the end. */
export function convPads(padding: LayerOf<'conv2d'>['padding'], kernel: number, dilation: number): number[] {
  if (padding === undefined || padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const total = (kernel - 1) * dilation;
    const begin = Math.floor(total / 2);
    return [begin, begin, total - begin, total - begin];
  }
  if (!Number.isInteger(padding) || padding < 0)
    throw new Error(`padding must be 'same', 'valid' or a count ≥ 0`);
  return [padding, padding, padding, padding];
}

const positive = (what: string, v: number) => {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${v}`);
  return v;
};

export const conv2d: LayerBuilder<LayerOf<'conv2d'>> = (c, l, x) => {
  expectRank(x, 4, 'images [channels, height, width]');
  const k = positive('kernel', l.kernel);
  const filters = positive('filters', l.filters);
  const stride = positive('stride', l.stride ?? 1);
  const dilation = positive('dilation', l.dilation ?? 1);
  const channels = x.shape[1];
  const fanIn = channels * k * k;
  const w = c.param(`layer${c.index}.conv2d.weight`, [filters, channels, k, k], (rng, n) =>
    he(rng, fanIn, n),
  );
  const bias = c.param(`layer${c.index}.conv2d.bias`, [filters], (_, n) => new Float32Array(n));
  const window: ConvWindow = {
    kernel: [k, k],
    strides: [stride, stride],
    dilations: [dilation, dilation],
    pads: convPads(l.padding, k, dilation),
  };
  if (c.mode === 'train')
    return imageMajor(c.b, activate(c.b, convByIm2col(c.b, x, w, bias, window), l.activation));
  const y = c.b.op('Conv', [x, w, bias], {
    kernel_shape: window.kernel,
    strides: window.strides,
    dilations: window.dilations,
    pads: window.pads,
  })[0];
  return activate(c.b, y, l.activation);
};

/**
 * Training forward of conv2d as im2col and one Gemm over the whole batch (graph/im2col.ts):
 * faster here than Conv's per-image products, and its backward (the conv2d composite rule)
 * reuses the cols for dW. Its output is channel-major [F, N, Oh, Ow], as the Gemm makes it, and it
 * reads x's channel-major twin when the layer before left one (layers/channelMajor.ts). Eval
 * graphs, and so the exported model, keep the plain Conv.
 */
function convByIm2col(b: GraphBuilder, x: Value, w: Value, bias: Value, window: ConvWindow): Value {
  const [oh, ow] = convOutputShape(x, window);
  const [n, filters] = [x.shape[0], w.shape[0]];
  const twin = channelMajorTwin(x);
  const input = twin ?? x;
  const cols = im2col(b, input, window, twin ? 'channelMajor' : 'imageMajor');
  const byFilter = b.op('Gemm', [b.reshape(w, [filters, -1]), cols, b.reshape(bias, [filters, 1])])[0];
  const y = b.reshape(byFilter, [filters, n, oh, ow]);
  y.producer!.composite = {
    rule: 'conv2d',
    inputs: [input, w, bias, cols],
    ints: { ...window, channelMajorInput: [twin ? 1 : 0] },
  };
  return y;
}

function pool(opType: 'MaxPool' | 'AveragePool'): LayerBuilder<LayerOf<'maxpool2d'> | LayerOf<'avgpool2d'>> {
  return (c, l, x) => {
    expectRank(x, 4, 'images [channels, height, width]');
    const size = positive('size', l.size);
    const stride = positive('stride', l.stride ?? size);
    const attrs = { kernel_shape: [size, size], strides: [stride, stride] };
    // Each [H, W] plane is pooled alike, so a channel-major twin pools as it is.
    const twin = channelMajorTwin(x);
    const input = twin ?? x;
    const y = c.b.op(opType, [input], attrs)[0];
    // Max pooling of a ReLU's output: one gradient rule for both (autodiff/rules/conv.ts).
    const relu = input.producer;
    if (c.mode === 'train' && opType === 'MaxPool' && relu?.opType === 'Relu' && !relu.composite)
      y.producer!.composite = { rule: 'reluMaxPool', inputs: [relu.inputs[0]!] };
    return twin ? imageMajor(c.b, y) : y;
  };
}

export const maxpool2d = pool('MaxPool');
export const avgpool2d = pool('AveragePool');

const image = (): string => l10n.t('an image [channels, height, width]');

export const conv2dLayer: LayerKind<'conv2d'> = {
  schema: {
    description: '2-D convolution: small filters slide over an image [channels, height, width].',
    required: ['filters', 'kernel'],
  },
  outputShape: (l, { shape, inputKind }) => {
    const wrong = needsRank(
      'conv2d',
      shape,
      3,
      image(),
      inputKind === 'tokens' ? l10n.t(' (token ids are not images)') : '',
    );
    if (wrong) return wrong;
    const stride = l.stride ?? 1;
    const dilation = l.dilation ?? 1;
    const [, h, w] = shape;
    const pad = typeof l.padding === 'number' ? l.padding : 0;
    const out =
      l.padding === 'same'
        ? [Math.ceil(h / stride), Math.ceil(w / stride)]
        : [h, w].map((size) => windowOut(size, l.kernel, stride, pad, pad, dilation));
    if (out.some((size) => size < 1)) {
      return {
        problem: {
          field: 'kernel',
          message: l10n.t(
            'kernel {0} does not fit the {1}×{2} input (output would be {3}); use a smaller kernel or "padding": "same"',
            l.kernel,
            h,
            w,
            out.join('×'),
          ),
        },
      };
    }
    return { shape: [l.filters, out[0], out[1]] };
  },
  build: conv2d,
  products: (l, input, output) => [
    {
      macs: output[0] * output[1] * output[2] * input[0] * l.kernel * l.kernel,
      operands: 'activation·weight',
    },
  ],
};

function poolShape(l: LayerOf<'maxpool2d' | 'avgpool2d'>, { shape }: { shape: number[] }): ShapeStep {
  const wrong = needsRank(l.type, shape, 3, image());
  if (wrong) return wrong;
  const stride = l.stride ?? l.size;
  const [c, h, w] = shape;
  const out = [h, w].map((size) => windowOut(size, l.size, stride, 0, 0));
  if (out.some((size) => size < 1)) {
    return {
      problem: {
        field: 'size',
        message: l10n.t('pool size {0} is larger than the {1}×{2} input', l.size, h, w),
      },
    };
  }
  return { shape: [c, out[0], out[1]] };
}

export const maxpool2dLayer: LayerKind<'maxpool2d'> = {
  schema: {
    description: 'Keeps the largest value of each size×size window, shrinking the image.',
    required: ['size'],
  },
  outputShape: poolShape,
  build: maxpool2d,
};

export const avgpool2dLayer: LayerKind<'avgpool2d'> = {
  schema: { description: 'Averages each size×size window, shrinking the image.', required: ['size'] },
  outputShape: poolShape,
  build: avgpool2d,
};

export const globalavgpoolLayer: LayerKind<'globalavgpool'> = {
  schema: {
    description:
      'Averages each channel over the whole image: [channels, height, width] becomes [channels], with no weights (a light alternative to flatten before the classifier).',
    required: [],
  },
  outputShape: (_l, { shape }) => needsRank('globalavgpool', shape, 3, image()) ?? { shape: [shape[0]] },
  build: (c, _l, x) => {
    expectRank(x, 4, 'images [channels, height, width]');
    return c.b.op('ReduceMean', [x], { axes: [2, 3], keepdims: 0 })[0];
  },
};
