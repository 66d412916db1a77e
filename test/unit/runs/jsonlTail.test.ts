import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { JsonlTail } from '../../../src/runs/jsonlTail';
import { toMetricRecord } from '../../../src/contract/metricRecord';

const line = (step: number, value: number | null = step) =>
  JSON.stringify({ step, epoch: 0, time: step, split: 'train', name: 'loss', value }) + '\n';

test('a torn last line waits for its newline and is then read once', () => {
  const tail = new JsonlTail(toMetricRecord);
  const text = line(1) + line(2);
  const cut = text.length - 7;
  assert.deepEqual(
    tail.push(text.slice(0, cut)).map((r) => r.step),
    [1],
  );
  assert.notEqual(tail.partial, '');
  assert.deepEqual(
    tail.push(text.slice(cut)).map((r) => r.step),
    [2],
  );
  assert.equal(tail.partial, '');
  assert.equal(tail.skipped, 0);
});

test('a multi-byte character split across two reads is decoded intact', () => {
  const tail = new JsonlTail((v) => v as { name: string });
  const bytes = Buffer.from(JSON.stringify({ name: 'é→λ' }) + '\n');
  const split = bytes.indexOf(0xce) + 1; // inside the two bytes of λ
  assert.deepEqual(tail.push(bytes.subarray(0, split)), []);
  assert.deepEqual(tail.push(bytes.subarray(split)), [{ name: 'é→λ' }]);
});

test('garbage and invalid records (null value: how JSON writes NaN) are skipped and counted, never fatal', () => {
  const tail = new JsonlTail(toMetricRecord);
  const records = tail.push(line(1) + '{"step": oops\n' + '{"step":2}\n' + line(3, null) + '\n');
  assert.deepEqual(
    records.map((r) => r.step),
    [1],
  );
  assert.equal(tail.skipped, 3);
});
