/**
 * Shape inference through an experiment's layers, per example (no batch
 * dimension), from each layer kind's `outputShape` in the engine's catalog.
 * Used by validation to point at the first layer whose input does not fit;
 * the engine builds its own graph shapes.
 */
import * as l10n from '@vscode/l10n';
import type { Layer } from '../contract/experiment';
import type { InputKind } from '../contract/inputKind';
import { kindOf } from '../engine/layers';

export interface ShapeProblem {
  /** Index of the offending layer in `model.layers`. */
  layer: number;
  /** The layer field the message is about, when one is (e.g. 'heads'); otherwise the layer's type. */
  field?: string;
  message: string;
}

export interface ShapeInference {
  /** Output shape after each layer that could be inferred (`shapes[i]` is after layer i). */
  shapes: number[][];
  /** Shape of the model's output; undefined when a layer fails. */
  output?: number[];
  problem?: ShapeProblem;
}

export function inferShapes(inputShape: number[], inputKind: InputKind, layers: Layer[]): ShapeInference {
  const shapes: number[][] = [];
  let shape = inputShape;
  if (inputKind === 'tokens' && layers[0]?.type !== 'embedding') {
    return {
      shapes,
      problem: { layer: 0, message: l10n.t('the input is token ids: the first layer must be an embedding') },
    };
  }
  for (const [index, layer] of layers.entries()) {
    const step = kindOf(layer).outputShape(layer, { shape, index, inputKind });
    if ('problem' in step) return { shapes, problem: { layer: index, ...step.problem } };
    shape = step.shape;
    shapes.push(shape);
  }
  return { shapes, output: shape };
}

/** What a layers model reads, before any data is loaded: token ids when it starts with an embedding. */
export function layersInputKind(layers: Layer[]): InputKind {
  return layers[0]?.type === 'embedding' ? 'tokens' : 'float';
}
