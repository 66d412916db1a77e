import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunFeed } from '../../../src/extension/panels/runFeed';
import type { MetricRecord } from '../../../src/contract/metricRecord';

const line = (step: number) =>
  JSON.stringify({ step, epoch: 0, time: step, split: 'train', name: 'loss', value: 1 / (step + 1) }) + '\n';

const run = (runDir: string) => ({ runDir, label: 'feed-test', status: 'running' as const });

test('a webview reload during a long read gets every record once, from the first line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-feed-'));
  const feed = new RunFeed(run(dir), () => undefined);
  try {
    // ~9 MB: more than two of the tail's 4 MB chunks, so the first read spans several event-loop turns.
    const count = 100_000;
    writeFileSync(join(dir, 'metrics.jsonl'), Array.from({ length: count }, (_, i) => line(i)).join(''));
    const seen: { steps: number[]; reset: boolean }[] = [];
    const consume = (records: MetricRecord[], reset: boolean) => {
      seen.push({ steps: records.map((r) => r.step), reset });
    };
    const first = feed.read(consume);
    await new Promise((resolve) => setImmediate(resolve)); // the first read is now in flight
    const reload = feed.readFromStart(consume);
    await Promise.all([first, reload]);
    appendFileSync(join(dir, 'metrics.jsonl'), line(count));
    await feed.read(consume);

    assert.equal(seen.length, 3);
    for (const delivery of seen.slice(0, 2)) {
      assert.equal(delivery.reset, true, 'both full reads replace what the webview had');
      assert.equal(delivery.steps.length, count);
      assert.ok(
        delivery.steps.every((step, i) => step === i),
        'records arrive in file order, none missing',
      );
    }
    assert.deepEqual(seen[2], { steps: [count], reset: false }, 'afterwards only the appended record');
  } finally {
    feed.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
