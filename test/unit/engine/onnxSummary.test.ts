/**
 * The summary the .onnx model view shows: shapes as declared, every node counted under its op,
 * initializers (Identity copies included) marked as trained or fixed as the import plan decides,
 * and a model Model Lab cannot import still summarized, with the reason.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isOnnxModelSummary } from '../../../src/contract/onnxModel';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { summarizeOnnxModel } from '../../../src/engine/onnx/modelSummary';
import { CASES, modelPath } from './onnxFixtures';

const read = (name: string) => readOnnxModel(readFileSync(modelPath(name)));

describe('the .onnx model summary', () => {
  it('cnn: declared shapes, ops by count, every initializer trained, layers in graph order', () => {
    const summary = summarizeOnnxModel(read('cnn'));
    assert.deepEqual(summary.inputs, [{ name: 'input', dtype: 'float32', dims: ['batch', 1, 8, 8] }]);
    assert.deepEqual(summary.outputs, [{ name: 'output', dtype: 'float32', dims: ['batch', 3] }]);
    assert.equal(summary.opset, 13);
    assert.match(summary.producer, /^pytorch /);
    const conv = summary.ops.find((op) => op.opType === 'Conv');
    assert.deepEqual(conv, { opType: 'Conv', supported: true, nodes: ['/conv1/Conv', '/conv2/Conv'] });
    // 4·1·3·3 + 4 + 6·4·3·3 + 6 + 3·6 + 3
    assert.equal(summary.parameterCount, 283);
    assert.equal(summary.trainableCount, 283);
    assert.deepEqual(summary.layers.map((l) => l.opType).slice(0, 4), ['Conv', 'Relu', 'MaxPool', 'Conv']);
    assert.deepEqual(summary.layers[0].initializers, ['conv1.weight', 'conv1.bias']);
    assert.equal(summary.importProblem, undefined);
  });

  it('batchnorm: running statistics (Identity copies of the weights) are listed and stay fixed', () => {
    const summary = summarizeOnnxModel(read('batchnorm'));
    const byName = new Map(summary.initializers.map((i) => [i.name, i]));
    assert.equal(byName.get('bn1.running_mean')?.trainable, false);
    assert.deepEqual(byName.get('bn1.running_var')?.dims, [8]);
    assert.equal(byName.get('bn1.weight')?.trainable, true);
    // The trained values are exactly the import plan's parameters.
    const plan = planImport(read('batchnorm'));
    assert.equal(
      summary.trainableCount,
      plan.parameters.reduce((n, p) => n + p.data.length, 0),
    );
    assert.equal(summary.parameterCount, summary.trainableCount + 2 * (4 + 8));
    const bn = summary.layers.find((l) => l.name === '/bn1/BatchNormalization');
    assert.deepEqual(bn?.initializers, ['bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var']);
  });

  for (const name of CASES)
    it(`${name}: every node counted once, and the summary passes the view's guard`, () => {
      const model = read(name);
      const summary = summarizeOnnxModel(model);
      assert.equal(
        summary.ops.reduce((n, op) => n + op.nodes.length, 0),
        model.nodes.length,
      );
      assert.equal(summary.layers.length, model.nodes.length);
      assert.ok(summary.ops.every((op) => op.supported));
      assert.equal(isOnnxModelSummary(JSON.parse(JSON.stringify(summary))), true);
    });

  it('a Hugging Face style model: its mask and type ids filled, its sequence length asked for, no memory estimate yet', () => {
    const summary = summarizeOnnxModel(read('bert-style'), () => {
      throw new Error('no estimate while the sequence length is unknown');
    });
    assert.equal(summary.importProblem, undefined);
    assert.deepEqual(summary.unsizedAxes, ['sequence']);
    assert.deepEqual(summary.filledInputs, { attention_mask: 1, token_type_ids: 0 });
    assert.equal(summary.memory, undefined);
    assert.ok(summary.trainableCount > 0 && summary.trainableCount === summary.parameterCount);
    assert.equal(isOnnxModelSummary(JSON.parse(JSON.stringify(summary))), true);
  });

  it('the memory estimate is the caller’s, given the plan, and only for a model Model Lab can import', () => {
    const memory = {
      batchSize: 16,
      parameterBytes: 1,
      activationBytes: 2,
      totalBytes: 3,
      activationsPerExample: 4,
    };
    const planned: string[] = [];
    const summary = summarizeOnnxModel(read('cnn'), (plan) => {
      planned.push(plan.input.name);
      return memory;
    });
    assert.deepEqual(planned, ['input']);
    assert.deepEqual(summary.memory, memory);
    assert.equal(isOnnxModelSummary(JSON.parse(JSON.stringify(summary))), true);
    assert.equal(isOnnxModelSummary({ ...summary, memory: { ...memory, totalBytes: -1 } }), false);
  });

  it('a model with an op Model Lab cannot train is summarized, naming the op and why not', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 4]);
    const h = b.matmul(x, b.initializer('w', 'float32', [4, 3], new Float32Array(12).fill(0.1)));
    b.output(b.op('Tan', [h], {}, { types: [{ dtype: 'float32', shape: h.shape }] })[0], 'y');
    const summary = summarizeOnnxModel(readOnnxModel(serializeModel(b)));
    const tan = summary.ops.find((op) => op.opType === 'Tan');
    assert.equal(tan?.supported, false);
    assert.match(tan?.reason ?? '', /no importer or gradient rule/);
    assert.match(summary.importProblem ?? '', /Tan \(node .*\)/);
    assert.equal(summary.trainableCount, 0);
    assert.equal(summary.parameterCount, 12);
    assert.equal(isOnnxModelSummary(summary), true);
  });
});
