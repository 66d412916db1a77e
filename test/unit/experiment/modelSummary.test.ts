import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { Experiment, LayersModelSection } from '../../../src/contract/experiment';
import { isModelSummary } from '../../../src/contract/modelSummary';
import { importOnnxFile } from '../../../src/engine/onnx';
import { initialParameters } from '../../../src/engine/initialParameters';
import {
  summarizeExperiment,
  summarizeImported,
  summarizeLayers,
  summarizeOnnxFile,
} from '../../../src/experiment/modelSummary';
import { onnxExperiment } from '../../../src/experiment/onnxExperiment';
import { layersInputKind } from '../../../src/experiment/shapes';
import { validateExperimentText } from '../../../src/experiment/validate';
import { CASES, modelPath, readReference } from '../engine/onnxFixtures';

const templateFiles = readdirSync('templates', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) =>
    readdirSync(join('templates', folder.name))
      .filter((name) => name.endsWith('.experiment.json'))
      .map((name) => join('templates', folder.name, name)),
  );
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function readTemplate(file: string): Experiment {
  const { experiment, problems } = validateExperimentText(readFileSync(file, 'utf8'), dirname(file));
  assert.ok(experiment, `${file}: ${JSON.stringify(problems)}`);
  return experiment;
}

test('every template is summarized', () => assert.ok(templateFiles.length >= 5, templateFiles.join(', ')));

for (const file of templateFiles) {
  test(`${file}: the summary's parameters equal the engine's initial parameters, in total and per layer`, () => {
    const experiment = readTemplate(file);
    const model = experiment.model as LayersModelSection;
    const summary = summarizeExperiment(experiment, dirname(file));
    // The engine's own count: the tensors compileModel starts training from (named layer<i>.<type>.*).
    const engine = initialParameters({
      model: {
        inputShape: model.input.shape,
        inputKind: layersInputKind(model.layers),
        layers: model.layers,
      },
      loss: experiment.training.loss,
      optimizer: experiment.training.optimizer,
      batchSize: experiment.training.batchSize,
      seed: 1,
      device: 'cpu',
    });
    assert.equal(
      summary.totalParams,
      engine.reduce((n, p) => n + size(p.shape), 0),
    );
    summary.layers.forEach((layer, i) => {
      const own = engine.filter((p) => p.name.startsWith(`layer${i}.`));
      assert.equal(
        layer.params,
        own.reduce((n, p) => n + size(p.shape), 0),
        `${file} layer ${i + 1}`,
      );
      assert.equal(layer.type, model.layers[i].type);
    });
    assert.ok(isModelSummary(JSON.parse(JSON.stringify(summary))));
  });
}

test('output shapes and FLOPs per example of the digits CNN, counted by hand', () => {
  const experiment = readTemplate('templates/cnn-digits/digits-cnn.experiment.json');
  const summary = summarizeExperiment(experiment, 'templates/cnn-digits');
  assert.deepEqual(
    summary.layers.map((l) => l.outputShape),
    [[32, 8, 8], [32, 4, 4], [64, 4, 4], [64, 2, 2], [256], [256], [128], [10]],
  );
  // A 3×3 "same" convolution: every output value is a 3·3·channels dot product (2 FLOPs per multiply-add).
  assert.equal(summary.layers[0].flops, 2 * 32 * 8 * 8 * (1 * 3 * 3));
  assert.equal(summary.layers[2].flops, 2 * 64 * 4 * 4 * (32 * 3 * 3));
  assert.equal(summary.layers[6].flops, 2 * 256 * 128);
  assert.equal(summary.layers[1].flops, 0);
  assert.equal(
    summary.totalFlops,
    summary.layers.reduce((n, l) => n + l.flops, 0),
  );
  // Adam at batch 32: weights, gradients, two moments and the updated weights and moments.
  assert.equal(summary.memory.batchSize, 32);
  assert.equal(summary.memory.parameterBytes, summary.totalParams * 4 * 7);
  assert.ok(summary.memory.totalBytes > summary.memory.parameterBytes);
});

test('a dense layer counts in·out multiply-adds and a layer that does not fit is named', () => {
  const training = { batchSize: 4, optimizer: { type: 'sgd' as const, learningRate: 0.1 } };
  const summary = summarizeLayers([13], 'float', [{ type: 'dense', units: 5 }], training);
  assert.deepEqual(summary.layers, [{ type: 'dense', outputShape: [5], params: 70, flops: 130 }]);
  assert.throws(
    () =>
      summarizeLayers(
        [13],
        'float',
        [
          { type: 'dense', units: 5 },
          { type: 'maxpool2d', size: 2 },
        ],
        training,
      ),
    /layer 2: maxpool2d needs/,
  );
});

for (const name of CASES) {
  test(`imported ${name}: the summary's parameters equal PyTorch's parameter count`, () => {
    const plan = importOnnxFile(modelPath(name), readReference(name).import);
    const summary = summarizeImported(plan, 'model.onnx', {
      batchSize: 8,
      optimizer: { type: 'adam', learningRate: 0.001 },
    });
    // The reference holds a gradient for every parameter of the PyTorch module (made by bench/pytorch/onnx_references.py).
    const torch = Object.values(readReference(name).gradients.byInitializer);
    assert.equal(
      summary.totalParams,
      torch.reduce((n, g) => n + size(g.dims), 0),
    );
    assert.equal(
      summary.layers.reduce((n, l) => n + l.params, 0),
      summary.totalParams,
    );
    assert.equal(summary.onnx, 'model.onnx');
    assert.ok(summary.layers.every((l) => l.outputShape.length > 0));
  });
}

test('imported CNN: per-example shapes and convolution FLOPs', () => {
  const summary = summarizeImported(importOnnxFile(modelPath('cnn')), 'model.onnx', {
    batchSize: 8,
    optimizer: { type: 'adam', learningRate: 0.001 },
  });
  const conv = summary.layers[0];
  assert.equal(conv.type, 'Conv');
  assert.deepEqual(conv.outputShape, [4, 8, 8]);
  assert.equal(conv.flops, 2 * 4 * 8 * 8 * (1 * 3 * 3));
});

test('imported transposed convolutions: their rows with output shapes, parameters and FLOPs', () => {
  const summary = summarizeImported(importOnnxFile(modelPath('upsampling')), 'model.onnx', {
    batchSize: 8,
    optimizer: { type: 'adam', learningRate: 0.001 },
  });
  const [d1, d2] = summary.layers.filter((l) => l.type === 'ConvTranspose');
  assert.deepEqual(d1.outputShape, [4, 8, 8]);
  assert.equal(d1.params, 8 * 4 * 3 * 3 + 4);
  // Every input element meets out·kh·kw weights: [8, 4, 4] in, 4 channels out, 3×3.
  assert.equal(d1.flops, 2 * (8 * 4 * 4) * (4 * 3 * 3));
  assert.deepEqual(d2.outputShape, [2, 8, 8]);
});

test('an ONNX file: memory at the fine-tuning batch with Adam, activations per example counted by hand', () => {
  const plan = importOnnxFile(modelPath('cnn'));
  const { memory } = summarizeOnnxFile(plan, 'model.onnx');
  // input 1·8·8, conv1 4·8·8, relu 4·8·8, maxpool 4·4·4, conv2 6·2·2, tanh 6·2·2, the Pad
  // PyTorch exports before avg_pool2d 6·2·2, avgpool, global pool and flatten 6 each, gemm 3.
  assert.equal(memory.activationsPerExample, 64 + 256 + 256 + 64 + 24 + 24 + 24 + 6 + 6 + 6 + 3);
  assert.equal(memory.batchSize, 16);
  // Adam: weights, gradients, two moments, and the step's new weights and moments: 7 copies.
  assert.equal(memory.parameterBytes, 283 * 4 * 7);
  assert.equal(memory.activationBytes, memory.activationsPerExample * 16 * 4 * 2);
  assert.equal(memory.totalBytes, memory.parameterBytes + memory.activationBytes);
  const atBatch64 = summarizeOnnxFile(plan, 'model.onnx', 64).memory;
  assert.equal(atBatch64.activationBytes, 4 * memory.activationBytes);
  assert.equal(atBatch64.parameterBytes, memory.parameterBytes);
  // The same estimate as the experiment Fine-tune… scaffolds for the file.
  const scaffolded = onnxExperiment(plan, 'model.onnx', 'cnn');
  assert.deepEqual(summarizeExperiment(scaffolded, dirname(modelPath('cnn'))).memory, memory);
});

test('imported LSTM: the ONNX output keeps its steps axis, and the batch axis is the one removed', () => {
  const summary = summarizeImported(importOnnxFile(modelPath('lstm')), 'model.onnx', {
    batchSize: 8,
    optimizer: { type: 'adam', learningRate: 0.001 },
  });
  const lstm = summary.layers.find((l) => l.type === 'LSTM');
  assert.ok(lstm);
  // Y is [steps, directions, batch, hidden] in ONNX: 6 steps of 8 units, one direction.
  assert.deepEqual(lstm.outputShape, [6, 1, 8]);
  // Per step: 4 gates × 8 units, each a dot product over 3 inputs and 8 previous hidden values.
  assert.equal(lstm.flops, 2 * 6 * 4 * 8 * (3 + 8));
});
