/**
 * Shape inference through an experiment's layers, per example (no batch
 * dimension). Used by validation to point at the first layer whose input
 * does not fit; the engine builds its own graph shapes.
 */
import type { InputKind } from '../contract/inputKind';
import type { Layer } from '../contract/experiment';

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

const show = (shape: number[]): string => `[${shape.join(', ')}]`;

/** Output size of a sliding window (conv / pool) along one dimension. */
export function windowOutput(
  size: number,
  kernel: number,
  stride: number,
  padBothSides: number,
  dilation = 1,
): number {
  return Math.floor((size + 2 * padBothSides - dilation * (kernel - 1) - 1) / stride) + 1;
}

type Step = { shape: number[] } | { problem: Omit<ShapeProblem, 'layer'> };

function layerOutput(layer: Layer, input: number[], index: number, inputKind: InputKind): Step {
  const needs = (rank: number, what: string, fix: string): Step | undefined =>
    input.length === rank
      ? undefined
      : { problem: { message: `${layer.type} needs ${what}, but its input is ${show(input)}${fix}` } };
  switch (layer.type) {
    case 'dense':
      if (input.length === 3) {
        return {
          problem: {
            message: `dense after an image-shaped input ${show(input)}: add { "type": "flatten" } before it`,
          },
        };
      }
      return { shape: [...input.slice(0, -1), layer.units] };
    case 'conv2d': {
      const wrong = needs(
        3,
        'an image [channels, height, width]',
        inputKind === 'tokens' ? ' (token ids are not images)' : '',
      );
      if (wrong) return wrong;
      const stride = layer.stride ?? 1;
      const dilation = layer.dilation ?? 1;
      const [, h, w] = input;
      const out =
        layer.padding === 'same'
          ? [Math.ceil(h / stride), Math.ceil(w / stride)]
          : [h, w].map((size) =>
              windowOutput(
                size,
                layer.kernel,
                stride,
                typeof layer.padding === 'number' ? layer.padding : 0,
                dilation,
              ),
            );
      if (out.some((size) => size < 1)) {
        return {
          problem: {
            field: 'kernel',
            message: `kernel ${layer.kernel} does not fit the ${h}×${w} input (output would be ${out.join('×')}); use a smaller kernel or "padding": "same"`,
          },
        };
      }
      return { shape: [layer.filters, out[0], out[1]] };
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const wrong = needs(3, 'an image [channels, height, width]', '');
      if (wrong) return wrong;
      const stride = layer.stride ?? layer.size;
      const [c, h, w] = input;
      const out = [h, w].map((size) => windowOutput(size, layer.size, stride, 0));
      if (out.some((size) => size < 1)) {
        return {
          problem: { field: 'size', message: `pool size ${layer.size} is larger than the ${h}×${w} input` },
        };
      }
      return { shape: [c, out[0], out[1]] };
    }
    case 'flatten':
      return { shape: [input.reduce((a, b) => a * b, 1)] };
    case 'dropout':
    case 'layernorm':
    case 'activation':
      return { shape: input };
    case 'embedding':
      if (inputKind !== 'tokens' || index !== 0) {
        return {
          problem: {
            message:
              inputKind === 'tokens'
                ? 'embedding must be the first layer: it turns token ids into vectors'
                : 'embedding needs token ids as input, but this dataset gives numbers; remove it or use a text / token dataset',
          },
        };
      }
      return { shape: [...input, layer.dim] };
    case 'lstm':
    case 'gru': {
      const wrong = needs(
        2,
        'a sequence [steps, features]',
        inputKind === 'tokens' ? '' : '; tokens need an embedding first',
      );
      if (wrong) return wrong;
      return { shape: layer.returnSequences ? [input[0], layer.units] : [layer.units] };
    }
    case 'attention':
    case 'transformer': {
      const wrong = needs(2, 'a sequence [positions, width]', '; start token models with an embedding');
      if (wrong) return wrong;
      const width = input[1];
      if (width % layer.heads !== 0) {
        return {
          problem: {
            field: 'heads',
            message: `the model width ${width} is not divisible by ${layer.heads} heads (each head gets width / heads dimensions)`,
          },
        };
      }
      return { shape: input };
    }
  }
}

export function inferShapes(inputShape: number[], inputKind: InputKind, layers: Layer[]): ShapeInference {
  const shapes: number[][] = [];
  let shape = inputShape;
  if (inputKind === 'tokens' && layers[0]?.type !== 'embedding') {
    return {
      shapes,
      problem: { layer: 0, message: 'the input is token ids: the first layer must be an embedding' },
    };
  }
  for (const [index, layer] of layers.entries()) {
    const step = layerOutput(layer, shape, index, inputKind);
    if ('problem' in step) return { shapes, problem: { layer: index, ...step.problem } };
    shape = step.shape;
    shapes.push(shape);
  }
  return { shapes, output: shape };
}
