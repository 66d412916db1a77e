/**
 * The layer table (one builder per layer type of src/experiment/types.ts) and the forward
 * pass over a model's layer list. To add a layer type, write its builder and list it here.
 */
import type { Layer, LayerType } from '../../contract/experiment';
import type { GraphBuilder, Value } from '../graph/builder';
import type { ParamBinder } from '../model/params';
import { activation, dense, dropoutLayer, flatten, layernorm } from './basic';
import { ModelError, type LayerBuilder, type LayerContext, type Mode } from './context';
import { avgpool2d, conv2d, maxpool2d } from './conv';
import { dropout } from './dropout';
import { gru, lstm } from './recurrent';
import { attention, embedding, transformer } from './sequence';

export const LAYERS: Partial<Record<LayerType, LayerBuilder<never>>> = {
  dense,
  conv2d,
  maxpool2d,
  avgpool2d,
  flatten,
  dropout: dropoutLayer,
  embedding,
  lstm,
  gru,
  attention,
  transformer,
  layernorm,
  activation,
};

export interface ForwardOptions {
  b: GraphBuilder;
  mode: Mode;
  params: ParamBinder;
  /** int64 scalar: train-mode dropout masks are a function of it (see dropout.ts). */
  dropoutKey?: Value;
  /**
   * The model's sequence length when `x` is a shorter sequence (attention probe of a short
   * text): learned position tables keep their full size and are sliced.
   */
  contextLength?: number;
}

export interface Forward {
  output: Value;
  /** Attention probabilities [B, heads, T, T], one per attention layer, in layer order. */
  attention: { layer: number; probs: Value }[];
}

export function buildForward(layers: Layer[], x: Value, options: ForwardOptions): Forward {
  const { b, mode, params } = options;
  const attention: Forward['attention'] = [];
  let site = 0;
  let h = x;
  const outerScope = b.scope;
  layers.forEach((layer, index) => {
    const build = LAYERS[layer.type] as LayerBuilder | undefined;
    const where = `layer ${index} (${layer.type})`;
    if (!build)
      throw new ModelError(`${where}: the engine does not support this layer type yet`, index, layer.type);
    const context: LayerContext = {
      b,
      mode,
      index,
      contextLength: options.contextLength ?? x.shape[1],
      param: (name, shape, init) => params.get(name, shape, init),
      dropout(v, rate) {
        if (mode === 'eval' || rate === 0) return v;
        if (!options.dropoutKey) throw new Error('train-mode graphs need a dropout key');
        return dropout(b, v, rate, options.dropoutKey, site++);
      },
      recordAttention: (probs) => attention.push({ layer: index, probs }),
    };
    b.scope = `${outerScope}layer${index}.${layer.type}/`;
    try {
      h = build(context, layer, h);
    } catch (error) {
      if (error instanceof ModelError) throw error;
      const message =
        error instanceof Error ? error.message.replace(/^layer\d+\.[a-z0-9]+\//, '') : String(error);
      throw new ModelError(`${where}: ${message}`, index, layer.type);
    } finally {
      b.scope = outerScope;
    }
  });
  return { output: h, attention };
}
