// The attention probe shows what the model computes: after a few training steps, its maps equal
// softmax(q·kᵀ/√dₕ + mask) recomputed here in float64 from the weights getState() returns.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { compileModel, type Batch, type TrainableModel, type TrainingState } from '../../../src/engine';
import type { Layer } from '../../../src/contract/experiment';
import { Rng } from '../../../src/engine/init';
import { options } from './fixtures';

const T = 5;
const V = 7;
const D = 8;
const HEADS = 2;
const TOLERANCE = 1e-5;

type Tensors = TrainingState['tensors'];
type Positions = 'learned' | 'sinusoidal';

/** Rows of `a` [n, k] times `w` [k, m] plus `bias` [m]: the engine's linear layer (x·W + b). */
function affine(a: Float64Array, n: number, k: number, w: Float32Array, bias: Float32Array, m: number) {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let sum = bias[j];
      for (let p = 0; p < k; p++) sum += a[i * k + p] * w[p * m + j];
      out[i * m + j] = sum;
    }
  return out;
}

/** Token rows plus positions; sinusoidal: PE[t, 2i] = sin(t/10000^(2i/d)), PE[t, 2i+1] = cos(…). */
function embed(tokens: BigInt64Array, tensors: Tensors, positions: Positions): Float64Array {
  const table = tensors['layer0.embedding.weight'].data;
  const learned = tensors['layer0.embedding.position']?.data;
  const x = new Float64Array(tokens.length * D);
  tokens.forEach((token, t) => {
    for (let i = 0; i < D; i++) {
      const angle = t / 10000 ** ((2 * Math.floor(i / 2)) / D);
      const position =
        positions === 'learned' ? learned[t * D + i] : i % 2 ? Math.cos(angle) : Math.sin(angle);
      x[t * D + i] = table[Number(token) * D + i] + position;
    }
  });
  return x;
}

/** Layer normalization over each row with the biased variance and ε = 1e-5, as ONNX specifies. */
function layerNorm(x: Float64Array, gamma: Float32Array, beta: Float32Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / D; r++) {
    const row = x.subarray(r * D, (r + 1) * D);
    const mean = row.reduce((a, b) => a + b) / D;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / D;
    row.forEach((v, i) => (out[r * D + i] = ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[i] + beta[i]));
  }
  return out;
}

/**
 * Probabilities [heads, T, T] of self-attention on x [T, D] with the fused projection `qkv`
 * (weight [D, 3D]: columns q | k | v, head h owning columns h·dₕ … (h+1)·dₕ − 1 of each).
 */
function attentionProbs(x: Float64Array, tensors: Tensors, qkv: string, causal: boolean): Float64Array {
  const length = x.length / D;
  const dh = D / HEADS;
  const projected = affine(x, length, D, tensors[`${qkv}.weight`].data, tensors[`${qkv}.bias`].data, 3 * D);
  const q = (t: number, h: number, i: number) => projected[t * 3 * D + h * dh + i];
  const k = (t: number, h: number, i: number) => projected[t * 3 * D + D + h * dh + i];
  const probs = new Float64Array(HEADS * length * length);
  for (let h = 0; h < HEADS; h++)
    for (let i = 0; i < length; i++) {
      const visible = causal ? i + 1 : length;
      const scores = Array.from({ length: visible }, (_, j) => {
        let dot = 0;
        for (let p = 0; p < dh; p++) dot += q(i, h, p) * k(j, h, p);
        return dot / Math.sqrt(dh);
      });
      const max = Math.max(...scores);
      const total = scores.reduce((a, s) => a + Math.exp(s - max), 0);
      scores.forEach((s, j) => (probs[(h * length + i) * length + j] = Math.exp(s - max) / total));
    }
  return probs;
}

function tokenBatches(count: number, batchSize: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const x = BigInt64Array.from({ length: batchSize * T }, () => BigInt(Math.floor(rng.uniform() * V)));
    return { x, y: BigInt64Array.from(x, (v) => (v * 2n + 1n) % BigInt(V)) };
  });
}

/** Compiles the model and trains three steps, checking the attention weights moved from their init. */
async function trained(layers: Layer[], qkv: string): Promise<TrainableModel> {
  const model = await compileModel(
    options({ inputShape: [T], inputKind: 'tokens', layers }, { batchSize: 4, seed: 11 }),
  );
  const initial = (await model.getState()).tensors[`${qkv}.weight`].data.slice();
  await model.train(tokenBatches(3, 4, 5), [0.05, 0.05, 0.05]);
  const now = (await model.getState()).tensors[`${qkv}.weight`].data;
  assert.ok(
    now.some((v, i) => Math.abs(v - initial[i]) > 1e-3),
    'training moved the attention weights',
  );
  return model;
}

async function assertMatchesReference(
  model: TrainableModel,
  tokens: BigInt64Array,
  reference: (tensors: Tensors) => Float64Array,
  causal: boolean,
): Promise<void> {
  const maps = await model.attention(tokens);
  assert.equal(maps.length, 1);
  const [map] = maps;
  const length = tokens.length;
  assert.deepEqual([map.heads, map.length, map.probs.length], [HEADS, length, HEADS * length * length]);
  const expected = reference((await model.getState()).tensors);
  map.probs.forEach((p, n) => {
    const [h, i, j] = [Math.floor(n / (length * length)), Math.floor(n / length) % length, n % length];
    assert.ok(
      Math.abs(p - expected[n]) < TOLERANCE,
      `head ${h} (${i}, ${j}): probe ${p}, direct ${expected[n]}`,
    );
    if (causal && j > i) assert.equal(p, 0, `head ${h} (${i}, ${j}) is a future token`);
  });
  for (let row = 0; row < HEADS * length; row++) {
    const sum = map.probs.subarray(row * length, (row + 1) * length).reduce((a, b) => a + b);
    assert.ok(Math.abs(sum - 1) < TOLERANCE, `row ${row} sums to ${sum}`);
  }
}

const probes = [BigInt64Array.from([3n, 0n, 6n, 3n, 1n]), BigInt64Array.from([5n, 2n, 2n])];

for (const positions of ['learned', 'sinusoidal'] as const)
  for (const causal of [false, true])
    test(`attention layer (${positions} positions, ${causal ? 'causal' : 'bidirectional'}): probe equals softmax(QKᵀ/√dₕ + mask)`, async () => {
      const qkv = 'layer1.attention.qkv';
      const model = await trained(
        [
          { type: 'embedding', vocabSize: V, dim: D, positional: positions },
          { type: 'attention', heads: HEADS, causal },
          { type: 'dense', units: V },
        ],
        qkv,
      );
      for (const tokens of probes)
        await assertMatchesReference(
          model,
          tokens,
          (tensors) => attentionProbs(embed(tokens, tensors, positions), tensors, qkv, causal),
          causal,
        );
      await model.dispose();
    });

for (const causal of [false, true])
  test(`pre-norm transformer block (${causal ? 'causal' : 'bidirectional'}): probe equals softmax(QKᵀ/√dₕ + mask) of LN(x)`, async () => {
    const block = 'layer1.transformer';
    const qkv = `${block}.attention.qkv`;
    const model = await trained(
      [
        { type: 'embedding', vocabSize: V, dim: D, positional: 'learned' },
        { type: 'transformer', heads: HEADS, ffDim: 16, dropout: 0.1, causal },
        { type: 'layernorm' },
        { type: 'dense', units: V },
      ],
      qkv,
    );
    const state = (await model.getState()).tensors;
    assert.ok(
      state[`${block}.ln1.gamma`].data.some((g) => Math.abs(g - 1) > 1e-3),
      'the layer norm scale trained away from 1, so using it matters',
    );
    for (const tokens of probes)
      await assertMatchesReference(
        model,
        tokens,
        (tensors) => {
          const ln = layerNorm(
            embed(tokens, tensors, 'learned'),
            tensors[`${block}.ln1.gamma`].data,
            tensors[`${block}.ln1.beta`].data,
          );
          return attentionProbs(ln, tensors, qkv, causal);
        },
        causal,
      );
    await model.dispose();
  });
