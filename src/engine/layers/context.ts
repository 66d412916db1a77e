/**
 * What a layer builder sees: the graph, its parameters, the mode, and per-graph extras
 * (dropout key and site counter, attention probability outputs).
 */
import type { Layer } from '../../contract/experiment';
import type { GraphBuilder, Value } from '../graph/builder';
import type { Rng } from '../init';
import type { ParamBinder } from '../model/params';

export type Mode = 'train' | 'eval';

export interface LayerContext {
  b: GraphBuilder;
  mode: Mode;
  /** Index of the layer in the model's list; names its parameters. */
  index: number;
  /** Sequence length the model was built for (x.shape[1] of its input; see ForwardOptions). */
  contextLength: number;
  /** A parameter of this layer, e.g. param('weight', [in, out], init). */
  param(name: string, shape: number[], init: (rng: Rng, n: number) => Float32Array): Value;
  /** Dropout in train mode (identity in eval mode); each call is a distinct mask site. */
  dropout(x: Value, rate: number): Value;
  /**
   * Training graphs only: the name of a layer norm just before this layer that the forward pass
   * left for it to fold into its linear (buildForward; a dense layer takes it as normalizedLinear).
   */
  normBefore?: string;
  /** Records attention probabilities [B, heads, T, T] for the probe graph. */
  recordAttention(probs: Value): void;
  /**
   * Present only in the inside-view graph: a recurrent layer records its hidden states and
   * gates over time there, each [B, T, units], by name.
   */
  recordInside?(values: Record<string, Value>): void;
}

export type LayerBuilder<L extends Layer = Layer> = (c: LayerContext, layer: L, x: Value) => Value;

/** A model description error that names the layer (index and type) it comes from. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly layerIndex?: number,
    readonly layerType?: string,
  ) {
    super(message);
  }
}

export function expectRank(x: Value, rank: number, what: string): void {
  if (x.rank !== rank)
    throw new Error(
      `expects ${what} (rank ${rank} with the batch), got shape [${x.shape.slice(1).join(', ')}]`,
    );
}

export type { ParamBinder };
