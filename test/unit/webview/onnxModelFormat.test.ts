import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { CompatibilityReport, OnnxModelSummary } from '../../../src/contract/onnxModel';
import {
  checkLines,
  evaluationLine,
  formatCount,
  formatDims,
  importStatus,
  inputRole,
  memoryLine,
  outputRole,
} from '../../../webview/onnxModel/format';

const summary: OnnxModelSummary = {
  opset: 17,
  producer: 'pytorch 1.13.0',
  inputs: [],
  outputs: [],
  ops: [],
  initializers: [],
  parameterCount: 1234567,
  trainableCount: 1200,
  layers: [],
};

test('shapes keep symbolic dimensions by name; counts get separators', () => {
  assert.equal(formatDims(['batch', 1, 8, 8]), 'batch × 1 × 8 × 8');
  assert.equal(formatDims([]), 'scalar');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999), '999');
});

test('the status says how much trains, or why the model cannot be fine-tuned', () => {
  assert.deepEqual(importStatus(summary), {
    ok: true,
    text: 'Model Lab can fine-tune this model: 1,200 of 1,234,567 parameter values train.',
  });
  const refused = importStatus({ ...summary, importProblem: 'Cos (node c, 2 of 2): no gradient rule' });
  assert.equal(refused.ok, false);
  assert.match(refused.text, /cannot fine-tune this model: Cos \(node c, 2 of 2\)/);
});

test('a model with several inputs: the status says what fine-tuning fills and asks for; the table marks the filled inputs', () => {
  const bert: OnnxModelSummary = {
    ...summary,
    unsizedAxes: ['sequence'],
    filledInputs: { attention_mask: 1, token_type_ids: 0 },
  };
  assert.equal(
    importStatus(bert).text,
    'Model Lab can fine-tune this model: 1,200 of 1,234,567 parameter values train. ' +
      'Fine-tuning feeds attention_mask = 1, token_type_ids = 0 at every position. ' +
      'Fine-tune… asks for the size of sequence in one example.',
  );
  assert.equal(inputRole(bert, 'input_ids'), 'input');
  assert.equal(inputRole(bert, 'token_type_ids'), 'input, filled with 0');

  // Saved with its tokenizer: texts are read through it, the mask and type ids computed from their ids.
  const withTokenizer: OnnxModelSummary = {
    ...bert,
    filledInputs: { attention_mask: 1, token_type_ids: 0, position_ids: 0 },
    tokenizer: { file: 'tokenizer.json', fromIds: { attention_mask: 'mask', token_type_ids: 'types' } },
  };
  assert.equal(
    importStatus(withTokenizer).text,
    'Model Lab can fine-tune this model: 1,200 of 1,234,567 parameter values train. ' +
      'Fine-tune… reads texts through tokenizer.json beside it: attention_mask is 0 at the padding, ' +
      'token_type_ids is 1 on the second text of a pair. ' +
      'Fine-tuning feeds position_ids = 0 at every position. ' +
      'Fine-tune… asks for the size of sequence in one example.',
  );
  assert.equal(inputRole(withTokenizer, 'attention_mask'), 'input, the mask of the padding');
  assert.equal(inputRole(withTokenizer, 'token_type_ids'), "input, a pair's type ids");
  assert.equal(inputRole(withTokenizer, 'position_ids'), 'input, filled with 0');
});

test("a run's model.onnx of a table: its input row names the columns it reads, the categorical ones one-hot", () => {
  const input = { name: 'input', dtype: 'float32', dims: ['batch', 4] };
  const table: OnnxModelSummary = {
    ...summary,
    inputs: [input],
    tableColumns: { numeric: ['fare', 'age'], categorical: ['port'] },
  };
  assert.equal(inputRole(table, 'input'), 'input, a row of the columns fare, age, then port one-hot');
  assert.equal(
    inputRole({ ...table, tableColumns: { numeric: ['fare', 'age'], categorical: [] } }, 'input'),
    'input, a row of the columns fare, age',
  );
  assert.equal(inputRole({ ...table, tableColumns: undefined }, 'input'), 'input');
});

test("a classifier's output row names the classes it scores, the first ten of many", () => {
  const logits = { name: 'logits', dtype: 'float32', dims: ['batch', 2] };
  const classifier: OnnxModelSummary = { ...summary, outputs: [logits], classes: ['NEGATIVE', 'POSITIVE'] };
  assert.equal(outputRole(classifier, 'logits'), 'output, scores of 2 classes: NEGATIVE, POSITIVE');
  assert.equal(outputRole({ ...classifier, classes: undefined }, 'logits'), 'output');
  const many = Array.from({ length: 1000 }, (_, i) => `class ${i}`);
  assert.equal(
    outputRole({ ...classifier, classes: many }, 'logits'),
    `output, scores of 1000 classes: ${many.slice(0, 10).join(', ')}, …`,
  );
});

/** A check report of an opset 17 file: `fields` on a trainable verdict without problems. */
const checked = (fields: Partial<CompatibilityReport>): CompatibilityReport => ({
  verdict: 'trainable',
  opset: 17,
  producer: '',
  ops: [],
  problems: [],
  ...fields,
});

test('the check shows its verdict and every figure, a broken figure as "not a number"', () => {
  const report = checked({
    verdict: 'numeric-check-failed',
    problems: ['the gradient of w disagrees with finite differences (relative error NaN)'],
    input: 'x',
    output: 'y',
    forwardDifference: 3e-7,
    batch: 1,
    gradientChecks: [{ parameter: 'w', relativeError: null }],
  });
  const lines = checkLines(report);
  assert.equal(lines.ok, false);
  assert.equal(lines.verdict, 'Not trainable: a numeric check failed.');
  assert.deepEqual(lines.details, [
    'Input x → output y',
    'Forward vs onnxruntime (random inputs, batch 1): largest difference 3.00e-7',
    'Gradient of w vs finite differences: relative error not a number',
    'the gradient of w disagrees with finite differences (relative error NaN)',
  ]);
  assert.equal(checkLines({ ...report, verdict: 'trainable', problems: [] }).ok, true);
});

test('the scores read with their metric labels, a broken one as "not a number"', () => {
  assert.equal(
    evaluationLine('d.csv', {
      task: 'regression',
      count: 1,
      values: { loss: 0.123456789, mae: 2, r2: null },
    }),
    '1 example of d.csv: loss 0.12346 · MAE 2 · R² not a number',
  );
  assert.match(
    evaluationLine('d.csv', { task: 'classification', count: 1200, values: { accuracy: 0.5 } }),
    /^1,200 examples of d\.csv: accuracy 0\.5$/,
  );
});

test('the memory line gives the estimate at the fine-tuning batch size, or nothing when the model cannot train', () => {
  assert.equal(memoryLine(summary), undefined);
  const memory = {
    batchSize: 16,
    parameterBytes: 4848,
    activationBytes: 106_752,
    totalBytes: 111_600,
    activationsPerExample: 834,
  };
  assert.equal(
    memoryLine({ ...summary, memory }),
    'Estimated fine-tuning memory at batch 16: about 112 kB (5 kB for parameters, gradients and optimizer state; 107 kB for activations, 834 values per example)',
  );
});

test('a gradient the finite differences could not settle is said to be unconfirmed, beside the confirmed ones', () => {
  const report = checked({
    gradientChecks: [
      { parameter: 'conv1.weight', relativeError: 7.7e-2, inconclusive: true },
      { parameter: 'fc.bias', relativeError: 6.2e-4 },
    ],
  });
  const lines = checkLines(report);
  assert.equal(lines.ok, true);
  assert.deepEqual(lines.details, [
    'Gradient of conv1.weight vs finite differences: not confirmed, they did not settle at any step size in float32 (best relative error 7.70e-2)',
    'Gradient of fc.bias vs finite differences: relative error 6.20e-4',
  ]);
});
