/** Token embedding with positions, multi-head self-attention and the pre-norm transformer block. */
import * as l10n from '@vscode/l10n';
import { FloatAttr, type Value } from '../graph/builder';
import { normalInit } from '../init';
import { geluOfScaled } from './activations';
import { linear, normalizedLinear } from './basic';
import { expectRank, type LayerBuilder, type LayerContext } from './context';
import { needsRank, type LayerKind, type LayerOf, type Product, type ShapeStep } from './kind';

/** Sinusoidal positions (Vaswani et al.): PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(…). */
export function sinusoidal(length: number, dim: number): Float32Array {
  const table = new Float32Array(length * dim);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < dim; i++) {
      const angle = t / Math.pow(10000, (2 * Math.floor(i / 2)) / dim);
      table[t * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}

export const embedding: LayerBuilder<LayerOf<'embedding'>> = (c, l, x) => {
  if (x.dtype !== 'int64')
    throw new Error('needs token ids: make it the first layer of a model with token input');
  if (!Number.isInteger(l.vocabSize) || l.vocabSize < 1)
    throw new Error('vocabSize must be a positive integer');
  if (!Number.isInteger(l.dim) || l.dim < 1) throw new Error('dim must be a positive integer');
  expectRank(x, 2, 'token sequences [length]');
  const { b } = c;
  const length = x.shape[1];
  const table = c.param(`layer${c.index}.embedding.weight`, [l.vocabSize, l.dim], (rng, n) =>
    normalInit(rng, n, 1),
  );
  const tokens = b.op('Gather', [table, x], { axis: 0 })[0];
  switch (l.positional ?? 'learned') {
    case 'learned': {
      // The table covers the model's full context; a shorter probe sequence uses its first rows.
      const full = Math.max(c.contextLength, length);
      const positions = c.param(`layer${c.index}.embedding.position`, [full, l.dim], (rng, n) =>
        normalInit(rng, n, 1),
      );
      const pos =
        length < full ? b.op('Slice', [positions, b.ints([0]), b.ints([length]), b.ints([0])])[0] : positions;
      return b.add(tokens, pos);
    }
    case 'sinusoidal':
      return b.add(tokens, b.constant(sinusoidal(length, l.dim), [length, l.dim]));
    case 'none':
      return tokens;
  }
};

/**
 * Multi-head self-attention on [B, T, D]: one projection to q, k, v; per head
 * softmax(q·kᵀ/√dₕ + mask)·v; heads concatenated and projected back to D.
 * The probabilities [B, heads, T, T] are recorded for the attention probe.
 */
export function selfAttention(
  c: LayerContext,
  x: Value,
  heads: number,
  causal: boolean,
  name: string,
  /** Name of a layer norm applied to x first, folded into the qkv projection. */
  normName?: string,
): Value {
  expectRank(x, 3, 'sequences [length, features]');
  // Reshapes keep the batch as -1, so an exported model accepts any batch.
  const [, length, dim] = x.shape;
  if (!Number.isInteger(heads) || heads < 1 || dim % heads !== 0)
    throw new Error(`heads (${heads}) must divide the feature size ${dim}`);
  const { b } = c;
  const dh = dim / heads;
  const qkv = normName
    ? normalizedLinear(c, x, normName, 3 * dim, `${name}.qkv`)
    : linear(c, x, 3 * dim, `${name}.qkv`);
  const split = b.op('Split', [qkv, b.ints([dim, dim, dim])], { axis: 2 }, { outputs: 3 });
  const [q, k, v] = split.map((t) => b.transpose(b.reshape(t, [-1, length, heads, dh]), [0, 2, 1, 3]));
  let scores = scaledScores(c, q, k, 1 / Math.sqrt(dh));
  if (causal) scores = b.add(scores, causalMask(c, length));
  const probs = b.op('Softmax', [scores], { axis: -1 })[0];
  c.recordAttention(probs);
  const perHead = b.matmul(probs, v);
  // Training graphs differentiate softmax and product as one (autodiff/rules/composite.ts): the
  // softmax's row sums then run over the head width instead of the T keys.
  if (c.mode === 'train') perHead.producer!.composite = { rule: 'attentionMix', inputs: [scores, v, probs] };
  const mixed = b.reshape(b.transpose(perHead, [0, 2, 1, 3]), [-1, length, dim]);
  return linear(c, mixed, dim, `${name}.out`);
}

/**
 * scale·q·kᵀ per head. Training graphs on the CPU read k transposed in place with onnxruntime's
 * FusedMatMul (scale included), which also keeps their backward free of Transposes; other
 * graphs (the exported model.onnx, WebGPU) stay standard ONNX.
 */
function scaledScores(c: LayerContext, q: Value, k: Value, scale: number): Value {
  const { b } = c;
  if (c.mode === 'train' && b.root.contribOps)
    return b.op(
      'FusedMatMul',
      [q, k],
      { transB: 1, alpha: new FloatAttr(scale) },
      { domain: 'com.microsoft' },
    )[0];
  return b.matmul(b.mul(q, b.scalar(scale)), b.transpose(k, [0, 1, 3, 2]));
}

/** 0 on and below the diagonal, −1e9 above: softmax gives future positions zero weight. */
function causalMask(c: LayerContext, length: number): Value {
  const mask = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) mask[i * length + j] = -1e9;
  return c.b.constant(mask, [length, length]);
}

export const attention: LayerBuilder<LayerOf<'attention'>> = (c, l, x) =>
  selfAttention(c, x, l.heads, l.causal ?? false, `layer${c.index}.attention`);

/**
 * Pre-norm block: h = x + drop(attn(LN(x))); y = h + drop(W₂·gelu(W₁·LN(h))). The feed-forward
 * Gemms carry GELU's constants in their alpha (linear's `scale`): W₁ gives u = z/√2 for
 * z = W₁·LN(h), GELU is then u·(1 + erf u) = √2·gelu(z) (geluOfScaled: three passes over the
 * hidden rows, not five), and W₂ takes it times 1/√2.
 */
export const transformer: LayerBuilder<LayerOf<'transformer'>> = (c, l, x) => {
  expectRank(x, 3, 'sequences [length, features]');
  const { b } = c;
  const name = `layer${c.index}.transformer`;
  const dim = x.shape[2];
  const rate = l.dropout ?? 0;
  const attn = selfAttention(c, x, l.heads, l.causal ?? false, `${name}.attention`, `${name}.ln1`);
  const h = b.add(x, c.dropout(attn, rate));
  const u = normalizedLinear(c, h, `${name}.ln2`, l.ffDim ?? 4 * dim, `${name}.ff1`, true, {
    output: Math.SQRT1_2,
  });
  const ff2 = linear(c, geluOfScaled(b, u), dim, `${name}.ff2`, false, undefined, { input: Math.SQRT1_2 });
  return b.add(h, c.dropout(ff2, rate));
};

export const embeddingLayer: LayerKind<'embedding'> = {
  schema: {
    description: 'Turns token ids into learned vectors (first layer of token models).',
    required: ['dim', 'vocabSize'],
  },
  outputShape: (l, { shape, index, inputKind }) =>
    inputKind !== 'tokens' || index !== 0
      ? {
          problem: {
            message:
              inputKind === 'tokens'
                ? l10n.t('embedding must be the first layer: it turns token ids into vectors')
                : l10n.t(
                    'embedding needs token ids as input, but this dataset gives numbers; remove it or use a text / token dataset',
                  ),
          },
        }
      : { shape: [...shape, l.dim] },
  build: embedding,
  // A lookup, not a product; but the table is trained, so what follows passes gradients back.
  products: () => [{ macs: 0, operands: 'activation·weight' }],
};

/** Attention keeps the shape; the width must split evenly into heads. */
function attentionShape(l: LayerOf<'attention' | 'transformer'>, { shape }: { shape: number[] }): ShapeStep {
  const wrong = needsRank(
    l.type,
    shape,
    2,
    l10n.t('a sequence [positions, width]'),
    l10n.t('; start token models with an embedding'),
  );
  if (wrong) return wrong;
  const width = shape[1];
  if (width % l.heads !== 0) {
    return {
      problem: {
        field: 'heads',
        message: l10n.t(
          'the model width {0} is not divisible by {1} heads (each head gets width / heads dimensions)',
          width,
          l.heads,
        ),
      },
    };
  }
  return { shape };
}

/** Q, K, V projections, scores and probabilities·values, output projection. */
function attentionProducts([steps, dim]: number[]): Product[] {
  return [
    { macs: steps * dim * 3 * dim, operands: 'activation·weight' },
    { macs: 2 * steps * steps * dim, operands: 'activation·activation' },
    { macs: steps * dim * dim, operands: 'activation·weight' },
  ];
}

export const attentionLayer: LayerKind<'attention'> = {
  schema: { description: 'Multi-head self-attention over a sequence.', required: ['heads'] },
  outputShape: attentionShape,
  build: attention,
  products: (_l, input) => attentionProducts(input),
};

export const transformerLayer: LayerKind<'transformer'> = {
  schema: {
    description:
      'Transformer block: attention and a feed-forward network, each with a residual connection and layer norm.',
    required: ['heads'],
  },
  outputShape: attentionShape,
  build: transformer,
  products: (l, input) => {
    const [steps, dim] = input;
    const ff = l.ffDim ?? 4 * dim;
    return [
      ...attentionProducts(input),
      { macs: steps * dim * ff, operands: 'activation·weight' },
      { macs: steps * ff * dim, operands: 'activation·weight' },
    ];
  },
};
