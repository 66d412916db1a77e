/**
 * model.py of an exported project: the experiment's layers as one nn.Module, written out
 * layer by layer with the building blocks of layers.py (pytorch-project/), plus
 * PARAMETERS, the map from Model Lab's parameter names to the module's, so Model Lab
 * checkpoints load into it and its checkpoints load back into Model Lab.
 */
import type { Layer, LayerType } from '../../contract/experiment';
import { convPads } from '../../engine/layers/conv';
import { ExportError } from './exportError';

type Of<T extends LayerType> = Extract<Layer, { type: T }>;

/** One layer in model.py: the line of `__init__`, the line of `forward`, its parameters. */
interface LayerCode {
  init?: string;
  forward: string;
  /** [Model Lab name suffix after `layer<i>.<type>.`, module attribute path after `layer<i>.`, transposed]. */
  params: [string, string, boolean][];
}

interface LayerInput {
  index: number;
  /** Shape of one example entering the layer (no batch axis). */
  shape: number[];
  /** The model's sequence length (learned position tables). */
  contextLength: number;
}

type Writer<L extends Layer> = (layer: L, at: LayerInput) => LayerCode;

const py = (value: boolean): string => (value ? 'True' : 'False');
const name = (at: LayerInput): string => `self.layer${at.index}`;
const denseParams: LayerCode['params'] = [
  ['weight', 'weight', true],
  ['bias', 'bias', false],
];
const recurrentParams = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map(
  (p): [string, string, boolean] => [p, `${p}_l0`, false],
);

const WRITERS: { [T in LayerType]?: Writer<Of<T>> } = {
  dense: (l, at) => {
    const relu = l.activation === 'relu' || l.activation === 'gelu';
    const features = at.shape[at.shape.length - 1];
    return {
      init: `${name(at)} = dense(${features}, ${l.units}, relu_init=${py(relu)})`,
      forward: `h = activate(${name(at)}(h), "${l.activation ?? 'none'}")`,
      params: denseParams,
    };
  },
  conv2d: (l, at) => {
    const dilation = l.dilation ?? 1;
    const pads = convPads(l.padding, l.kernel, dilation);
    return {
      init: `${name(at)} = conv2d(${at.shape[0]}, ${l.filters}, ${l.kernel}, stride=${l.stride ?? 1}, padding=[${pads.join(', ')}], dilation=${dilation})`,
      forward: `h = activate(apply_conv2d(${name(at)}, h), "${l.activation ?? 'none'}")`,
      params: [
        ['weight', 'weight', false],
        ['bias', 'bias', false],
      ],
    };
  },
  maxpool2d: (l) => ({ forward: `h = F.max_pool2d(h, ${l.size}, ${l.stride ?? l.size})`, params: [] }),
  avgpool2d: (l) => ({ forward: `h = F.avg_pool2d(h, ${l.size}, ${l.stride ?? l.size})`, params: [] }),
  flatten: () => ({ forward: 'h = torch.flatten(h, 1)', params: [] }),
  dropout: (l) => ({ forward: `h = drop(h, ${l.rate})`, params: [] }),
  embedding: (l, at) => {
    const positional = l.positional ?? 'learned';
    return {
      init: `${name(at)} = Embedding(${l.vocabSize}, ${l.dim}, ${at.contextLength}, "${positional}")`,
      forward: `h = ${name(at)}(h)`,
      params: [
        ['weight', 'tokens.weight', false],
        ...(positional === 'learned' ? [['position', 'position', false] as [string, string, boolean]] : []),
      ],
    };
  },
  lstm: (l, at) => recurrent('lstm', l, at),
  gru: (l, at) => recurrent('gru', l, at),
  attention: (l, at) => ({
    init: `${name(at)} = SelfAttention(${at.shape[1]}, ${l.heads}, causal=${py(l.causal ?? false)})`,
    forward: `h = ${name(at)}(h)`,
    params: [
      ['qkv.weight', 'qkv.weight', true],
      ['qkv.bias', 'qkv.bias', false],
      ['out.weight', 'out.weight', true],
      ['out.bias', 'out.bias', false],
    ],
  }),
  transformer: (l, at) => {
    const dim = at.shape[1];
    return {
      init: `${name(at)} = TransformerBlock(${dim}, ${l.heads}, ${l.ffDim ?? 4 * dim}, dropout=${l.dropout ?? 0}, causal=${py(l.causal ?? false)})`,
      forward: `h = ${name(at)}(h, drop)`,
      params: [
        ['attention.qkv.weight', 'attention.qkv.weight', true],
        ['attention.qkv.bias', 'attention.qkv.bias', false],
        ['attention.out.weight', 'attention.out.weight', true],
        ['attention.out.bias', 'attention.out.bias', false],
        ['ln1.gamma', 'ln1.weight', false],
        ['ln1.beta', 'ln1.bias', false],
        ['ln2.gamma', 'ln2.weight', false],
        ['ln2.beta', 'ln2.bias', false],
        ['ff1.weight', 'ff1.weight', true],
        ['ff1.bias', 'ff1.bias', false],
        ['ff2.weight', 'ff2.weight', true],
        ['ff2.bias', 'ff2.bias', false],
      ],
    };
  },
  layernorm: (_l, at) => ({
    init: `${name(at)} = nn.LayerNorm(${at.shape[at.shape.length - 1]}, eps=1e-5)`,
    forward: `h = ${name(at)}(h)`,
    params: [
      ['gamma', 'weight', false],
      ['beta', 'bias', false],
    ],
  }),
  activation: (l) => ({ forward: `h = activate(h, "${l.activation}")`, params: [] }),
};

function recurrent(kind: 'lstm' | 'gru', l: Of<'lstm'> | Of<'gru'>, at: LayerInput): LayerCode {
  return {
    init: `${name(at)} = recurrent("${kind}", ${at.shape[1]}, ${l.units})`,
    forward: `h = run_recurrent(${name(at)}, h, return_sequences=${py(l.returnSequences ?? false)})`,
    params: recurrentParams,
  };
}

/** The layer types model.py can express (the rest are refused before anything is written). */
export function exportableLayerTypes(): LayerType[] {
  return Object.keys(WRITERS) as LayerType[];
}

/**
 * model.py for `layers`; `inputShapes[i]` is the shape entering layer i.
 * Throws ExportError naming the first layer the exporter cannot express.
 */
export function modelSource(experimentName: string, layers: Layer[], inputShapes: number[][]): string {
  const contextLength = inputShapes[0]?.[0] ?? 0;
  const codes = layers.map((layer, index) => {
    const write = WRITERS[layer.type] as Writer<Layer> | undefined;
    if (!write) {
      throw new ExportError(
        `Layer ${index} (${layer.type}) has no PyTorch equivalent in the exporter yet; ` +
          `the layers it can express are ${exportableLayerTypes().join(', ')}. Replace that layer to export this experiment.`,
      );
    }
    return { layer, index, code: write(layer, { index, shape: inputShapes[index], contextLength }) };
  });
  const init = codes.flatMap(({ code }) => (code.init ? [`        ${code.init}`] : []));
  const forward = codes.map(
    ({ layer, index, code }) => `        ${code.forward}  # layer ${index}: ${layer.type}`,
  );
  const params = codes.flatMap(({ layer, index, code }) =>
    code.params.map(
      ([lab, torch, transposed]) =>
        `    ("layer${index}.${layer.type}.${lab}", "layer${index}.${torch}", ${py(transposed)}),`,
    ),
  );
  return `"""${experimentName}: the experiment's model as a torch.nn.Module, exported by Model Lab.

Same layers, initialisation and semantics as Model Lab's engine (see layers.py).
"""
import torch
from torch import nn
import torch.nn.functional as F

from layers import (
    DropoutSites,
    Embedding,
    SelfAttention,
    TransformerBlock,
    activate,
    apply_conv2d,
    conv2d,
    dense,
    recurrent,
    run_recurrent,
)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
${init.length ? init.join('\n') : '        pass'}

    def forward(self, x, drop=None):
        """\`drop\`: train-mode dropout (layers.DropoutSites); None in eval mode and for export."""
        drop = drop or DropoutSites(0, training=False)
        h = x
${forward.join('\n')}
        return h


# Model Lab parameter name → this module's parameter, and whether Model Lab stores it
# transposed (dense weights are [in, out] there, [out, in] in nn.Linear).
PARAMETERS = [
${params.join('\n')}
]
`;
}
