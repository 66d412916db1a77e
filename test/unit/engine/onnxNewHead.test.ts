/**
 * A new last layer for an imported model trained on other classes (`"newHead": true`,
 * src/engine/onnx/newHead.ts): the Gemm, MatMul + Add or 1×1 Conv that makes the output gets
 * fresh weights of the new size, drawn as PyTorch's nn.Linear draws them, and everything else in
 * the file stays as it was. The new model is checked as any imported model is (the imported
 * forward against onnxruntime on the new file, gradients by finite differences), and models
 * whose last layer cannot be replaced are refused saying why.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import {
  OnnxImportError,
  planImport,
  readOnnxFile,
  readOnnxModel,
  type OnnxModel,
} from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { withNewHead } from '../../../src/engine/onnx/newHead';

const ZOO = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo');
const FLOAT = onnx.TensorProto.DataType.FLOAT;

const values = (model: OnnxModel, name: string) =>
  Array.from(model.initializers.get(name)!.data as Float32Array);

/** The graph's one output for a batch of `batch` examples of `example` from onnxruntime. */
async function runOutput(model: OnnxModel, example: number[], batch = 2): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model.source);
  const size = batch * example.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: size }, (_, i) => Math.sin(i)),
    [batch, ...example],
  );
  const result = await session.run({ [model.inputs[0].name]: x });
  await session.release();
  return result[model.outputs[0].name];
}

/** The new model passes the compatibility check: trainable, its forward equal to onnxruntime's. */
async function assertTrainsFaithfully(model: OnnxModel) {
  const report = await checkCompatibility(model);
  assert.equal(report.verdict, 'trainable', report.problems.join('; '));
  assert.ok((report.forwardDifference ?? Infinity) < 1e-5, `forward difference ${report.forwardDifference}`);
}

/** Everything but `changed` is as it was: the other initializers hold the same values. */
function assertRestUnchanged(before: OnnxModel, after: OnnxModel, changed: string[]) {
  for (const [name] of before.initializers) {
    if (changed.includes(name)) continue;
    assert.deepEqual(values(after, name), values(before, name), `${name} is kept`);
  }
}

const info = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});
const floats = (name: string, dims: number[]): onnx.ITensorProto => ({
  name,
  dims,
  dataType: FLOAT,
  floatData: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i + name.length)),
});
function model(graph: onnx.IGraphProto): OnnxModel {
  const bytes = onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }),
  ).finish();
  return readOnnxModel(bytes);
}

/**
 * x [batch, 6] → MatMul w1 → Relu → + shared → MatMul w2 → Add b2 → y [batch, 3], where b2 is
 * an Identity of the initializer `shared` that the hidden layer also adds (PyTorch's exporter
 * stores equal initializers once).
 */
const matMulModel = () =>
  model({
    name: 'mlp',
    input: [info('x', ['batch', 6])],
    output: [info('y', ['batch', 3])],
    valueInfo: [info('logits_raw', ['batch', 3])],
    initializer: [floats('w1', [6, 3]), floats('shared', [3]), floats('w2', [3, 3])],
    node: [
      { name: 'fc1', opType: 'MatMul', input: ['x', 'w1'], output: ['h'] },
      { name: 'act', opType: 'Relu', input: ['h'], output: ['r'] },
      { name: 'shift', opType: 'Add', input: ['r', 'shared'], output: ['s'] },
      { name: 'copy', opType: 'Identity', input: ['shared'], output: ['b2'] },
      { name: 'fc2', opType: 'MatMul', input: ['s', 'w2'], output: ['logits_raw'] },
      { name: 'bias', opType: 'Add', input: ['logits_raw', 'b2'], output: ['y'] },
    ],
  });

/** x [batch, 4, 3, 3] → 1×1 Conv (3 filters, bias) → Relu → GlobalAveragePool → Flatten → y [batch, 3], as SqueezeNet ends. */
const convModel = () =>
  model({
    name: 'squeeze',
    input: [info('x', ['batch', 4, 3, 3])],
    output: [info('y', ['batch', 3])],
    initializer: [floats('cw', [3, 4, 1, 1]), floats('cb', [3])],
    node: [
      { name: 'classifier', opType: 'Conv', input: ['x', 'cw', 'cb'], output: ['c'] },
      { name: 'act', opType: 'Relu', input: ['c'], output: ['r'] },
      { name: 'pool', opType: 'GlobalAveragePool', input: ['r'], output: ['p'] },
      { name: 'flat', opType: 'Flatten', input: ['p'], output: ['y'] },
    ],
  });

describe('a new last layer for an imported model', () => {
  it('a Gemm head (a ResNet fc): the new size, PyTorch-style initial weights, the rest kept, a model that trains', async () => {
    const resnet = readOnnxFile(join(ZOO, 'resnet-opset17.onnx'));
    const fc = resnet.nodes.find((n) => n.opType === 'Gemm')!;
    const [weight, bias] = fc.inputs.slice(1);
    assert.deepEqual(resnet.initializers.get(weight)!.dims, [10, 16]);

    const tuned = withNewHead(resnet, { outputs: 4, seed: 7 });
    assert.deepEqual(tuned.outputs[0].dims, ['batch', 4]);
    assert.deepEqual(tuned.initializers.get(weight)!.dims, [4, 16]);
    assert.deepEqual(tuned.initializers.get(bias)!.dims, [4]);
    // nn.Linear's draw: uniform in ±1/√in_features, for the weight and the bias alike.
    const drawn = [...values(tuned, weight), ...values(tuned, bias)];
    assert.ok(
      drawn.every((v) => Math.abs(v) <= 1 / 4),
      'within ±1/√16',
    );
    assert.ok(Math.max(...drawn) > 0.15 && Math.min(...drawn) < -0.15, 'spread over the range');
    assertRestUnchanged(resnet, tuned, [weight, bias]);

    assert.deepEqual(
      values(withNewHead(resnet, { outputs: 4, seed: 7 }), weight),
      values(tuned, weight),
      'one seed, one head',
    );
    assert.notDeepEqual(values(withNewHead(resnet, { outputs: 4, seed: 8 }), weight), values(tuned, weight));

    assert.deepEqual((await runOutput(tuned, [3, 16, 16], 5)).dims, [5, 4]);
    await assertTrainsFaithfully(tuned);
  });

  it('a MatMul + Add head whose bias was a shared initializer: the head gets its own, the other reader keeps the original', async () => {
    const mlp = matMulModel();
    const tuned = withNewHead(mlp, { outputs: 2, seed: 1 });
    assert.deepEqual(tuned.outputs[0].dims, ['batch', 2]);
    assert.deepEqual(tuned.initializers.get('w2')!.dims, [3, 2]);
    assert.deepEqual(tuned.initializers.get('b2')!.dims, [2]);
    assert.ok(!tuned.nodes.some((n) => n.name === 'copy'), 'the Identity gave way to the head bias');
    assert.deepEqual(values(tuned, 'shared'), values(mlp, 'shared'));
    assertRestUnchanged(mlp, tuned, ['w2']);
    assert.ok([...values(tuned, 'w2'), ...values(tuned, 'b2')].every((v) => Math.abs(v) <= 1 / Math.sqrt(3)));
    // The stale shape annotation of the product went with the old size: onnxruntime runs it.
    assert.deepEqual((await runOutput(tuned, [6], 3)).dims, [3, 2]);
  });

  it('a MatMul head whose weight is a Reshape of a 4-D initializer (the Model Zoo MNIST): a 2-D weight replaces the Reshape', async () => {
    const mnist = readOnnxFile(join(ZOO, 'keras-style-cnn-opset8.onnx'));
    const tuned = withNewHead(mnist, { outputs: 3, seed: 4 });
    assert.deepEqual(tuned.outputs[0].dims, ['batch', 3]);
    // w3 was Reshape(w3_4d [8, 5, 5, 10]) to [200, 10]; b3 was [1, 10].
    assert.deepEqual(tuned.initializers.get('w3')!.dims, [200, 3]);
    assert.deepEqual(tuned.initializers.get('b3')!.dims, [3]);
    assert.ok(
      !tuned.nodes.some((n) => n.opType === 'Reshape' && n.outputs[0] === 'w3'),
      'the Reshape gave way',
    );
    assert.ok(
      values(tuned, 'w3').every((v) => Math.abs(v) <= 1 / Math.sqrt(200)),
      'within ±1/√200',
    );
    assertRestUnchanged(mnist, tuned, ['b3']);
    assert.deepEqual((await runOutput(tuned, [1, 28, 28], 3)).dims, [3, 3]);
    await assertTrainsFaithfully(tuned);
  });

  it('a 1×1 Conv head before pooling (SqueezeNet): new filters, then the same pooling', async () => {
    const squeeze = convModel();
    const tuned = withNewHead(squeeze, { outputs: 5, seed: 2 });
    assert.deepEqual(tuned.outputs[0].dims, ['batch', 5]);
    assert.deepEqual(tuned.initializers.get('cw')!.dims, [5, 4, 1, 1]);
    assert.deepEqual(tuned.initializers.get('cb')!.dims, [5]);
    assert.ok(
      values(tuned, 'cw').every((v) => Math.abs(v) <= 1 / 2),
      'within ±1/√(4 channels · 1 · 1)',
    );
    assert.deepEqual((await runOutput(tuned, [4, 3, 3])).dims, [2, 5]);
  });

  it('is refused, saying why, where no last layer can be replaced', () => {
    /** The refusal's message; an import error of kind 'shape', as the editor shows on "newHead". */
    const message = (m: OnnxModel) => {
      try {
        withNewHead(m, { outputs: 2, seed: 0 });
      } catch (error) {
        assert.ok(error instanceof OnnxImportError && error.kind === 'shape', String(error));
        return error.message;
      }
      return 'accepted';
    };
    const gpt = readOnnxFile(join(ZOO, 'gpt2-style-opset17.onnx'));
    assert.match(
      message(gpt),
      /is \[batch, sequence, 50\]; the last layer must give each example one row of scores/,
    );
    const einsum = readOnnxFile(join(ZOO, 'einsum-attention-bilinear-opset17.onnx'));
    assert.match(message(einsum), /is made by .* \(Einsum\); Model Lab finds a last Gemm, MatMul/);

    // The head's weight also read elsewhere (tied weights) cannot change size on its own.
    const tied = model({
      name: 'tied',
      input: [info('x', ['batch', 3])],
      output: [info('y', ['batch', 3]), info('z', ['batch', 3])],
      initializer: [floats('w', [3, 3])],
      node: [
        { name: 'head', opType: 'MatMul', input: ['x', 'w'], output: ['y'] },
        { name: 'other', opType: 'MatMul', input: ['x', 'w'], output: ['z'] },
      ],
    });
    assert.match(message(tied), /graph has 2 outputs \(y, z\); name the one the loss reads with "output"/);
    assert.throws(
      () => withNewHead(tied, { outputs: 2, seed: 0, output: 'y' }),
      /its weight w is also read by other: tied weights/,
    );
  });

  it('"freeze": "backbone" trains the last layer alone, new or not', () => {
    const resnet = readOnnxFile(join(ZOO, 'resnet-opset17.onnx'));
    const fc = resnet.nodes.find((n) => n.opType === 'Gemm')!.inputs.slice(1);
    const trained = (m: OnnxModel) => planImport(m, { freeze: 'backbone' }).parameters.map((p) => p.onnxName);
    assert.deepEqual(trained(resnet).sort(), [...fc].sort());
    assert.deepEqual(trained(withNewHead(resnet, { outputs: 3, seed: 0 })).sort(), [...fc].sort());
    // The MatMul + Add head whose bias is an Identity copy: the copy's name is the parameter.
    assert.deepEqual(trained(matMulModel()).sort(), ['b2', 'w2']);
    assert.ok(planImport(resnet).parameters.length > 2, 'without it the whole model trains');
    assert.throws(
      () =>
        planImport(readOnnxFile(join(ZOO, 'gpt2-style-opset17.onnx')), {
          freeze: 'backbone',
          fill: { attention_mask: 1 },
          sizes: { sequence: 8 },
        }),
      /^Error: freeze "backbone": logits is \[batch, sequence, 50\]/,
    );
  });
});
