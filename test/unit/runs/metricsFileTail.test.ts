import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MetricsFileTail } from '../../../src/runs/metricsFileTail';

const line = (step: number) =>
  JSON.stringify({ step, epoch: 0, time: step, split: 'train', name: 'loss', value: 1 / (step + 1) }) + '\n';

test('tailing metrics.jsonl returns only appended records, waits for torn lines and restarts on rewrite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-tail-'));
  try {
    const tail = new MetricsFileTail(dir);
    assert.deepEqual(await tail.read(), { records: [], reset: false }, 'no file yet is not an error');
    const path = join(dir, 'metrics.jsonl');
    writeFileSync(path, line(0) + line(1));
    const first = await tail.read();
    assert.equal(first.reset, true);
    assert.deepEqual(
      first.records.map((r) => r.step),
      [0, 1],
    );
    const torn = line(2);
    appendFileSync(path, torn.slice(0, 10));
    assert.deepEqual((await tail.read()).records, []);
    appendFileSync(path, torn.slice(10) + line(3));
    const next = await tail.read();
    assert.equal(next.reset, false);
    assert.deepEqual(
      next.records.map((r) => r.step),
      [2, 3],
    );
    writeFileSync(path, line(7));
    const rewritten = await tail.read();
    assert.equal(rewritten.reset, true);
    assert.deepEqual(
      rewritten.records.map((r) => r.step),
      [7],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
