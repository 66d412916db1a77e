/** Dense, flatten, dropout, layer norm and activation layers. */
import * as l10n from '@vscode/l10n';
import type { GraphBuilder, Value } from '../graph/builder';
import { glorot, he } from '../init';
import { activate } from './activations';
import type { LayerContext } from './context';
import { product, showShape, type LayerKind, type ShapeStep } from './kind';

/**
 * y = x·W + b on the last axis. Inputs of rank > 2 (sequences) are flattened to rows first,
 * so the weight gradient is one Gemm over all rows. With `fold` (the scale γ and shift β of a
 * layer norm just before), the product is x̂·(diag(γ)·W) + (β·W + b) on the normalized x̂.
 * `scale` multiplies inside the Gemm (its alpha), at no extra pass over the rows: `input`
 * gives (s·x)·W + b, `output` gives s·(x·W + b).
 */
export function linear(
  c: LayerContext,
  x: Value,
  units: number,
  name: string,
  reluInit = false,
  fold?: { gamma: Value; beta: Value; norm?: NormOutputs },
  scale: { input?: number; output?: number } = {},
): Value {
  if (!Number.isInteger(units) || units < 1)
    throw new Error(`units must be a positive integer, got ${units}`);
  const { b } = c;
  const features = x.shape[x.rank - 1];
  const weight = c.param(`${name}.weight`, [features, units], (rng, n) =>
    reluInit ? he(rng, features, n) : glorot(rng, features, units, n),
  );
  const folded = foldNormalization(
    b,
    weight,
    c.param(`${name}.bias`, [units], (_, n) => new Float32Array(n)),
    fold,
  );
  const w = folded.weight;
  let bias = folded.bias!;
  const rows = b.reshape(x, [-1, features]);
  const { input = 1, output = 1 } = scale;
  if (output !== 1) bias = b.mul(bias, b.scalar(output));
  const alpha = input * output;
  const { product, bias: inGemm, y } = biasedProduct(b, rows, w, bias, alpha);
  if (fold?.norm) markNormalizedGemm(product, fold.norm, rows, w, inGemm);
  // Leading -1 rather than the batch size, so an exported model accepts any batch.
  return b.reshape(y, [-1, ...x.shape.slice(1, -1), units]);
}

/** Below this many output elements the bias stays inside the Gemm, one node fewer. */
const BIAS_ADD_FROM = 65536;

/**
 * α·rows·W + bias. onnxruntime's Gemm first fills its output with the broadcast bias, which
 * took 0.35 ms per million outputs here where an Add after the product took 0.12 ms: on
 * [2048, 128]·[128, 512] the product alone was 1.07 ms, with the bias in the Gemm 1.45 ms. So
 * large outputs get the Add (the Transformer template's step 2 % faster); `bias` says
 * whether the Gemm itself took it, `product` is the Gemm's output.
 */
export function biasedProduct(
  b: GraphBuilder,
  rows: Value,
  weight: Value,
  bias: Value,
  alpha = 1,
): { product: Value; bias?: Value; y: Value } {
  const attrs: Record<string, number> = alpha === 1 ? {} : { alpha };
  if (rows.shape[0] * weight.shape[1] < BIAS_ADD_FROM) {
    const y = b.op('Gemm', [rows, weight, bias], attrs)[0];
    return { product: y, bias, y };
  }
  const product = b.op('Gemm', [rows, weight], attrs)[0];
  return { product, y: b.add(product, bias) };
}

/**
 * A layer norm's scale γ and shift β folded into the linear after it: (x̂·γ + β)·W + b equals
 * x̂·(diag(γ)·W) + (β·W + b), so the norm can run with unit scale (the importer's normalized
 * linear does this too, onnx/fusedPatterns.ts). Without `fold`, the weight and bias as they are.
 */
export function foldNormalization(
  b: GraphBuilder,
  weight: Value,
  bias: Value | undefined,
  fold?: { gamma: Value; beta?: Value },
): { weight: Value; bias?: Value } {
  if (!fold) return { weight, bias };
  const [features, units] = weight.shape;
  const shift = fold.beta && b.reshape(b.matmul(b.reshape(fold.beta, [1, features]), weight), [units]);
  return {
    weight: b.mul(b.reshape(fold.gamma, [features, 1]), weight),
    bias: bias && shift ? b.add(bias, shift) : (bias ?? shift),
  };
}

function layerNormParams(c: LayerContext, d: number, name: string): { gamma: Value; beta: Value } {
  const gamma = c.param(`${name}.gamma`, [d], (_, n) => new Float32Array(n).fill(1));
  const beta = c.param(`${name}.beta`, [d], (_, n) => new Float32Array(n));
  return { gamma, beta };
}

export function layerNorm(c: LayerContext, x: Value, name: string): Value {
  const { gamma, beta } = layerNormParams(c, x.shape[x.rank - 1], name);
  return c.b.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: 1e-5 })[0];
}

/** What the normalizedLinear composite's rule reads of its layer norm: input, output x̂ and 1/σ per row. */
export interface NormOutputs {
  input: Value;
  output: Value;
  invStdDev: Value;
}

/**
 * Marks the Gemm y = α·x̂·W (+ b) over the rows of a unit-scale layer norm's output x̂ as one
 * composite over [x, W, x̂ rows, 1/σ, x̂, and b when the Gemm adds it] (rule `normalizedLinear`,
 * autodiff/rules/composite.ts): its backward subtracts the row mean of dx̂ inside the dx̂
 * product, two passes fewer.
 */
export function markNormalizedGemm(
  y: Value,
  norm: NormOutputs,
  rows: Value,
  weight: Value,
  bias: Value | undefined,
): void {
  y.producer!.composite = {
    rule: 'normalizedLinear',
    inputs: [norm.input, weight, rows, norm.invStdDev, norm.output, ...(bias ? [bias] : [])],
  };
}

/**
 * linear(layerNorm(x)) with the norm's γ and β folded into the linear's weight and bias (same
 * parameters, same function): the norm itself runs with unit scale, so its backward reuses
 * the forward output as x̂ and dγ, dβ come from the small weight-shaped products instead of
 * passes over every row. The whole is one composite (markNormalizedGemm).
 */
export function normalizedLinear(
  c: LayerContext,
  x: Value,
  normName: string,
  units: number,
  name: string,
  reluInit = false,
  scale: { input?: number; output?: number } = {},
): Value {
  const d = x.shape[x.rank - 1];
  const fold = layerNormParams(c, d, normName);
  const unit = c.b.constant(new Float32Array(d).fill(1), [d]);
  // Only training graphs differentiate it: the others (model.onnx) keep the norm's single output.
  const train = c.mode === 'train';
  const [xhat, , invStdDev] = c.b.op(
    'LayerNormalization',
    [x, unit],
    { axis: -1, epsilon: 1e-5 },
    { outputs: train ? 3 : 1 },
  );
  const norm = train ? { input: x, output: xhat, invStdDev } : undefined;
  return linear(c, xhat, units, name, reluInit, { ...fold, norm }, scale);
}

/** Layers that keep their input's shape. */
const sameShape = (_layer: unknown, input: { shape: number[] }): ShapeStep => ({ shape: input.shape });

export const denseLayer: LayerKind<'dense'> = {
  schema: {
    description:
      'Fully connected: every output is a weighted sum of all inputs plus a bias (applied to the last dimension).',
    required: ['units'],
  },
  outputShape: (l, { shape }) =>
    shape.length === 3
      ? {
          problem: {
            message: l10n.t(
              'dense after an image-shaped input {0}: add {1} before it',
              showShape(shape),
              '{ "type": "flatten" }',
            ),
          },
        }
      : { shape: [...shape.slice(0, -1), l.units] },
  build: (c, l, x) => {
    if (x.rank === 4) throw new Error('gets images [channels, height, width]: add a flatten layer before it');
    if (x.rank < 2 || x.rank > 3)
      throw new Error(`needs [features] or [steps, features] inputs, got [${x.shape.slice(1)}]`);
    const relu = l.activation === 'relu' || l.activation === 'gelu';
    const name = `layer${c.index}.dense`;
    const y = c.normBefore
      ? normalizedLinear(c, x, c.normBefore, l.units, name, relu)
      : linear(c, x, l.units, name, relu);
    return activate(c.b, y, l.activation);
  },
  products: (l, input) => [
    { macs: product(input.slice(0, -1)) * input[input.length - 1] * l.units, operands: 'activation·weight' },
  ],
};

export const flattenLayer: LayerKind<'flatten'> = {
  schema: {
    description: 'Flattens [channels, height, width] into one vector for dense layers.',
    required: [],
  },
  outputShape: (_l, { shape }) => ({ shape: [product(shape)] }),
  build: (c, _l, x) => c.b.op('Flatten', [x], { axis: 1 })[0],
};

export const dropoutLayer: LayerKind<'dropout'> = {
  schema: {
    description: 'Randomly zeroes a fraction of values during training (regularisation); off at evaluation.',
    required: ['rate'],
  },
  outputShape: sameShape,
  build: (c, l, x) => {
    if (!(l.rate >= 0 && l.rate < 1)) throw new Error(`rate must be in [0, 1), got ${l.rate}`);
    return c.dropout(x, l.rate);
  },
};

export const layernormLayer: LayerKind<'layernorm'> = {
  schema: { description: 'Layer normalisation over the last dimension.', required: [] },
  outputShape: sameShape,
  build: (c, _l, x) => layerNorm(c, x, `layer${c.index}.layernorm`),
};

export const activationLayer: LayerKind<'activation'> = {
  schema: { description: 'An activation function on its own.', required: ['activation'] },
  outputShape: sameShape,
  build: (c, l, x) => activate(c.b, x, l.activation),
};
