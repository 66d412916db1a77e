/**
 * Grouped convolutions (PyTorch's groups > 1: depthwise and ResNeXt-style layers) import as one
 * convolution per group on its slice of the channels. The compatibility check compares each
 * hand-written graph's forward with onnxruntime and its gradients with finite differences.
 */
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { assertChecksOut, convLayer, encodeModel, tanhFlattenHead, tensorInfo } from './handWrittenOnnx';

const INTS = onnx.AttributeProto.AttributeType.INTS;

/**
 * x [batch, 4, …spatial] → Conv (`filters` filters of width 3 per spatial axis, `groups` groups,
 * pads 1, a bias) → Tanh → flattened · w → y [batch, 2].
 */
function groupedModel(groups: number, filters: number, spatial: number[]): Uint8Array {
  const k = spatial.map(() => 3);
  const outputs = filters * spatial.reduce((a, b) => a * b, 1);
  const conv = convLayer([filters, 4 / groups, ...k], outputs, [
    { name: 'kernel_shape', type: INTS, ints: k },
    { name: 'pads', type: INTS, ints: [...spatial.map(() => 1), ...spatial.map(() => 1)] },
    { name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: groups },
  ]);
  const graph: onnx.IGraphProto = {
    name: 'grouped',
    input: [tensorInfo('x', ['batch', 4, ...spatial])],
    output: [tensorInfo('y', ['batch', 2])],
    initializer: conv.initializer,
    node: [conv.node, ...tanhFlattenHead('c')],
  };
  return encodeModel(graph);
}

describe('grouped convolutions', () => {
  for (const [what, groups, filters, spatial] of [
    ['2-D, 2 groups of 2 channels into 6 filters', 2, 6, [5, 5]],
    ['2-D depthwise (4 groups)', 4, 4, [5, 5]],
    ['1-D depthwise, 2 filters per channel', 4, 8, [7]],
  ] as const)
    it(`${what}: the forward equals onnxruntime, gradients equal finite differences`, async () => {
      const report = await checkCompatibility(readOnnxModel(groupedModel(groups, filters, [...spatial])));
      assertChecksOut(report, ['filters', 'bias', 'head']);
    });
});
