// What "Evaluate on data…" offers for a model, and the language-model scaffold's window length.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { importOnnxFile } from '../../../src/engine/onnx';
import { evaluationDataKinds, onnxExperiment } from '../../../src/experiment/onnxExperiment';
import { modelPath } from '../engine/onnxFixtures';

test('token ids read text (or CSV ids); image-shaped inputs an image folder (or CSV pixels); others CSV', () => {
  assert.deepEqual(evaluationDataKinds({ name: 'input', dtype: 'int64', dims: ['batch', 8] }), [
    'text',
    'csv',
  ]);
  for (const channels of [1, 3])
    assert.deepEqual(evaluationDataKinds({ name: 'x', dtype: 'float32', dims: ['batch', channels, 8, 8] }), [
      'images',
      'csv',
    ]);
  // Two channels is no picture; a symbolic height cannot be resized to.
  assert.deepEqual(evaluationDataKinds({ name: 'x', dtype: 'float32', dims: ['batch', 2, 8, 8] }), ['csv']);
  assert.deepEqual(evaluationDataKinds({ name: 'x', dtype: 'float32', dims: ['batch', 1, 'h', 8] }), ['csv']);
  assert.deepEqual(evaluationDataKinds({ name: 'x', dtype: 'float32', dims: ['batch', 13] }), ['csv']);
  assert.deepEqual(evaluationDataKinds(undefined), ['csv']);
});

test("a language model's scaffold reads windows as long as the model's input", () => {
  const plan = importOnnxFile(modelPath('transformer'));
  const experiment = onnxExperiment(plan, 'model.onnx', 'tiny-gpt');
  assert.equal(experiment.task, 'language-model');
  assert.equal(experiment.data.contextLength, 8);
  const cnn = onnxExperiment(importOnnxFile(modelPath('cnn')), 'model.onnx', 'cnn');
  assert.equal(cnn.data.contextLength, undefined);
});
