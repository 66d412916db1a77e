// The runs table webview with 2,000 synthetic runs in headless Chromium, against the same
// table with 200 runs measured in the same run (the ratio says how it scales). The bundled
// webview (dist/webview/runsTable.js) runs behind a fake host; each figure is timed in the
// page around the synchronous work plus a forced layout: first render (the host's `allRows`),
// sort (a header click), filter (a query typed) and a live update (one row changed, as a
// training run sends every second). Median of 7 repetitions each.
// Usage: npm run build && node bench/runs-table.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWebview, withBenchPage } from './fakeHostPage.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPEATS = 7;
const EXPERIMENTS = ['digits-cnn', 'wine-mlp', 'shakespeare-transformer', 'sine-lstm'];
const STATUSES = ['completed', 'completed', 'completed', 'failed', 'stopped', 'running'];

/** A run as RunTableReader reads it: ~40 settings, 6 final and 4 best metrics. */
function row(index) {
  const experiment = EXPERIMENTS[index % EXPERIMENTS.length];
  const id = `20261201-${String(100000 + index).slice(-6)}`;
  const settings = {
    task: 'classification',
    'data.source': 'builtin:digits',
    'data.splits.train': 0.8,
    'data.splits.validation': 0.1,
    'data.splits.test': 0.1,
    'data.seed': 1,
    'model.input.shape': '[1,8,8]',
    'training.epochs': 10 + (index % 5),
    'training.batchSize': [16, 32, 64][index % 3],
    'training.optimizer.type': index % 2 ? 'adam' : 'sgd',
    'training.optimizer.learningRate': [0.0003, 0.001, 0.003, 0.01][index % 4],
    'training.loss': 'cross-entropy',
    'training.seed': index,
  };
  for (let layer = 0; layer < 9; layer++) {
    settings[`model.layers.${layer}.type`] = layer % 3 === 2 ? 'dropout' : 'dense';
    settings[`model.layers.${layer}.units`] = 16 << ((index + layer) % 4);
    settings[`model.layers.${layer}.activation`] = 'relu';
  }
  const accuracy = 0.5 + ((index * 7919) % 500) / 1000;
  return {
    runDir: `/bench/.modellab/runs/${experiment}/${id}`,
    experiment,
    id,
    name: index % 10 === 0 ? `baseline ${index}` : id,
    status: STATUSES[index % STATUSES.length],
    startedAt: new Date(Date.UTC(2026, 11, 1) + index * 60_000).toISOString(),
    duration: 30 + (index % 600),
    device: 'cpu',
    settings,
    final: {
      'train/loss': 1 - accuracy,
      'train/lr': settings['training.optimizer.learningRate'],
      'train/samples_per_sec': 900,
      'validation/loss': 1.1 - accuracy,
      'validation/accuracy': accuracy,
      'test/accuracy': accuracy - 0.01,
    },
    best: {
      'train/loss': 0.9 - accuracy,
      'validation/loss': 1 - accuracy,
      'validation/accuracy': accuracy + 0.01,
      'test/accuracy': accuracy - 0.01,
    },
    tags: index % 3 === 0 ? ['keep'] : [],
    notes: '',
    has: { evaluation: true, attention: false },
  };
}

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

async function measure(page, runs) {
  const rows = Array.from({ length: runs }, (_, i) => row(i));
  const times = { render: [], sort: [], filter: [], update: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    await loadWebview(page, repo, 'runsTable.js', ['runsTable.css']);
    const result = await page.evaluate((rows) => {
      const timed = (work) => {
        const start = performance.now();
        work();
        void document.body.offsetHeight; // layout included
        return performance.now() - start;
      };
      const render = timed(() => window.__deliver({ type: 'allRows', rows }));
      const table = document.querySelector('[data-testid="runs-table"]');
      const shown = Number(table.dataset.rows);
      const header = document.querySelector('[data-testid="column-final:validation/accuracy"]');
      const sort = timed(() => header.click());
      const query = document.querySelector('[data-testid="runs-query"]');
      const filter = timed(() => {
        query.value = 'adam keep';
        query.dispatchEvent(new Event('input'));
      });
      const filtered = Number(table.dataset.rows);
      query.value = '';
      query.dispatchEvent(new Event('input'));
      const changed = { ...rows[0], final: { ...rows[0].final, 'train/loss': 0.01 } };
      const update = timed(() => window.__deliver({ type: 'rowChanges', changed: [changed], removed: [] }));
      return { render, sort, filter, update, shown, filtered };
    }, rows);
    if (result.shown !== runs) throw new Error(`expected ${runs} rows, the table shows ${result.shown}`);
    if (!(result.filtered > 0 && result.filtered < runs))
      throw new Error(`the filter kept ${result.filtered} of ${runs} rows`);
    for (const key of Object.keys(times)) times[key].push(result[key]);
  }
  return Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)]));
}

await withBenchPage(async (page) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const small = await measure(page, 200);
  const large = await measure(page, 2000);
  for (const [runs, r] of [
    [200, small],
    [2000, large],
  ]) {
    console.log(
      `${runs.toLocaleString('en')} runs: first render ${r.render.toFixed(1)} ms, sort ${r.sort.toFixed(1)} ms, filter ${r.filter.toFixed(1)} ms, live update of one row ${r.update.toFixed(1)} ms`,
    );
  }
  const ratio = (key) => (large[key] / small[key]).toFixed(1);
  console.log(
    `2,000 / 200 runs (10× the rows): first render ${ratio('render')}×, sort ${ratio('sort')}×, filter ${ratio('filter')}×, live update ${ratio('update')}×`,
  );
});
