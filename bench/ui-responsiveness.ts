/**
 * Benchmark (not a test): does training starve the editor? Drives the real workbench (code-server
 * and headless Chromium, started like the UI tests do, with this checkout packaged and installed)
 * and measures, with no run and then while the CNN and while the Transformer template train:
 *   - palette latency: F1 pressed → the command palette's input visible (then Escape);
 *   - panel update latency: a metric record appended to a run folder's metrics.jsonl → the metrics
 *     panel charting it (its body's data-points grows); the folder is a stand-in run opened with
 *     "Model Lab: Open Run Folder…", so the panel reads the file as it reads any run's;
 * p50 and p95 over BENCH_UI_SAMPLES of each, and the run's steps/s from its metrics.jsonl, both
 * while nothing is driven and during the measurements (the cost of the editor's work to training).
 * The training runs as Model Lab trains from the editor: modelLab.threads "auto", below-normal
 * priority. Times include the Playwright round trip (the same in every row; see the idle row).
 *
 *   flock /work/vscode.lock npx tsx bench/ui-responsiveness.ts
 *   BENCH_UI_SAMPLES=30 BENCH_UI_QUIET_SECONDS=15 BENCH_UI_TEMPLATES=cnn npx tsx bench/ui-responsiveness.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { RunWriter } from '../src/runs/runWriter';
import {
  artifactsDir,
  launchBrowser,
  openWorkbench,
  runCommand,
  workbenchUrl,
} from '../test/e2e/helpers/browser';
import { installExtension, startCodeServer } from '../test/e2e/helpers/codeServer';
import { openThroughDialog } from '../test/e2e/helpers/folderDialog';
import { pickQuickItem } from '../test/e2e/helpers/panels';
import { createScratch } from '../test/e2e/helpers/scratch';
import { runInfoFixture } from '../test/fixtures/runInfo';

const repo = join(__dirname, '..');
// 40: the p95 of 20 samples is their second-slowest, one stray pause away from the slowest.
const SAMPLES = Number(process.env.BENCH_UI_SAMPLES ?? 40);
/** Steps/s of a run with nothing driven is read over this long (fused runs record 10 steps at a time). */
const QUIET_SECONDS = Number(process.env.BENCH_UI_QUIET_SECONDS ?? 15);
const TEMPLATES = [
  { name: 'cnn', folder: 'cnn-digits', file: 'digits-cnn.experiment.json' },
  { name: 'transformer', folder: 'transformer-shakespeare', file: 'shakespeare-transformer.experiment.json' },
].filter((t) => !process.env.BENCH_UI_TEMPLATES || process.env.BENCH_UI_TEMPLATES.includes(t.name));

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** The template under a bench name, with epochs enough to train through the measurements. */
function writeExperiment(workspace: string, t: (typeof TEMPLATES)[number]): string {
  const template = JSON.parse(readFileSync(join(repo, 'templates', t.folder, t.file), 'utf8'));
  const name = `bench-${t.name}`;
  const experiment = {
    ...template,
    name,
    training: { ...template.training, epochs: 10_000, earlyStopping: undefined },
  };
  writeFileSync(join(workspace, `${name}.experiment.json`), JSON.stringify(experiment, null, 2));
  return name;
}

/** Train-split steps recorded so far in a run folder's metrics.jsonl. */
function stepsRecorded(runsDir: string): number {
  if (!existsSync(runsDir)) return 0;
  const [run] = readdirSync(runsDir);
  if (!run || !existsSync(join(runsDir, run, 'metrics.jsonl'))) return 0;
  let last = 0;
  for (const line of readFileSync(join(runsDir, run, 'metrics.jsonl'), 'utf8').split('\n')) {
    if (!line.includes('"train"')) continue;
    try {
      last = Math.max(last, (JSON.parse(line) as { step: number }).step);
    } catch {
      // a line being written
    }
  }
  return last;
}

async function paletteLatency(page: Page): Promise<number> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const start = performance.now();
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  const ms = performance.now() - start;
  await page.keyboard.press('Escape');
  await input.waitFor({ state: 'hidden' });
  return ms;
}

/** The stand-in run's one metric: its legend entry tells its panel from the training run's. */
const PROBE_METRIC = 'ui_probe';

/** The stand-in run the panel latency is measured on: a folder outside the workspace. */
class ProbeRun {
  private step = 0;
  constructor(private readonly writer: RunWriter) {}

  static create(root: string): ProbeRun {
    const writer = RunWriter.create({ runsDir: join(root, 'probe-runs'), info: runInfoFixture() });
    // A live owner, so the panel tails it as a run in progress.
    writer.updateInfo({ pid: process.pid });
    const probe = new ProbeRun(writer);
    probe.append();
    return probe;
  }

  get dir(): string {
    return this.writer.dir;
  }

  append(): void {
    this.step++;
    this.writer.appendMetrics([
      {
        step: this.step,
        epoch: 0,
        time: this.step,
        split: 'train',
        name: PROBE_METRIC,
        value: 1 / this.step,
      },
    ]);
  }
}

async function panelLatency(panel: Frame, probe: ProbeRun): Promise<number> {
  const points = async () => Number((await panel.locator('body').getAttribute('data-points')) ?? 0);
  const before = await points();
  const start = performance.now();
  probe.append();
  await panel.waitForFunction((n) => Number(document.body.dataset.points ?? 0) > n, before, {
    polling: 'raf',
    timeout: 30_000,
  });
  return performance.now() - start;
}

interface Row {
  scenario: string;
  palette: number[];
  panel: number[];
  quietStepsPerSecond?: number;
  busyStepsPerSecond?: number;
}

async function measure(
  page: Page,
  panel: Frame,
  probe: ProbeRun,
  scenario: string,
  runsDir?: string,
): Promise<Row> {
  const row: Row = { scenario, palette: [], panel: [] };
  const stepsPerSecond = async (work: () => Promise<void>) => {
    const [steps, start] = [stepsRecorded(runsDir ?? ''), performance.now()];
    await work();
    return (stepsRecorded(runsDir ?? '') - steps) / ((performance.now() - start) / 1000);
  };
  if (runsDir)
    row.quietStepsPerSecond = await stepsPerSecond(() => page.waitForTimeout(QUIET_SECONDS * 1000));
  const busy = await stepsPerSecond(async () => {
    for (let i = 0; i < SAMPLES; i++) {
      row.palette.push(await paletteLatency(page));
      row.panel.push(await panelLatency(panel, probe));
      await page.waitForTimeout(100);
    }
  });
  if (runsDir) row.busyStepsPerSecond = busy;
  return row;
}

async function openProbePanel(page: Page, probe: ProbeRun, timeoutMs?: number): Promise<Frame> {
  await runCommand(page, 'Model Lab: Open Run Folder…', timeoutMs);
  await openThroughDialog(page, probe.dir);
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) {
      const legend = frame.locator('button.series-toggle', { hasText: PROBE_METRIC });
      if ((await legend.count().catch(() => 0)) > 0 && (await legend.first().isVisible())) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no visible metrics panel charts ${PROBE_METRIC}`);
    await page.waitForTimeout(250);
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function table(rows: Row[]): string {
  const idle = rows[0];
  const header = [
    'scenario',
    'palette p50 ms',
    'p95 ms',
    'p95 / idle',
    'panel p50 ms',
    'p95 ms',
    'steps/s quiet',
    'steps/s driven',
  ];
  const cells = rows.map((r) => [
    r.scenario,
    percentile(r.palette, 50).toFixed(0),
    percentile(r.palette, 95).toFixed(0),
    `${(percentile(r.palette, 95) / percentile(idle.palette, 95)).toFixed(2)}×`,
    percentile(r.panel, 50).toFixed(0),
    percentile(r.panel, 95).toFixed(0),
    r.quietStepsPerSecond?.toFixed(1) ?? '—',
    r.busyStepsPerSecond === undefined
      ? '—'
      : `${r.busyStepsPerSecond.toFixed(1)} (${(100 * (r.busyStepsPerSecond / r.quietStepsPerSecond! - 1)).toFixed(0)} %)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(header), ...cells.map(line)].join('\n');
}

async function main() {
  const scratch = createScratch('ui-bench');
  // Installed from its .vsix as a user installs it (as the UI tests do).
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: repo, stdio: 'ignore' });
  await installExtension(scratch, join(repo, 'dist', 'model-lab.vsix'));
  const workspace = join(scratch.root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const experiments = TEMPLATES.map((t) => writeExperiment(workspace, t));
  const probe = ProbeRun.create(scratch.root);
  const server = await startCodeServer({ scratch, workspace });
  const browser = await launchBrowser(scratch);
  try {
    const page = await openWorkbench(browser, workbenchUrl(server.url, workspace));
    console.log(
      `${availableParallelism()} cores; load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    // The first command waits for the extension host to start Model Lab (slow on a busy machine).
    let panel = await openProbePanel(page, probe, 180_000);
    const rows = [await measure(page, panel, probe, 'no run')];
    for (const [i, name] of experiments.entries()) {
      const runsDir = join(workspace, '.modellab', 'runs', name);
      await runCommand(page, 'Model Lab: Train');
      await pickQuickItem(page, `${name}.experiment.json`);
      await waitUntil(() => stepsRecorded(runsDir) > 0, `${name} to train`);
      // Train opens the run's own metrics panel over the stand-in's: bring the stand-in back to the front.
      panel = await openProbePanel(page, probe);
      rows.push(await measure(page, panel, probe, `${TEMPLATES[i].name} training`, runsDir));
      await runCommand(page, 'Model Lab: Stop Training');
      const [run] = readdirSync(runsDir);
      await waitUntil(
        () => JSON.parse(readFileSync(join(runsDir, run, 'run.json'), 'utf8')).status !== 'running',
        `${name} to stop`,
      );
    }
    console.log(table(rows));
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `${SAMPLES} samples each; palette: F1 → input visible; panel: record appended → charted; ` +
        `steps/s quiet: ${QUIET_SECONDS} s with nothing driven, driven: during the measurements (change)`,
    );
  } catch (error) {
    mkdirSync(artifactsDir, { recursive: true });
    copyFileSync(server.logFile, join(artifactsDir, 'ui-bench-code-server.log'));
    throw error;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    scratch.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
