/**
 * Metrics of other tools: TensorBoard event files and Lightning's metrics.csv, followed live
 * like metrics.jsonl. Event bytes come from test/fixtures/tfevents.ts (TensorFlow's field
 * numbers, protobufjs' wire-level Writer, TFRecord framing), independent of the reader's schema.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crc32c } from '../../../src/runs/foreign/crc32c';
import { ForeignMetricsTail } from '../../../src/runs/foreign/foreignMetricsTail';
import { splitAndName } from '../../../src/runs/foreign/metricNames';
import { WIRE, event, eventFile, key, record, simpleScalar, tensorScalar } from '../../fixtures/tfevents';

const root = mkdtempSync(join(tmpdir(), 'modellab-foreign-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('CRC-32C matches the published check value', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('tag names map to splits and metric names', () => {
  assert.deepEqual(splitAndName('train/loss'), { split: 'train', name: 'loss' });
  assert.deepEqual(splitAndName('Loss/val'), { split: 'validation', name: 'loss' });
  assert.deepEqual(splitAndName('val_acc'), { split: 'validation', name: 'acc' });
  assert.deepEqual(splitAndName('test_accuracy'), { split: 'test', name: 'accuracy' });
  assert.deepEqual(splitAndName('lr'), { split: 'train', name: 'lr' });
});

test('TensorBoard scalars are read live; unknown and damaged records are skipped; a torn record waits', async () => {
  const dir = join(root, 'tensorboard');
  mkdirSync(dir);
  const file = join(dir, 'events.out.tfevents.1764600000.host.1.0');
  const version = event(1000, 0, (w) => w.uint32(key(3, WIRE.bytes)).string('brain.Event:2'));
  const unknownKind = event(1000.5, 0, (w) => w.uint32(key(99, WIRE.varint)).uint32(7)); // a field this reader never heard of
  const graph = event(1000.5, 0, (w) => w.uint32(key(4, WIRE.bytes)).bytes(Buffer.from('graph bytes')));
  writeFileSync(
    file,
    Buffer.concat([
      record(version),
      record(unknownKind),
      record(graph),
      record(event(1001, 1, simpleScalar('train/loss', 2.5))),
      record(event(1002, 2, simpleScalar('train/loss', 0)), true), // damaged payload: skipped
      record(event(1003, 3, tensorScalar('Loss/val', 1.25))),
    ]),
  );
  const torn = record(event(1004, 4, simpleScalar('train/loss', 1.5)));
  appendFileSync(file, torn.subarray(0, 10));

  const tail = new ForeignMetricsTail(dir);
  const first = await tail.read();
  assert.equal(first.reset, true);
  assert.deepEqual(
    first.records.map((r) => [r.step, r.split, r.name, r.value, r.time]),
    [
      [1, 'train', 'loss', 2.5, 1],
      [3, 'validation', 'loss', 1.25, 3],
    ],
  );
  appendFileSync(file, torn.subarray(10));
  const second = await tail.read();
  assert.equal(second.reset, false);
  assert.deepEqual(
    second.records.map((r) => [r.step, r.name, r.value]),
    [[4, 'loss', 1.5]],
  );
});

test('a long TensorBoard run is read whole in one go: 200 000 scalars', async () => {
  const dir = join(root, 'tensorboard-long');
  mkdirSync(dir);
  writeFileSync(join(dir, 'events.out.tfevents.1764600000.host.2.0'), eventFile(200_000));
  const { records } = await new ForeignMetricsTail(dir).read();
  assert.equal(records.length, 200_001);
  assert.deepEqual(
    [records[0], records.at(-2), records.at(-1)].map((r) => [r?.step, r?.split]),
    [
      [1, 'train'],
      [200_000, 'train'],
      [200_000, 'validation'],
    ],
  );
});

test("Lightning's metrics.csv: rows become records, a torn last row waits, a rewrite with fewer rows resets", async () => {
  const dir = join(root, 'lightning');
  mkdirSync(dir);
  const file = join(dir, 'metrics.csv');
  writeFileSync(
    file,
    'epoch,step,train_loss,val_acc,val_loss\n0,49,0.9,,\n0,99,0.7,,\n0,99,,0.81,0.6\n1,149,0.5',
  );
  const tail = new ForeignMetricsTail(dir);
  const first = await tail.read();
  assert.equal(first.reset, true);
  assert.deepEqual(
    first.records.map((r) => [r.step, r.epoch, r.split, r.name, r.value]),
    [
      [49, 0, 'train', 'loss', 0.9],
      [99, 0, 'train', 'loss', 0.7],
      [99, 0, 'validation', 'acc', 0.81],
      [99, 0, 'validation', 'loss', 0.6],
    ],
  );
  appendFileSync(file, ',,\n1,199,0.4,,\n1,x,bad,,\n');
  const second = await tail.read();
  assert.deepEqual(
    second.records.map((r) => [r.step, r.value]),
    [
      [149, 0.5],
      [199, 0.4],
    ],
  );
  writeFileSync(file, 'epoch,step,train_loss\n0,10,1.5\n');
  const third = await tail.read();
  assert.equal(third.reset, true);
  assert.deepEqual(
    third.records.map((r) => [r.step, r.value]),
    [[10, 1.5]],
  );
});
