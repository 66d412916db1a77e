/**
 * ONNX graphs as converters and older exporters wrote them (test/fixtures/onnx-zoo/converted.py):
 * the Model Zoo's MNIST form (auto_pad SAME_UPPER, a bias added after the convolution, a weight
 * reshaped in the graph) at opset 8, and every op form that changed before opset 13 at opsets 7,
 * 9 and 10 (attribute lists, Upsample, Resize-10, a Softmax over a flattened input), and the
 * newer forms of opsets 21 to 25. The
 * compatibility check runs each: the imported forward against onnxruntime on the original file,
 * the gradients against finite differences.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { readOnnxFile, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { withExplicitPads } from '../../../src/engine/onnx/autoPad';
import { inlineFunctions } from '../../../src/engine/onnx/localFunctions';
import { opset13Forms } from '../../../src/engine/onnx/olderOpsets';

const ZOO = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo');

async function assertFaithful(file: string, ops: string[]) {
  const report = await checkCompatibility(readOnnxFile(join(ZOO, file)));
  assert.equal(report.verdict, 'trainable', report.problems.join('; '));
  for (const op of ops)
    assert.ok(
      report.ops.some((o) => o.opType === op && o.supported),
      `${op} among ${report.ops.map((o) => o.opType).join(', ')}`,
    );
  assert.ok((report.forwardDifference ?? Infinity) < 1e-5, `forward difference ${report.forwardDifference}`);
  assert.equal(report.gradientChecks?.length, 3);
  return report;
}

describe('graphs as converters and older exporters wrote them', () => {
  it('MNIST as the Model Zoo writes it (opset 8, auto_pad SAME_UPPER): trainable, as onnxruntime computes it', async () => {
    const report = await assertFaithful('keras-style-cnn-opset8.onnx', ['Conv', 'MaxPool', 'Reshape']);
    assert.equal(report.opset, 8);
  });

  it('opset 7: Upsample with scales as an attribute, BatchNormalization spatial 1, Clip / Pad / Slice / Dropout / Squeeze / Split with attributes', async () => {
    await assertFaithful('older-ops-opset7.onnx', [
      'Upsample',
      'BatchNormalization',
      'Clip',
      'Pad',
      'Slice',
      'Split',
    ]);
  });

  it('opset 9: Upsample in linear mode with scales as an input', async () => {
    await assertFaithful('older-ops-opset9.onnx', ['Upsample', 'Softmax', 'ReduceSum']);
  });

  it('opset 10: Resize-10 and Slice with input bounds', async () => {
    await assertFaithful('older-ops-opset10.onnx', ['Resize', 'Slice', 'Unsqueeze']);
  });

  it("PyTorch 2's exporter idioms (opset 18): CastLike of a float64 scalar, IsInf / IsNaN masks", async () => {
    await assertFaithful('dynamo-style-opset18.onnx', ['CastLike', 'IsInf', 'IsNaN']);
  });

  it('attributes newer exporters write at their neutral values (opset 19): allowzero, saturate, dilations, antialias, axes; Pad of one axis', async () => {
    await assertFaithful('dynamo-attributes-opset19.onnx', [
      'Reshape',
      'Cast',
      'AveragePool',
      'Resize',
      'Pad',
    ]);
  });

  it("model-local functions (PyTorch 2.1 to 2.4's modules): each call read as its body, attributes taken from the call", async () => {
    // The LeakyRelu slopes are the calls' (0.2, 0.05): with ONNX's default 0.01 instead, the
    // forward would differ from onnxruntime's.
    const report = await assertFaithful('local-functions-opset17.onnx', ['Gemm', 'LeakyRelu', 'Add']);
    assert.deepEqual(report.ops.find((op) => op.opType === 'LeakyRelu')?.nodes, [
      'block1#0/DenseAct#1/LeakyRelu',
      'block2#2/DenseAct#3/LeakyRelu',
    ]);
  });

  it('a function that calls itself is refused, naming it', () => {
    const loop = { name: 'Loop', domain: 'pkg.model', input: ['x'], output: ['y'] };
    const self = { ...loop, node: [{ opType: 'Loop', domain: 'pkg.model', input: ['x'], output: ['y'] }] };
    assert.throws(
      () => inlineFunctions([{ opType: 'Loop', domain: 'pkg.model', input: ['a'], output: ['b'] }], [self]),
      /the function Loop \(domain pkg\.model\) calls itself, 64 levels deep/,
    );
  });

  it('opset 24: GroupNormalization with a scale and bias per channel (opset 21) and Swish', async () => {
    await assertFaithful('newer-ops-opset24.onnx', ['GroupNormalization', 'Swish']);
  });

  // Opsets 21 to 25 changed these models' ops by new element types only (and none of them has an
  // op whose form opsets 18 to 20 changed): the same files declared at opset 25 import as they
  // are, and onnxruntime runs them at that opset.
  for (const name of ['resnet', 'gpt2-style', 'lstm-2layer-bidirectional', 'unet-groupnorm'])
    it(`${name} declared at opset 25: trainable, as onnxruntime computes it`, async () => {
      const proto = onnx.ModelProto.decode(readFileSync(join(ZOO, `${name}-opset17.onnx`)));
      proto.opsetImport.find((o) => !o.domain)!.version = 25;
      proto.irVersion = 11;
      const report = await checkCompatibility(readOnnxModel(onnx.ModelProto.encode(proto).finish()));
      assert.equal(report.verdict, 'trainable', report.problems.join('; '));
      assert.equal(report.opset, 25);
      assert.ok(
        (report.forwardDifference ?? Infinity) < 1e-5,
        `forward difference ${report.forwardDifference}`,
      );
    });

  it('auto_pad as explicit pads: SAME keeps ⌈size / stride⌉ outputs, the odd padding at the end (UPPER) or the beginning (LOWER)', () => {
    const pool = (autoPad: string, attrs = {}) =>
      withExplicitPads(
        {
          name: 'p',
          opType: 'MaxPool',
          domain: '',
          inputs: ['x'],
          outputs: ['y'],
          attrs: { auto_pad: autoPad, kernel_shape: [3, 2], strides: [3, 1], ...attrs },
          index: 0,
        },
        [14, 5],
        [3, 2],
      ).attrs;
    // Height 14, kernel 3, stride 3: 5 outputs need 4·3 + 3 = 15 rows, one padded; width 5,
    // kernel 2, stride 1: 5 outputs need 6 columns.
    assert.deepEqual(pool('SAME_UPPER'), { kernel_shape: [3, 2], strides: [3, 1], pads: [0, 0, 1, 1] });
    assert.deepEqual(pool('SAME_LOWER').pads, [1, 1, 0, 0]);
    assert.deepEqual(pool('VALID').pads, [0, 0, 0, 0]);
    // A dilation of 2 makes a kernel of 2 reach 3 columns: 2 padded.
    assert.deepEqual(pool('SAME_UPPER', { dilations: [1, 2] }).pads, [0, 1, 1, 1]);
  });

  it('a Softmax before opset 13 flattens its input from its axis; an explicit last axis is kept as it is', () => {
    const node = {
      name: 'sm',
      opType: 'Softmax',
      domain: '',
      inputs: ['x'],
      outputs: ['y'],
      attrs: {},
      index: 4,
    };
    const forms = opset13Forms(node, 11);
    assert.deepEqual(
      forms.map((n) => [n.opType, n.attrs.axis, n.index]),
      [
        ['Shape', undefined, 4],
        ['Flatten', 1, 4],
        ['Softmax', -1, 4],
        ['Reshape', undefined, 4],
      ],
    );
    assert.equal(forms[3].outputs[0], 'y');
    assert.deepEqual(opset13Forms({ ...node, attrs: { axis: -1 } }, 11), [{ ...node, attrs: { axis: -1 } }]);
    assert.deepEqual(opset13Forms(node, 13), [node]);
  });

  it('opsets before 7 and after 25 are refused, naming the opset and what to do', async () => {
    const model = readOnnxFile(join(ZOO, 'older-ops-opset7.onnx'));
    for (const opset of [6, 26]) {
      const report = await checkCompatibility({ ...model, opset });
      assert.equal(report.verdict, 'unsupported');
      assert.match(
        report.problems.join('\n'),
        new RegExp(
          `the model uses ONNX opset ${opset}; Model Lab imports opsets 7 to 25: export again with opset_version=17`,
        ),
      );
    }
  });
});
