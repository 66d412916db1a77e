import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isAttentionSnapshot } from '../../../src/contract/attentionSnapshot';
import { isEvalReport } from '../../../src/contract/evalReport';
import { isMetricRecord } from '../../../src/contract/metricRecord';

const snapshot = {
  step: 5,
  tokens: ['h', 'i'],
  layers: [{ layer: 0, heads: 1, length: 2, probs: [0.5, 0.5, 1, 0] }],
};

test('an attention snapshot is checked down to each layer: the heatmap reads probs by heads × length²', () => {
  assert.ok(isAttentionSnapshot(snapshot));
  const layer = snapshot.layers[0];
  assert.ok(!isAttentionSnapshot({ ...snapshot, layers: [{ ...layer, probs: [1] }] }), 'probs too short');
  assert.ok(!isAttentionSnapshot({ ...snapshot, tokens: ['h'] }), 'length differs from the tokens');
  assert.ok(!isAttentionSnapshot({ ...snapshot, tokens: ['h', 2] }), 'a token that is not text');
  assert.ok(!isAttentionSnapshot({ ...snapshot, layers: [{ ...layer, heads: 0 }] }), 'no heads');
});

test('a metric record needs finite numbers, a known split and a name', () => {
  const record = { step: 1, epoch: 0.5, time: 2, split: 'validation', name: 'accuracy', value: 0.9 };
  assert.ok(isMetricRecord(record));
  assert.ok(!isMetricRecord({ ...record, split: 'dev' }));
  assert.ok(!isMetricRecord({ ...record, value: null }), 'NaN is written as null in JSON');
  assert.ok(!isMetricRecord({ ...record, name: undefined }));
});

test('an eval report checks every optional field it carries', () => {
  const report = {
    split: 'test',
    count: 10,
    loss: 0.3,
    accuracy: 0.9,
    confusion: [
      [5, 0],
      [1, 4],
    ],
  };
  assert.ok(isEvalReport(report));
  assert.ok(!isEvalReport({ ...report, confusion: [[5, 'x']] }));
  assert.ok(!isEvalReport({ ...report, units: 'metres' }));
  assert.ok(!isEvalReport({ ...report, predictions: { actual: [1, 2], predicted: [1] } }));
  assert.ok(!isEvalReport({ ...report, split: 'train' }));
});
