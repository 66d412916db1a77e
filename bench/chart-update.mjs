// Cost of one live update of the metrics panel at 10k and 100k points per
// series, in headless Chromium. The bundled webview (dist/webview/metrics.js)
// runs behind a fake host; each live update is one `records` message carrying
// the next step's records for every series, as the host sends while a run is
// live. Timed in the page around the synchronous message dispatch, which
// includes the series append, EMA, LTTB decimation and the canvas redraw of
// every touched chart. Target: ≤ 16 ms per update at 100k (one 60 Hz frame).
// Usage: npm run build && node bench/chart-update.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWebview, withBenchPage } from './fakeHostPage.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERIES = [
  ['train', 'loss'],
  ['validation', 'loss'],
  ['train', 'accuracy'],
  ['validation', 'accuracy'],
  ['train', 'lr'],
  ['train', 'samples_per_sec'],
];
const UPDATES = 200;

function records(fromStep, count) {
  const out = [];
  for (let step = fromStep; step < fromStep + count; step++) {
    for (const [split, name] of SERIES) {
      const value =
        name === 'lr'
          ? 1e-3
          : name === 'samples_per_sec'
            ? 900 + Math.sin(step) * 50
            : 1 / Math.sqrt(step + 1) + Math.random() * 0.05;
      out.push({ step, epoch: Math.floor(step / 1000), time: step * 0.05, split, name, value });
    }
  }
  return out;
}

async function measure(page, points) {
  await loadWebview(page, repo, 'metrics.js');
  const runDir = '/bench/run';
  await page.evaluate(
    (runDir) =>
      window.__deliver({ type: 'runs', runs: [{ runDir, label: 'bench / run', status: 'running' }] }),
    runDir,
  );
  // Initial load in host-sized messages (50k records each).
  const initial = records(0, points);
  for (let i = 0; i < initial.length; i += 50_000) {
    const slice = initial.slice(i, i + 50_000);
    await page.evaluate(
      ([runDir, slice, reset]) => window.__deliver({ type: 'records', runDir, records: slice, reset }),
      [runDir, slice, i === 0],
    );
  }
  const shown = await page.evaluate(() => Number(document.body.dataset.points));
  if (shown !== points * SERIES.length)
    throw new Error(`expected ${points * SERIES.length} points, panel shows ${shown}`);
  const updates = Array.from({ length: UPDATES }, (_, i) => records(points + i, 1));
  const times = await page.evaluate(
    ([runDir, updates]) =>
      updates.map((records) => {
        const start = performance.now();
        window.__deliver({ type: 'records', runDir, records, reset: false });
        return performance.now() - start;
      }),
    [runDir, updates],
  );
  const after = await page.evaluate(() => Number(document.body.dataset.points));
  if (after !== (points + UPDATES) * SERIES.length)
    throw new Error(`live updates not drawn: ${after} points`);
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { median: q(0.5), p95: q(0.95), max: times[times.length - 1] };
}

await withBenchPage(async (page) => {
  const results = {};
  for (const points of [10_000, 100_000]) {
    results[points] = await measure(page, points);
    const r = results[points];
    console.log(
      `${points.toLocaleString('en')} points/series × ${SERIES.length} series: live update median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, max ${r.max.toFixed(2)} ms`,
    );
  }
  const ratio = results[100_000].median / results[10_000].median;
  console.log(
    `100k / 10k median ratio: ${ratio.toFixed(2)}× (10× more points); 100k median is ${((results[100_000].median / 16) * 100).toFixed(0)}% of a 16 ms frame`,
  );
});
