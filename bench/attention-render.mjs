// Cost of drawing the attention panel at the size issue 7 promises to keep
// fast: 4 layers × 8 heads at T = 256, in headless Chromium. The bundled
// webview (dist/webview/attention.js) runs behind the fake host and is driven
// through the real panel protocol: `run` and `steps` messages, a `snapshot`
// message for each `requestSnapshot` the panel posts, thumbnail clicks and
// slider `input` events dispatched on its DOM as a user's would be.
// Timed in the page around the synchronous work (message dispatch or DOM event
// → thumbnails, enlarged map, labels), then again until every canvas the panel
// drew has been rasterised (a 1-pixel read of each forces pending draws), which
// is when the pixels exist to be shown. The host's disk read and the message
// transport are not included. Frame budget: 16 ms (one 60 Hz frame).
// A second table times the panel's own drawing functions (webview/attention/
// heatmapCanvas.ts, bundled here) for the grid alone and the enlarged map alone.
// Usage: npm run build && node bench/attention-render.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadWebview, withBenchPage } from './fakeHostPage.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = 4;
const HEADS = 8;
const T = 256;
const SNAPSHOTS = 10;
const REPEATS = 20;
const FRAME_MS = 16;

/**
 * Installs in the page: seeded random snapshots (each row normalised to sum
 * to 1, zeros above the diagonal as the causal mask leaves them), a host that
 * answers every `requestSnapshot` the panel posts, and a timer that also waits
 * for the panel's canvases to be rasterised.
 */
function installHost([layers, heads, length, count]) {
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const text = 'First Citizen:\nBefore we proceed any further, hear me speak.\n\tAll: Speak, speak. ';
  const tokens = Array.from({ length }, (_, i) => text[i % text.length]);
  const snapshot = (step) => ({
    step,
    tokens,
    layers: Array.from({ length: layers }, (_, layer) => {
      const probs = new Array(heads * length * length).fill(0);
      for (let head = 0; head < heads; head++)
        for (let q = 0; q < length; q++) {
          const row = head * length * length + q * length;
          let sum = 0;
          for (let k = 0; k <= q; k++) sum += probs[row + k] = random();
          for (let k = 0; k <= q; k++) probs[row + k] /= sum;
        }
      return { layer, heads, length, probs };
    }),
  });
  window.__steps = Array.from({ length: count }, (_, i) => (i + 1) * 100);
  window.__store = new Map(window.__steps.map((step) => [step, snapshot(step)]));
  let answered = 0;
  /** Delivers what the host would send for requests posted since the last call; returns how many. */
  window.__answerRequests = () => {
    let n = 0;
    for (; answered < window.__posted.length; answered++) {
      const m = window.__posted[answered];
      if (m.type !== 'requestSnapshot') continue;
      window.__deliver({ type: 'snapshot', snapshot: window.__store.get(m.step) });
      n++;
    }
    return n;
  };
  /** Runs `action` (which includes answering requests), returns [script ms, until rasterised ms, fetched]. */
  window.__time = (action) => {
    const start = performance.now();
    const fetched = action();
    const script = performance.now() - start;
    for (const canvas of document.querySelectorAll('canvas'))
      if (canvas.width > 0) canvas.getContext('2d').getImageData(0, 0, 1, 1);
    return [script, performance.now() - start, fetched];
  };
}

async function panelFigures(page) {
  await loadWebview(page, repo, 'attention.js');
  await page.evaluate(installHost, [LAYERS, HEADS, T, SNAPSHOTS]);
  await page.evaluate(() => {
    window.__deliver({
      type: 'run',
      run: { runDir: '/bench/run', label: 'bench / transformer', status: 'running' },
      probeAvailable: false,
    });
    window.__deliver({ type: 'steps', steps: window.__steps });
    window.__answerRequests();
  });
  const maps = await page.evaluate(() => Number(document.getElementById('attention-grid').dataset.maps));
  if (maps !== LAYERS * HEADS) throw new Error(`expected ${LAYERS * HEADS} thumbnails, panel shows ${maps}`);

  // A snapshot arriving for the step shown (as while following a live run): grid + enlarged map.
  const snapshot = await page.evaluate(
    (repeats) =>
      Array.from({ length: repeats }, () =>
        window.__time(() => {
          const step = window.__steps[window.__steps.length - 1];
          window.__deliver({ type: 'snapshot', snapshot: window.__store.get(step) });
          return 1;
        }),
      ),
    REPEATS,
  );

  // Clicking thumbnails to enlarge them, each a different layer/head.
  const select = await page.evaluate(
    ([repeats, heads, layers]) =>
      Array.from({ length: repeats }, (_, i) => {
        const layer = (i * 3) % layers;
        const head = (i * 5 + 1) % heads;
        const result = window.__time(() => {
          document.querySelector(`.thumb[data-layer="${layer}"][data-head="${head}"]`).click();
          return 0;
        });
        const title = document.getElementById('detail-title').textContent;
        if (!title.startsWith(`Layer ${layer + 1}, head ${head + 1} `))
          throw new Error(`clicked layer ${layer} head ${head}, enlarged map is "${title}"`);
        return result;
      }),
    [REPEATS, HEADS, LAYERS],
  );

  // Scrubbing the slider from the first snapshot to the last and back, twice:
  // each step is the slider's input event plus the snapshot the host sends
  // when the panel does not hold it (it keeps the last few in memory).
  const scrub = await page.evaluate((count) => {
    const slider = document.getElementById('step-slider');
    const order = [];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < count; i++) order.push(i);
      for (let i = count - 2; i > 0; i--) order.push(i);
    }
    return order.map((index) => {
      const result = window.__time(() => {
        slider.value = String(index);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        return window.__answerRequests();
      });
      const shown = Number(document.body.dataset.step);
      if (shown !== window.__steps[index])
        throw new Error(`slider at ${index}: panel shows step ${shown}, expected ${window.__steps[index]}`);
      return result;
    });
  }, SNAPSHOTS);

  return {
    'snapshot message (grid + enlarged)': snapshot,
    'thumbnail click (enlarge)': select,
    'scrub step, all': scrub,
    'scrub step, snapshot fetched': scrub.filter((r) => r[2] > 0),
    'scrub step, held in memory': scrub.filter((r) => r[2] === 0),
  };
}

/** The panel's own drawing functions, timed apart: all thumbnails, then the enlarged map. */
async function componentFigures(page) {
  const bundle = await build({
    stdin: {
      contents: `import * as canvas from './webview/attention/heatmapCanvas';\nwindow.__heatmap = canvas;`,
      resolveDir: repo,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
  });
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  return page.evaluate(
    ([repeats, thumbSize, detailSize]) => {
      const { renderHeadBitmap, drawThumbnail, detailLayout, drawDetail } = window.__heatmap;
      const snapshot = window.__store.get(window.__steps[0]);
      const length = snapshot.tokens.length;
      const grid = [];
      const thumbs = [];
      const detail = [];
      const target = document.createElement('canvas');
      for (let r = 0; r < repeats; r++) {
        let start = performance.now();
        thumbs.length = 0;
        for (const layer of snapshot.layers)
          for (let head = 0; head < layer.heads; head++) {
            const thumb = document.createElement('canvas');
            drawThumbnail(thumb, { probs: layer.probs, offset: head * length * length, length }, thumbSize);
            thumbs.push(thumb);
          }
        const gridScript = performance.now() - start;
        for (const thumb of thumbs) thumb.getContext('2d').getImageData(0, 0, 1, 1);
        grid.push([gridScript, performance.now() - start]);

        start = performance.now();
        const layer = snapshot.layers[r % snapshot.layers.length];
        const { bitmap } = renderHeadBitmap({
          probs: layer.probs,
          offset: (r % layer.heads) * length * length,
          length,
        });
        drawDetail(target, bitmap, snapshot.tokens, detailLayout(length, detailSize), '#cccccc');
        const detailScript = performance.now() - start;
        target.getContext('2d').getImageData(0, 0, 1, 1);
        detail.push([detailScript, performance.now() - start]);
      }
      return { 'grid alone (32 maps)': grid, 'enlarged map alone': detail };
    },
    [REPEATS, 84, 560],
  );
}

function quantiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { median: q(0.5), p95: q(0.95) };
}

function printTable(heading, figures) {
  const rows = Object.entries(figures).map(([name, samples]) => {
    const script = quantiles(samples.map((s) => s[0]));
    const drawn = quantiles(samples.map((s) => s[1]));
    return [name, String(samples.length), script.median, script.p95, drawn.median, drawn.p95];
  });
  const width = Math.max(...rows.map((r) => r[0].length), heading.length);
  const num = (v) => v.toFixed(1).padStart(8);
  console.log(
    `${heading.padEnd(width)}     n  script median   p95  rasterised median   p95   (ms; frame budget ${FRAME_MS} ms)`,
  );
  for (const [name, n, sm, sp, dm, dp] of rows) {
    const over = dm > FRAME_MS ? `  ${(dm / FRAME_MS).toFixed(1)}× budget` : '  within budget';
    console.log(
      `${name.padEnd(width)} ${n.padStart(5)}  ${num(sm)} ${num(sp)}  ${num(dm)}     ${num(dp)}${over}`,
    );
  }
}

await withBenchPage(async (page) => {
  console.log(`Attention panel, ${LAYERS} layers × ${HEADS} heads at T = ${T}, ${SNAPSHOTS} snapshots`);
  const panel = await panelFigures(page);
  const components = await componentFigures(page);
  printTable('panel (real protocol and DOM)', panel);
  printTable('drawing functions alone', components);
});
