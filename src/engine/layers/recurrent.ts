/**
 * The `lstm` and `gru` layers of an experiment: sequences [B, T, F] in, the hidden state
 * of every step [B, T, units] (returnSequences) or of the last step [B, units] out.
 * Initial states are zeros sized from the input's batch at run time (so model.onnx takes any
 * batch); parameters use PyTorch's names, layout and initialisation
 * (U(−1/√H, 1/√H) for every weight and bias), so weights move between the two unchanged.
 * The cells and their Scan backward live in src/engine/recurrent/.
 */
import * as l10n from '@vscode/l10n';
import type { Value } from '../graph/builder';
import { uniformInit, type Rng } from '../init';
import type { RecurrentOutput, RecurrentWeights } from '../recurrent/common';
import { gruSequence } from '../recurrent/gru';
import { lstmSequence } from '../recurrent/lstm';
import type { LayerContext } from './context';
import { needsRank, type LayerInput, type LayerKind, type LayerOf, type ShapeStep } from './kind';

/** The part of the layer context these layers use (eval graphs skip saving for the backward). */
export type RecurrentContext = Pick<LayerContext, 'b' | 'mode' | 'index' | 'param' | 'recordInside'>;

function recurrentWeights(c: RecurrentContext, name: string, gates: number, x: Value, units: number) {
  if (!Number.isInteger(units) || units < 1)
    throw new Error(`units must be a positive integer, got ${units}`);
  if (x.rank !== 3 || x.dtype !== 'float32')
    throw new Error(`expects sequences [steps, features] of numbers, got [${x.shape.slice(1).join(', ')}]`);
  const bound = 1 / Math.sqrt(units);
  const init = (rng: Rng, n: number) => uniformInit(rng, n, bound);
  const rows = gates * units;
  const weights: RecurrentWeights = {
    wIh: c.param(`${name}.weight_ih`, [rows, x.shape[2]], init),
    wHh: c.param(`${name}.weight_hh`, [rows, units], init),
    bIh: c.param(`${name}.bias_ih`, [rows], init),
    bHh: c.param(`${name}.bias_hh`, [rows], init),
  };
  return { weights, zeros: c.b.batchZeros(x, [units]), train: c.mode === 'train' };
}

export function lstm(c: RecurrentContext, l: LayerOf<'lstm'>, x: Value): Value {
  const { weights, zeros, train } = recurrentWeights(c, `layer${c.index}.lstm`, 4, x, l.units);
  const out = lstmSequence(c.b, x, weights, zeros, zeros, train, { inspect: !!c.recordInside });
  return output(c, l, out);
}

export function gru(c: RecurrentContext, l: LayerOf<'gru'>, x: Value): Value {
  const { weights, zeros, train } = recurrentWeights(c, `layer${c.index}.gru`, 3, x, l.units);
  const out = gruSequence(c.b, x, weights, zeros, train, { inspect: !!c.recordInside });
  return output(c, l, out);
}

/** The layer's output; the inside-view graph also records every step's hidden state and gates. */
function output(c: RecurrentContext, l: LayerOf<'lstm' | 'gru'>, out: RecurrentOutput): Value {
  c.recordInside?.({ hidden: out.sequence, ...out.inside });
  return l.returnSequences ? out.sequence : out.last;
}

function recurrentShape(l: LayerOf<'lstm' | 'gru'>, { shape, inputKind }: LayerInput): ShapeStep {
  const wrong = needsRank(
    l.type,
    shape,
    2,
    l10n.t('a sequence [steps, features]'),
    inputKind === 'tokens' ? '' : l10n.t('; tokens need an embedding first'),
  );
  if (wrong) return wrong;
  return { shape: l.returnSequences ? [shape[0], l.units] : [l.units] };
}

/** Input projections of every step, then the recurrent h·W_hh (its input is the previous state). */
const recurrentProducts =
  (gates: number) =>
  (l: LayerOf<'lstm' | 'gru'>, [steps, features]: number[]) => [
    { macs: steps * features * gates * l.units, operands: 'activation·weight' as const },
    { macs: steps * l.units * gates * l.units, operands: 'activation·activation' as const },
  ];

export const lstmLayer: LayerKind<'lstm'> = {
  schema: {
    description: 'Long short-term memory: a recurrent layer with gates that carry information across steps.',
    required: ['units'],
  },
  outputShape: recurrentShape,
  build: lstm,
  products: recurrentProducts(4),
};

export const gruLayer: LayerKind<'gru'> = {
  schema: { description: 'Gated recurrent unit: a lighter recurrent layer.', required: ['units'] },
  outputShape: recurrentShape,
  build: gru,
  products: recurrentProducts(3),
};
