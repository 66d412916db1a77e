import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { Experiment } from '../../../src/contract/experiment';
import { readCheckpointPosition } from '../../../src/runs/checkpoints';
import { listRuns, readMetrics, type RunEntry } from '../../../src/runs/runReader';
import { STEP_PACE_VARIABLE } from '../../../src/trainer/stepPacing';
import { CLI_ENTRY, modelLab } from '../../fixtures/modelLabCli';

const digits = resolve(__dirname, '../../../templates/cnn-digits/digits-cnn.experiment.json');
const root = mkdtempSync(join(tmpdir(), 'modellab-sweep-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The digits template with `sweep`, written to a folder of its own; returns the file. */
function digitsSweep(folder: string, sweep: object, edit: (e: Experiment) => void = () => undefined): string {
  const experiment = JSON.parse(readFileSync(digits, 'utf8')) as Experiment;
  edit(experiment);
  const file = join(root, folder, 'digits-cnn.experiment.json');
  rmSync(join(root, folder), { recursive: true, force: true });
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...experiment, sweep }, null, 2));
  return file;
}

/** The sweep's trial folders, by trial index. */
function trials(runsDir: string): RunEntry[] {
  return listRuns(runsDir, 'digits-cnn').sort((a, b) => a.info!.sweep!.index - b.info!.sweep!.index);
}

test('model-lab sweep trains a 2×2 grid as four ordinary runs, each recording its values, ranked at the end', () => {
  const runsDir = join(root, 'grid', 'runs');
  const file = digitsSweep('grid', {
    method: 'grid',
    parameters: { 'training.optimizer.learningRate': [0.002, 0.01], 'model.layers.6.units': [32, 64] },
    parallel: 2,
    metric: 'accuracy',
  });
  const args = ['sweep', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '3'];
  const result = modelLab(...args);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const runs = trials(runsDir);
  assert.equal(runs.length, 4);
  const expected = [
    [0.002, 32],
    [0.002, 64],
    [0.01, 32],
    [0.01, 64],
  ];
  const ids = new Set(runs.map((run) => run.info?.sweep?.id));
  assert.equal(ids.size, 1, 'one sweep id for all four trials');
  runs.forEach((run, index) => {
    const info = run.info!;
    const [rate, units] = expected[index];
    assert.equal(info.status, 'completed');
    assert.equal(info.step, 3);
    assert.equal(info.sweep?.index, index);
    assert.deepEqual(info.sweep?.values, {
      'training.optimizer.learningRate': rate,
      'model.layers.6.units': units,
    });
    // The run trained exactly that config: the values set, no sweep, everything else as in the file.
    assert.equal(info.config.training.optimizer.learningRate, rate);
    assert.deepEqual(info.config.model.layers?.[6], { type: 'dense', units, activation: 'relu' });
    assert.equal(info.config.sweep, undefined);
    assert.equal(info.config.training.batchSize, 32);
    assert.ok(readMetrics(run.dir).some((r) => r.split === 'validation' && r.name === 'accuracy'));
    // Train accuracy is charted next to it, scored at the same validation.
    assert.ok(readMetrics(run.dir).some((r) => r.split === 'train' && r.name === 'accuracy' && r.step === 3));
  });
  // The ranking lists the four trials by validation accuracy, best first.
  const ranking = result.stdout.slice(
    result.stdout.indexOf('Ranking by validation/accuracy (higher is better):'),
  );
  const ranked = [...ranking.matchAll(/^\s+\d+\. trial (\d) {2}([\d.]+) /gm)].map((m) => ({
    trial: Number(m[1]),
    value: Number(m[2]),
  }));
  assert.equal(ranked.length, 4, result.stdout);
  for (const { trial, value } of ranked) {
    const accuracy = runs[trial - 1].info!.summary!['validation/accuracy'];
    assert.equal(value, Number(accuracy.toPrecision(4)));
  }
  assert.deepEqual(
    ranked.map((r) => r.value),
    ranked.map((r) => r.value).sort((a, b) => b - a),
  );

  // `model-lab runs --json` lists the four trials with their settings and scores, for scripts and CI.
  const listed = modelLab('runs', '--runs-dir', runsDir, '--json');
  assert.equal(listed.status, 0, listed.stderr);
  const report = JSON.parse(listed.stdout) as {
    differingSettings: string[];
    runs: {
      runDir: string;
      status: string;
      settings: Record<string, unknown>;
      final: Record<string, number>;
    }[];
  };
  assert.deepEqual(report.differingSettings.sort(), [
    'model.layers.6.units',
    'training.optimizer.learningRate',
  ]);
  assert.equal(report.runs.length, 4);
  for (const run of runs) {
    const row = report.runs.find((listedRun) => listedRun.runDir === run.dir);
    assert.ok(row, `runs --json lists ${run.dir}`);
    assert.equal(row.status, 'completed');
    const values = run.info!.sweep!.values;
    assert.equal(row.settings['training.optimizer.learningRate'], values['training.optimizer.learningRate']);
    assert.equal(row.settings['model.layers.6.units'], values['model.layers.6.units']);
    assert.equal(row.settings['training.batchSize'], 32);
    assert.equal(row.final['validation/accuracy'], run.info!.summary!['validation/accuracy']);
  }

  // The same sweep again finds its finished trials and trains nothing.
  const again = modelLab(...args);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /4 trials, all finished before\./);
  assert.equal(listRuns(runsDir, 'digits-cnn').length, 4);
});

test('Ctrl-C stops a sweep (the training trial with a checkpoint, the rest queued); running it again continues it', async () => {
  const runsDir = join(root, 'resume', 'runs');
  const file = digitsSweep(
    'resume',
    { method: 'grid', parameters: { 'training.optimizer.learningRate': [0.002, 0.005, 0.01] }, parallel: 1 },
    (e) => (e.training.fusedSteps = 1),
  );
  const args = ['sweep', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '40'];
  // Paced, the first trial lasts at least 40 × 250 ms: long enough to be stopped while it trains.
  const sweep = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    env: { ...process.env, [STEP_PACE_VARIABLE]: '250' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  sweep.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  sweep.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => sweep.once('exit', resolveExit));
  // Every trial folder is written, queued, before the first trial trains.
  await waitFor(
    () => {
      const runs = listRuns(runsDir, 'digits-cnn');
      return runs.length === 3 && (runs.find((run) => run.info?.sweep?.index === 0)?.info?.step ?? 0) >= 1;
    },
    () => output,
  );
  assert.deepEqual(
    trials(runsDir).map((run) => run.info?.status),
    ['running', 'queued', 'queued'],
  );
  sweep.kill('SIGINT');
  assert.equal(await exited, 130, output);
  assert.match(output, /Sweep stopped; run the same command again to continue it\./);
  const stopped = trials(runsDir);
  assert.deepEqual(
    stopped.map((run) => run.info?.status),
    ['stopped', 'queued', 'queued'],
  );
  const checkpoint = readCheckpointPosition(stopped[0].dir, 'last');
  assert.ok(
    checkpoint && checkpoint.step >= 1 && checkpoint.step < 40,
    `checkpoint at step ${checkpoint?.step}`,
  );
  assert.deepEqual(readMetrics(stopped[1].dir), []);

  const resumed = modelLab(...args);
  assert.equal(resumed.status, 0, resumed.stderr + resumed.stdout);
  assert.match(resumed.stdout, /trial 1\/3 continues/);
  const finished = trials(runsDir);
  assert.equal(finished.length, 3, 'continued in the same folders');
  assert.deepEqual(
    finished.map((run) => [run.info?.status, run.info?.step]),
    [
      ['completed', 40],
      ['completed', 40],
      ['completed', 40],
    ],
  );
  // The first trial continued from its checkpoint: every step recorded once.
  const steps = readMetrics(finished[0].dir)
    .filter((r) => r.split === 'train' && r.name === 'loss')
    .map((r) => r.step);
  assert.deepEqual(
    steps,
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  assert.match(
    readFileSync(join(finished[0].dir, 'log.txt'), 'utf8'),
    new RegExp(`continues this trial from its checkpoint at step ${checkpoint.step}`),
  );
});

test('a trial that does not fit the data refuses the whole sweep before any folder is written, on the sweep line', () => {
  const runsDir = join(root, 'refused', 'runs');
  // 12 output units are a fine layer, but the digits have 10 classes: only loading the data tells.
  const file = digitsSweep('refused', { method: 'grid', parameters: { 'model.layers.7.units': [10, 12] } });
  const result = modelLab('sweep', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '3');
  assert.equal(result.status, 2, result.stderr);
  const parametersLine =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes('"parameters"')) + 1;
  assert.match(
    result.stderr,
    new RegExp(
      `digits-cnn\\.experiment\\.json:${parametersLine}:\\d+: error: trial 2 \\(model\\.layers\\.7\\.units=12\\): the model outputs \\[12\\]`,
    ),
  );
  assert.deepEqual(listRuns(runsDir, 'digits-cnn'), []);
});

test('a file without a sweep is refused with what to do', () => {
  const file = digitsSweep('none', { method: 'grid', parameters: { 'training.seed': [1] } });
  const text = JSON.parse(readFileSync(file, 'utf8'));
  delete text.sweep;
  writeFileSync(file, JSON.stringify(text, null, 2));
  const result = modelLab('sweep', file, '--runs-dir', join(root, 'none', 'runs'));
  assert.equal(result.status, 2);
  assert.match(result.stderr, /has no "sweep" section; add one to run a sweep/);
});

async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out; output so far:\n${describe()}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}
