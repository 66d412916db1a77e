/**
 * The layer catalog (one LayerKind per layer type of src/contract/experiment.ts: schema part,
 * output shape, graph builder, products) and the forward pass over a model's layer list. To
 * add a layer type, write its kind next to its relatives and list it here; a type without a
 * kind does not compile.
 */
import type { Layer, LayerType } from '../../contract/experiment';
import type { GraphBuilder, Value } from '../graph/builder';
import type { ParamBinder } from '../model/params';
import { activationLayer, denseLayer, dropoutLayer, flattenLayer, layernormLayer } from './basic';
import { ModelError, type LayerBuilder, type LayerContext, type Mode } from './context';
import { avgpool2dLayer, conv2dLayer, globalavgpoolLayer, maxpool2dLayer } from './conv';
import { dropout } from './dropout';
import type { LayerCatalog, LayerKind, LayerOf } from './kind';
import { gruLayer, lstmLayer } from './recurrent';
import { attentionLayer, embeddingLayer, transformerLayer } from './sequence';

export const LAYERS: LayerCatalog = {
  dense: denseLayer,
  conv2d: conv2dLayer,
  maxpool2d: maxpool2dLayer,
  avgpool2d: avgpool2dLayer,
  globalavgpool: globalavgpoolLayer,
  flatten: flattenLayer,
  dropout: dropoutLayer,
  embedding: embeddingLayer,
  lstm: lstmLayer,
  gru: gruLayer,
  attention: attentionLayer,
  transformer: transformerLayer,
  layernorm: layernormLayer,
  activation: activationLayer,
};

/** The kind of `layer` (TypeScript cannot tie `LAYERS[layer.type]` to `layer` by itself). */
export function kindOf<T extends LayerType>(layer: LayerOf<T>): LayerKind<T> {
  return LAYERS[layer.type as T];
}

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
  /** Recurrent layers also output their hidden states and gates over time (Forward.inside). */
  inspectRecurrent?: boolean;
}

export interface Forward {
  output: Value;
  /** Attention probabilities [B, heads, T, T], one per attention layer, in layer order. */
  attention: { layer: number; probs: Value }[];
  /**
   * Each layer's output, in layer order (the CNN inside view reads the conv layers'). In training
   * graphs a layer norm folded into the dense layer after it (normBefore) gives its input.
   */
  layerOutputs: Value[];
  /** With `inspectRecurrent`: each recurrent layer's values over time [B, T, units], by name. */
  inside: { layer: number; values: Record<string, Value> }[];
}

export function buildForward(layers: Layer[], x: Value, options: ForwardOptions): Forward {
  const { b, mode, params } = options;
  const attention: Forward['attention'] = [];
  const layerOutputs: Value[] = [];
  const inside: Forward['inside'] = [];
  let site = 0;
  let h = x;
  let normBefore: string | undefined;
  const outerScope = b.scope;
  layers.forEach((layer, index) => {
    // A training graph folds a layer norm into the dense layer after it (its scale and shift in the
    // dense's weight and bias, one composite for both: layers/basic.ts normalizedLinear); the
    // other graphs (model.onnx among them) keep the norm as a LayerNormalization of its own.
    if (mode === 'train' && layer.type === 'layernorm' && layers[index + 1]?.type === 'dense') {
      normBefore = `layer${index}.layernorm`;
      layerOutputs.push(h);
      return;
    }
    const foldedNorm = normBefore;
    normBefore = undefined;
    // An experiment that skipped validation may name a type the catalog does not have.
    const build = (LAYERS as Partial<Record<string, { build: LayerBuilder }>>)[layer.type]?.build;
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
      ...(foldedNorm && { normBefore: foldedNorm }),
      recordAttention: (probs) => attention.push({ layer: index, probs }),
      ...(options.inspectRecurrent
        ? { recordInside: (values: Record<string, Value>) => inside.push({ layer: index, values }) }
        : {}),
    };
    b.scope = `${outerScope}layer${index}.${layer.type}/`;
    try {
      h = build(context, layer, h);
      layerOutputs.push(h);
    } catch (error) {
      if (error instanceof ModelError) throw error;
      const message =
        error instanceof Error ? error.message.replace(/^layer\d+\.[a-z0-9]+\//, '') : String(error);
      throw new ModelError(`${where}: ${message}`, index, layer.type);
    } finally {
      b.scope = outerScope;
    }
  });
  return { output: h, attention, layerOutputs, inside };
}
