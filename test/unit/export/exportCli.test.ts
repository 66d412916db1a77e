/**
 * `model-lab export pytorch`: what it writes, what it refuses (leaving the disk as it was),
 * and that the written project trains into a run folder Model Lab reads back (needs torch).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { ExportError } from '../../../src/export/pytorch/exportError';
import { modelSource } from '../../../src/export/pytorch/modelSource';
import type { Layer } from '../../../src/contract/experiment';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { saveRunAnnotations } from '../../../src/runs/runAnnotations';
import { listRuns, readEvalReport, readMetrics, type RunEntry } from '../../../src/runs/runReader';
import { compileOptionsFor } from '../../../src/trainer/trainer';
import { evaluateSplit } from '../../../src/trainer/evaluation';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { PYTHON, readValidExperiment, requireTorch, trainExported } from '../../fixtures/pytorch';
import { modelLab } from '../../fixtures/modelLabCli';

const wine = resolve(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
const root = mkdtempSync(join(tmpdir(), 'modellab-export-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('export pytorch writes model.py, data.py, train.py, the data and a README', () => {
  const out = join(root, 'written');
  const result = modelLab('export', 'pytorch', wine, '--out', out);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /torchrun --nproc_per_node N train\.py/);
  for (const file of [
    'model.py',
    'layers.py',
    'data.py',
    'tables.py',
    'train.py',
    'runfolder.py',
    'README.md',
    'experiment.json',
  ])
    assert.ok(existsSync(join(out, file)), file);
  const model = readFileSync(join(out, 'model.py'), 'utf8');
  assert.match(model, /class Model\(nn\.Module\)/);
  assert.match(model, /self\.layer0 = dense\(13, 32, relu_init=True\)/);
  assert.match(model, /\("layer3\.dense\.weight", "layer3\.weight", True\)/);
  const meta = JSON.parse(readFileSync(join(out, 'data', 'meta.json'), 'utf8'));
  assert.equal(meta.kind, 'rows');
  assert.deepEqual(meta.inputShape, [13]);
  assert.equal(meta.classes.length, 3);
  // wine.csv is the user's own table: data.py reads it where it is (pytorchUserSources.test.ts
  // compares what it builds with Model Lab's loader), so data/ holds no copy.
  assert.equal(resolve(out, 'data', meta.read.file), resolve(dirname(wine), 'wine.csv'));
  assert.deepEqual(readdirSync(join(out, 'data')), ['meta.json']);
  assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /^# wine-mlp/);
});

test('export pytorch refuses a non-empty --out without --force and writes nothing; --force writes beside what is there', () => {
  const out = join(root, 'occupied');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const refused = modelLab('export', 'pytorch', wine, '--out', out);
  assert.equal(refused.status, 2);
  assert.match(
    refused.stderr,
    new RegExp(`${out.replace(/[/.]/g, '\\$&')} is not empty; nothing was written.*--force`),
  );
  assert.deepEqual(readdirSync(out), ['notes.txt']);

  const forced = modelLab('export', 'pytorch', wine, '--out', out, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
  assert.ok(existsSync(join(out, 'train.py')));
});

test('export pytorch refuses an invalid experiment with its file:line errors, before writing', () => {
  const file = join(root, 'broken.experiment.json');
  const experiment = JSON.parse(readFileSync(wine, 'utf8'));
  experiment.data.source = resolve(__dirname, '../../../templates/mlp-wine/wine.csv');
  experiment.training.batchSize = 0;
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  const out = join(root, 'never');
  const result = modelLab('export', 'pytorch', file, '--out', out);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /broken\.experiment\.json:\d+:\d+: error: .*batchSize/);
  assert.equal(existsSync(out), false);
});

test('a layer the exporter cannot express is refused by name and index', () => {
  const layers = [
    { type: 'dense', units: 4 },
    { type: 'conv3d', filters: 2 },
  ] as unknown as Layer[];
  assert.throws(
    () => modelSource('odd', layers, [[8], [4]]),
    (error: unknown) =>
      error instanceof ExportError &&
      /^Layer 1 \(conv3d\) has no PyTorch equivalent in the exporter yet; the layers it can express are dense, conv2d/.test(
        error.message,
      ),
  );
});

test('the exported project trains into a Model Lab run folder; Model Lab reads its checkpoint back', async (t) => {
  if (!requireTorch(t)) return;
  const project = join(root, 'trained');
  assert.equal(modelLab('export', 'pytorch', wine, '--out', project).status, 0);
  const runsDir = join(root, 'trained-runs');
  const first = trainExported(project, { maxSteps: 30, runsDir });
  assert.equal(first.status, 0, first.stderr);
  const [run] = listRuns(runsDir, 'wine-mlp');
  const info = run.info as unknown as Record<string, unknown> & NonNullable<typeof run.info>;
  assert.equal(info.status, 'completed');
  assert.equal(info.runtime, 'pytorch');
  assert.equal(info.worldSize, 1);
  assert.equal(info.device?.chosen, 'cpu');
  assert.match(String((info.versions as unknown as Record<string, string>).torch), /^\d+\.\d+/);
  const losses = readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'loss');
  assert.deepEqual(
    losses.map((r) => r.step),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  // Throughput as the engine records it (examples per second), so the Throughput chart has a curve.
  const throughput = readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'samples_per_sec');
  assert.deepEqual(
    throughput.map((r) => r.step),
    losses.map((r) => r.step),
  );
  assert.ok(
    throughput.every((r) => Number.isFinite(r.value) && r.value > 0),
    JSON.stringify(throughput.slice(0, 3)),
  );
  assert.ok(readMetrics(run.dir).some((r) => r.split === 'validation' && r.name === 'accuracy'));
  assert.ok(existsSync(join(run.dir, 'model.onnx')));
  assert.match(readFileSync(join(run.dir, 'log.txt'), 'utf8'), /Training finished after 30 steps\./);
  const report = readEvalReport(run.dir);
  assert.equal(report?.classes?.length, 3);
  assert.equal(
    report?.confusion?.flat().reduce((a, b) => a + b, 0),
    report?.count,
  );

  // The model.onnx torch.onnx.export wrote opens in Model Lab's ONNX importer, which can train it.
  const check = modelLab('onnx', 'check', join(run.dir, 'model.onnx'));
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /Model Lab can train this model\./);

  // The PyTorch checkpoint, loaded into Model Lab's engine, scores the test split as PyTorch did.
  const checkpoint = loadCheckpoint(run.dir, 'last');
  assert.equal(checkpoint.position.step, 30);
  const deps = createTrainerDeps();
  const experiment = await readValidExperiment(wine, deps.loadDataset);
  const dataset = await deps.loadDataset(experiment, resolve(wine, '..'));
  const model = await deps.compileModel(compileOptionsFor(experiment, dataset, 'cpu', resolve(wine, '..')));
  const best = checkpoint.position.best?.step === 30 ? checkpoint : loadCheckpoint(run.dir, 'best');
  await model.setState(best.state);
  const scores = await evaluateSplit(model, dataset, experiment, 'test');
  await model.dispose();
  assert.ok(Math.abs(scores.loss - report!.loss) < 1e-5, `engine ${scores.loss}, PyTorch ${report!.loss}`);

  // --resume continues the run: a new folder whose metrics carry on from step 30 to 40.
  const resumed = trainExported(project, { maxSteps: 40, runsDir, more: ['--resume', run.dir] });
  assert.equal(resumed.status, 0, resumed.stderr);
  const second = listRuns(runsDir, 'wine-mlp').find((r) => r.dir !== run.dir)!;
  const steps = readMetrics(second.dir)
    .filter((r) => r.split === 'train' && r.name === 'loss')
    .map((r) => r.step);
  assert.deepEqual(
    steps,
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  assert.equal(loadCheckpoint(second.dir, 'last').position.step, 40);
});

/** train.py of `project` in the background, into `runsDir`. */
function startTraining(
  project: string,
  runsDir: string,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(PYTHON, ['train.py', '--device', 'cpu', '--runs-dir', runsDir], {
    cwd: project,
    stdio: 'ignore',
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' },
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited };
}

/** The run's folder once it has recorded at least `records` metric lines (the loop is running). */
async function trainingRun(child: ChildProcess, runsDir: string, records: number): Promise<RunEntry> {
  for (;;) {
    const run = listRuns(runsDir, 'wine-mlp').find((entry) => readMetrics(entry.dir).length >= records);
    if (run) return run;
    assert.equal(child.exitCode, null, 'train.py ended before it was signalled');
    await new Promise((resume) => setTimeout(resume, 100));
  }
}

test('Ctrl+C or SIGTERM stops an exported run after its step: run.json goes from running to stopped, with the last checkpoint saved (exit 130) and the name and tags given meanwhile kept', async (t) => {
  if (!requireTorch(t)) return;
  const project = longWineProject('stopped');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const runsDir = join(root, `stopped-runs-${signal}`);
    const { child, exited } = startTraining(project, runsDir);
    const run = await trainingRun(child, runsDir, 1);
    assert.equal(run.info?.status, 'running', `${signal}: run.json while training`);
    // Named and tagged in the runs table while it trains: train.py's own writes keep both.
    saveRunAnnotations(run.dir, { name: `stopped by ${signal}`, tags: ['keep'] });
    child.kill(signal);
    assert.equal(await exited, 130, `${signal}: exit code`);
    const [stopped] = listRuns(runsDir, 'wine-mlp');
    assert.equal(stopped.info?.status, 'stopped', `${signal}: run.json status`);
    assert.equal(stopped.info?.name, `stopped by ${signal}`, `${signal}: the name given while training`);
    assert.deepEqual(stopped.info?.tags, ['keep'], `${signal}: the tags given while training`);
    assert.ok(stopped.info?.endedAt, `${signal}: endedAt`);
    const lastStep = Math.max(...readMetrics(stopped.dir).map((r) => r.step));
    assert.equal(loadCheckpoint(stopped.dir, 'last').position.step, lastStep, `${signal}: checkpoint`);
    assert.ok(existsSync(join(stopped.dir, 'model.onnx')), `${signal}: model.onnx`);
    assert.match(
      readFileSync(join(stopped.dir, 'log.txt'), 'utf8'),
      new RegExp(`Stopped at step ${lastStep} \\(Ctrl\\+C or SIGTERM\\); the last checkpoint is saved`),
    );
  }
});

test('a run that fails while training ends failed with the error in run.json', (t) => {
  if (!requireTorch(t)) return;
  const project = join(root, 'failing');
  assert.equal(modelLab('export', 'pytorch', wine, '--out', project).status, 0);
  const runsDir = join(root, 'failing-runs');
  const nowhere = join(root, 'no-such-run');
  const result = trainExported(project, { maxSteps: 5, runsDir, more: ['--init-from', nowhere] });
  assert.notEqual(result.status, 0);
  const [run] = listRuns(runsDir, 'wine-mlp');
  assert.equal(run.info?.status, 'failed');
  assert.match(String(run.info?.error), /No checkpoint in .*no-such-run/);
});

/** The wine template with a schedule far longer than a test, exported: it is training when signalled. */
function longWineProject(name: string): string {
  const experiment = JSON.parse(readFileSync(wine, 'utf8'));
  const longFile = join(root, `${name}.experiment.json`);
  copyFileSync(join(dirname(wine), 'wine.csv'), join(root, 'wine.csv'));
  writeFileSync(
    longFile,
    JSON.stringify({
      ...experiment,
      name: 'wine-mlp',
      training: { ...experiment.training, epochs: 100_000 },
    }),
  );
  const project = join(root, name);
  assert.equal(modelLab('export', 'pytorch', longFile, '--out', project).status, 0);
  return project;
}
