/**
 * Parity of the exported PyTorch project with the engine: from the same initial weights
 * (--init-from a step-0 checkpoint of the engine's own initialisation) and the same batches
 * (data.py replays Model Lab's seeded order), the loss of each of 50 steps matches.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { exportPytorchProject } from '../../../src/export/pytorch/exportProject';
import { saveCheckpoint } from '../../../src/runs/checkpoints';
import { listRuns, readMetrics } from '../../../src/runs/runReader';
import { compileOptionsFor, runTraining } from '../../../src/trainer/trainer';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { readValidExperiment, requireTorch, trainExported } from '../../fixtures/pytorch';

const STEPS = 50;
const TOLERANCE = 1e-4;
const root = mkdtempSync(join(tmpdir(), 'modellab-parity-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * The templates; the Transformer's validation and test stretches are cut to 1 % each, since
 * evaluating 5 % of Tiny Shakespeare twice per side would cost more than the 50 steps. The LSTM
 * also trains with "shuffle": false (batches in file order on both sides).
 */
const templates: Record<
  string,
  { file: string; splits?: Record<'train' | 'validation' | 'test', number>; shuffle?: false }
> = {
  cnn: { file: 'cnn-digits/digits-cnn.experiment.json' },
  'lstm in file order': { file: 'lstm-names/names-lstm.experiment.json', shuffle: false },
  lstm: { file: 'lstm-names/names-lstm.experiment.json' },
  transformer: {
    file: 'transformer-shakespeare/shakespeare-transformer.experiment.json',
    splits: { train: 0.98, validation: 0.01, test: 0.01 },
  },
};

/** The template's experiment file, or a copy with other splits (built-in data resolves anywhere). */
function experimentFileFor(kind: string, work: string): string {
  const { file, splits, shuffle } = templates[kind];
  const original = resolve(__dirname, '../../../templates', file);
  if (!splits && shuffle === undefined) return original;
  const experiment = JSON.parse(readFileSync(original, 'utf8'));
  if (splits) experiment.data.splits = splits;
  if (shuffle !== undefined) experiment.data.shuffle = shuffle;
  const copy = join(work, basename(original));
  writeFileSync(copy, JSON.stringify(experiment, null, 2));
  return copy;
}

/** The engine's 50 training losses, and a checkpoint of its weights before the first step. */
async function engineLosses(
  experimentFile: string,
  work: string,
): Promise<{ losses: number[]; initRun: string; name: string }> {
  const deps = createTrainerDeps();
  const experiment = await readValidExperiment(experimentFile, deps.loadDataset);
  const dataset = await deps.loadDataset(experiment, resolve(experimentFile, '..'));
  const model = await deps.compileModel(
    compileOptionsFor(experiment, dataset, 'cpu', resolve(experimentFile, '..')),
  );
  const initRun = join(work, 'init');
  saveCheckpoint(initRun, 'last', {
    state: await model.getState(),
    position: { step: 0, epoch: 0, batchInEpoch: 0, validationsWithoutImprovement: 0 },
  });
  await model.dispose();
  const losses: number[] = [];
  const outcome = await runTraining(
    {
      type: 'start',
      experimentFile,
      experiment,
      runDir: join(work, 'engine'),
      device: 'cpu',
      maxSteps: STEPS,
    },
    deps,
    {
      emit: (event) => {
        if (event.type !== 'metrics') return;
        for (const r of event.records) if (r.split === 'train' && r.name === 'loss') losses.push(r.value);
      },
      stopRequested: () => false,
    },
  );
  assert.equal(outcome.type, 'finished', JSON.stringify(outcome));
  return { losses, initRun, name: experiment.name };
}

for (const kind of Object.keys(templates)) {
  test(`the exported ${kind} project's losses match the engine's over ${STEPS} steps within ${TOLERANCE}`, async (t) => {
    if (!requireTorch(t)) return;
    const work = join(root, kind.replace(/ /g, '-'));
    mkdirSync(work, { recursive: true });
    const experimentFile = experimentFileFor(kind, work);
    const project = join(work, 'project');
    await exportPytorchProject({ experimentFile, outDir: project });
    const engine = await engineLosses(experimentFile, work);
    assert.equal(engine.losses.length, STEPS);

    const runsDir = join(work, 'runs');
    const python = trainExported(project, {
      maxSteps: STEPS,
      runsDir,
      more: ['--init-from', engine.initRun],
    });
    assert.equal(python.status, 0, python.stderr);
    const runs = listRuns(runsDir, engine.name);
    assert.equal(runs.length, 1);
    const losses = readMetrics(runs[0].dir)
      .filter((r) => r.split === 'train' && r.name === 'loss')
      .map((r) => r.value);
    assert.equal(losses.length, STEPS);
    const gaps = losses.map((loss, i) => Math.abs(loss - engine.losses[i]));
    const worst = Math.max(...gaps);
    t.diagnostic(
      `${kind}: largest loss difference over ${STEPS} steps ${worst.toExponential(2)} (first loss ${engine.losses[0].toFixed(5)}, last ${engine.losses[STEPS - 1].toFixed(5)})`,
    );
    assert.ok(
      worst <= TOLERANCE,
      `step ${gaps.indexOf(worst) + 1}: engine ${engine.losses[gaps.indexOf(worst)]}, PyTorch ${losses[gaps.indexOf(worst)]}`,
    );
  });
}
