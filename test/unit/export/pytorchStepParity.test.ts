/**
 * Step-by-step parity of the exported CNN with the engine. Over a whole trajectory the two drift
 * apart (the CNN in file order: 3·10⁻⁶ in loss for 19 steps, 1.1·10⁻³ by step 47) while
 * PyTorch's own float32 and float64 runs stay within 4·10⁻⁷ of each other. That is float
 * rounding amplified, not another computation; measured against float64 at step 1:
 * - both sides' gradients are float32-accurate to the same degree (RMS error 4.7·10⁻⁹ in the
 *   engine, 5.8·10⁻⁹ in PyTorch for the second convolution's weights); the elements near zero
 *   differ most (1.2·10⁻⁹ in the engine, 1.8·10⁻¹⁰ in PyTorch: another summation order);
 * - Adam divides by √v̂ + ε: on its first step m̂/(√v̂ + ε) = g/(|g| + ε), so a rounding δg of
 *   a gradient near ε = 10⁻⁸ moves the weight by up to lr·δg/(4ε) (≤ 10⁻⁴ for δg ≤ 2·10⁻⁹);
 * - later steps amplify that where a ReLU unit changes sides (a dense unit at step 14 of the
 *   shuffled run: 10⁻⁵ in its weights becomes 2·10⁻⁴ in one step).
 * So this test starts PyTorch from the engine's own state before every step and checks what one
 * step computes: the gradients, through Adam's moments (m, v), to float32 rounding, and the
 * weights to the bound above. Another dropout mask, pooling route or loss changes gradients by
 * orders more; a wrong update rule (ε inside the root, no bias correction) moves weights by ~lr.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { exportPytorchProject } from '../../../src/export/pytorch/exportProject';
import { createRng } from '../../../src/data/rng';
import { saveCheckpoint } from '../../../src/runs/checkpoints';
import { learningRateAt } from '../../../src/trainer/schedules';
import { compileOptionsFor, epochSeed } from '../../../src/trainer/trainer';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { readValidExperiment, requireTorch, runPython } from '../../fixtures/pytorch';

const STEPS = 40;
/** Largest difference of Adam's moments after one step: float32 rounding of the gradients. */
const MOMENTS = 1e-7;
/** Largest weight difference after one step: lr·δg/(4ε), gradient rounding through Adam (above). */
const WEIGHTS = 1e-4;
const root = mkdtempSync(join(tmpdir(), 'modellab-step-parity-'));
after(() => rmSync(root, { recursive: true, force: true }));

test(`one PyTorch step from each of the engine's first ${STEPS} states of the CNN (file order) computes the engine's next state: moments within ${MOMENTS}, weights within ${WEIGHTS}`, async (t) => {
  if (!requireTorch(t)) return;
  const template = resolve(__dirname, '../../../templates/cnn-digits/digits-cnn.experiment.json');
  const experimentFile = join(root, 'digits-cnn.experiment.json');
  const original = JSON.parse(readFileSync(template, 'utf8'));
  writeFileSync(experimentFile, JSON.stringify({ ...original, data: { ...original.data, shuffle: false } }));
  const project = join(root, 'project');
  await exportPytorchProject({ experimentFile, outDir: project });

  // The engine's states 0…STEPS, one step at a time, on the first epoch's batches in file order.
  const deps = createTrainerDeps();
  const experiment = await readValidExperiment(experimentFile, deps.loadDataset);
  const dataset = await deps.loadDataset(experiment, root);
  const model = await deps.compileModel(compileOptionsFor(experiment, dataset, 'cpu', root));
  const { training } = experiment;
  const batches = [
    ...dataset.batches('train', training.batchSize, createRng(epochSeed(training.seed, 0)), {
      shuffle: false,
    }),
  ].slice(0, STEPS);
  assert.equal(batches.length, STEPS);
  const states = join(root, 'engine');
  const save = async (step: number) =>
    saveCheckpoint(join(states, String(step)), 'last', {
      state: await model.getState(),
      position: { step, epoch: 0, batchInEpoch: step, validationsWithoutImprovement: 0 },
    });
  for (const [step, batch] of batches.entries()) {
    await save(step);
    const rate = learningRateAt(training.optimizer.learningRate, training.schedule, step, STEPS);
    await model.train([batch], [rate]);
  }
  await save(STEPS);
  await model.dispose();

  const python = runPython(project, [
    resolve(__dirname, '../../fixtures/pytorchOneStep.py'),
    project,
    states,
    String(STEPS),
  ]);
  assert.equal(python.status, 0, python.stderr);
  const gaps = python.stdout
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as {
          step: number;
          weights: number;
          tensor: string;
          moments: number;
          moment: string;
        },
    );
  assert.deepEqual(
    gaps.map((gap) => gap.step),
    Array.from({ length: STEPS }, (_, i) => i + 1),
  );
  const largest = (key: 'weights' | 'moments') => gaps.reduce((a, b) => (b[key] > a[key] ? b : a));
  const [weights, moments] = [largest('weights'), largest('moments')];
  const median = [...gaps].sort((a, b) => a.weights - b.weights)[Math.floor(STEPS / 2)].weights;
  t.diagnostic(
    `after one step: moments differ by at most ${moments.moments.toExponential(2)} (step ${moments.step}, ${moments.moment}); weights by at most ${weights.weights.toExponential(2)} (step ${weights.step}, ${weights.tensor}), median over steps ${median.toExponential(2)}`,
  );
  assert.ok(moments.moments <= MOMENTS, JSON.stringify(moments));
  assert.ok(weights.weights <= WEIGHTS, JSON.stringify(weights));
});
