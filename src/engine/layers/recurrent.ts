/**
 * The `lstm` and `gru` layers of an experiment: sequences [B, T, F] in, the hidden state
 * of every step [B, T, units] (returnSequences) or of the last step [B, units] out.
 * Initial states are zeros sized from the input's batch at run time (so model.onnx takes any
 * batch); parameters use PyTorch's names, layout and initialisation
 * (U(−1/√H, 1/√H) for every weight and bias), so weights move between the two unchanged.
 * The cells and their Scan backward live in src/engine/recurrent/.
 */
import type { Layer } from '../../contract/experiment';
import type { Value } from '../graph/builder';
import { uniformInit, type Rng } from '../init';
import type { RecurrentWeights } from '../recurrent/common';
import { gruSequence } from '../recurrent/gru';
import { lstmSequence } from '../recurrent/lstm';
import type { LayerContext } from './context';

type Of<T extends Layer['type']> = Extract<Layer, { type: T }>;

/** The part of the layer context these layers use (eval graphs skip saving for the backward). */
export type RecurrentContext = Pick<LayerContext, 'b' | 'mode' | 'index' | 'param'>;

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

export function lstm(c: RecurrentContext, l: Of<'lstm'>, x: Value): Value {
  const { weights, zeros, train } = recurrentWeights(c, `layer${c.index}.lstm`, 4, x, l.units);
  const out = lstmSequence(c.b, x, weights, zeros, zeros, train);
  return l.returnSequences ? out.sequence : out.last;
}

export function gru(c: RecurrentContext, l: Of<'gru'>, x: Value): Value {
  const { weights, zeros, train } = recurrentWeights(c, `layer${c.index}.gru`, 3, x, l.units);
  const out = gruSequence(c.b, x, weights, zeros, train);
  return l.returnSequences ? out.sequence : out.last;
}
