/**
 * Grouped convolutions (PyTorch's groups > 1: depthwise and ResNeXt-style layers) import as one
 * Conv node with its groups, whose gradient rule takes them. The compatibility check compares each
 * hand-written graph's forward with onnxruntime and its gradients with finite differences; the
 * gradients with respect to the convolution's input and weights are also checked directly, with
 * strides, in CPU training graphs (contrib ops: the weight gradient from onnxruntime's patches)
 * and in graphs without them (WebGPU: from im2col's columns).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { Rng } from '../../../src/engine/init';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { importForward } from '../../../src/engine/onnx/importForward';
import { checkGradients } from './gradcheck';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { assertChecksOut, convLayer, encodeModel, tanhFlattenHead, tensorInfo } from './handWrittenOnnx';

const INTS = onnx.AttributeProto.AttributeType.INTS;

/**
 * x [batch, 4, …spatial] → Conv (`filters` filters of width 3 per spatial axis, `groups` groups,
 * pads 1, a bias) → Tanh → flattened · w → y [batch, 2].
 */
function groupedModel(groups: number, filters: number, spatial: number[], stride = 1): Uint8Array {
  const k = spatial.map(() => 3);
  const outputs = filters * spatial.reduce((a, s) => a * (Math.floor((s - 1) / stride) + 1), 1);
  const conv = convLayer([filters, 4 / groups, ...k], outputs, [
    { name: 'kernel_shape', type: INTS, ints: k },
    { name: 'pads', type: INTS, ints: [...spatial.map(() => 1), ...spatial.map(() => 1)] },
    { name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: groups },
    { name: 'strides', type: INTS, ints: spatial.map(() => stride) },
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

describe('grouped convolution gradients with respect to input and weights', () => {
  const rng = new Rng(11);
  for (const [what, groups, filters, stride] of [
    ['depthwise, stride 2', 4, 4, 2],
    ['2 groups into 6 filters, stride 1', 2, 6, 1],
    ['depthwise, 2 filters per channel, stride 2', 4, 8, 2],
  ] as const)
    for (const contribOps of [true, false])
      it(`${what}, ${contribOps ? 'CPU training graph' : 'without contrib ops'}`, async () => {
        const plan = planImport(readOnnxModel(groupedModel(groups, filters, [7, 7], stride)));
        const conv = plan.model.nodes.find((n) => n.opType === 'Conv');
        assert.equal(conv?.attrs.group, groups);
        const shape = [2, 4, 7, 7];
        await checkGradients(
          (b, [x, ...params]) => {
            b.root.contribOps = contribOps;
            const y = importForward(plan, x, {
              b,
              mode: 'train',
              param: (p) => params[plan.parameters.indexOf(p)],
            });
            const grouped = b.root.nodes.filter((n) => n.opType === 'Conv' && n.attrs.group === groups);
            assert.equal(grouped.length, 1, 'one Conv node with its groups');
            return y;
          },
          [
            { shape, data: Float32Array.from({ length: 2 * 4 * 49 }, () => rng.normal()) },
            ...plan.parameters.map((p) => ({ shape: p.shape, data: p.data })),
          ],
        );
      });
});
