/** Dense, flatten, dropout, layer norm and activation layers. */
import type { Layer } from '../../experiment/types';
import type { Value } from '../graph/builder';
import { glorot, he } from '../init';
import { activate } from './activations';
import type { LayerBuilder, LayerContext } from './context';

type Of<T extends Layer['type']> = Extract<Layer, { type: T }>;

/**
 * y = x·W + b on the last axis. Inputs of rank > 2 (sequences) are flattened to rows first,
 * so the weight gradient is one Gemm over all rows.
 */
export function linear(c: LayerContext, x: Value, units: number, name: string, reluInit = false): Value {
  if (!Number.isInteger(units) || units < 1)
    throw new Error(`units must be a positive integer, got ${units}`);
  const { b } = c;
  const features = x.shape[x.rank - 1];
  const w = c.param(`${name}.weight`, [features, units], (rng, n) =>
    reluInit ? he(rng, features, n) : glorot(rng, features, units, n),
  );
  const bias = c.param(`${name}.bias`, [units], (_, n) => new Float32Array(n));
  const rows = b.reshape(x, [-1, features]);
  const y = b.op('Gemm', [rows, w, bias])[0];
  // Leading -1 rather than the batch size, so an exported model accepts any batch.
  return b.reshape(y, [-1, ...x.shape.slice(1, -1), units]);
}

export function layerNorm(c: LayerContext, x: Value, name: string): Value {
  const d = x.shape[x.rank - 1];
  const gamma = c.param(`${name}.gamma`, [d], (_, n) => new Float32Array(n).fill(1));
  const beta = c.param(`${name}.beta`, [d], (_, n) => new Float32Array(n));
  return c.b.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: 1e-5 })[0];
}

export const dense: LayerBuilder<Of<'dense'>> = (c, l, x) => {
  if (x.rank === 4) throw new Error('gets images [channels, height, width]: add a flatten layer before it');
  if (x.rank < 2 || x.rank > 3)
    throw new Error(`needs [features] or [steps, features] inputs, got [${x.shape.slice(1)}]`);
  const relu = l.activation === 'relu' || l.activation === 'gelu';
  return activate(c.b, linear(c, x, l.units, `layer${c.index}.dense`, relu), l.activation);
};

export const flatten: LayerBuilder<Of<'flatten'>> = (c, _l, x) => c.b.op('Flatten', [x], { axis: 1 })[0];

export const dropoutLayer: LayerBuilder<Of<'dropout'>> = (c, l, x) => {
  if (!(l.rate >= 0 && l.rate < 1)) throw new Error(`rate must be in [0, 1), got ${l.rate}`);
  return c.dropout(x, l.rate);
};

export const layernorm: LayerBuilder<Of<'layernorm'>> = (c, _l, x) =>
  layerNorm(c, x, `layer${c.index}.layernorm`);

export const activation: LayerBuilder<Of<'activation'>> = (c, l, x) => activate(c.b, x, l.activation);
