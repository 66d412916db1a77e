/**
 * Benchmark (not a test): what recording training dynamics costs, per template experiment.
 * The trainer ends a chunk of fused steps at each recorded step and runs that chunk through
 * the dynamics graph (trainWithDynamics: the same updates, plus the statistics of its last
 * step); every other chunk runs as it would without recording. So the cost of recording every
 * N steps is the extra time of one such chunk over the plain chunk of the same length, spread
 * over N steps. Each template model times the two chunk kinds in alternating pairs, so load
 * changes on a shared machine hit both, and compares medians.
 *
 *   npm run bench:dynamics                      # every template experiment, N = 50
 *   npm run bench:dynamics -- lstm              # experiment files whose name contains 'lstm'
 *   BENCH_EVERY=10 BENCH_ROUNDS=61 npm run bench:dynamics
 *
 * Columns: ms per plain step, the extra ms of a recorded chunk, and that extra as a share of
 * the training time of N steps. A template sets `training.dynamics` only where that share stays
 * at or under 5 %.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, type Batch, type CompileOptions, type TrainableModel } from '../src/engine';
import { Rng } from '../src/engine/init';
import { templateCompileOptions, type TemplateExperiment } from './templateOptions';

const EVERY = Number(process.env.BENCH_EVERY ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const filter = process.argv[2] ?? '';

function templateExperiments(): { file: string; experiment: TemplateExperiment }[] {
  return readdirSync('templates', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join('templates', entry.name))
        .filter((name) => name.endsWith('.experiment.json') && name.includes(filter))
        .map((name) => join('templates', entry.name, name)),
    )
    .map((file) => ({ file, experiment: JSON.parse(readFileSync(file, 'utf8')) as TemplateExperiment }));
}

/** Random inputs and targets of the right shapes and kinds (speed does not depend on the values). */
function randomBatch(o: CompileOptions, model: TrainableModel): Batch {
  const rng = new Rng(3);
  const size = (shape: number[]) => shape.reduce((a, d) => a * d, 1);
  const first = o.model.layers[0];
  const inputs = o.batchSize * size(o.model.inputShape);
  const x =
    first?.type === 'embedding'
      ? BigInt64Array.from({ length: inputs }, () => BigInt(Math.floor(rng.uniform() * first.vocabSize)))
      : Float32Array.from({ length: inputs }, () => rng.normal());
  const output = [o.batchSize, ...model.outputShape];
  if (o.loss !== 'cross-entropy')
    return { x, y: Float32Array.from({ length: size(output) }, () => rng.normal()) };
  const classes = output[output.length - 1];
  const y = BigInt64Array.from({ length: size(output.slice(0, -1)) }, () =>
    BigInt(Math.floor(rng.uniform() * classes)),
  );
  return { x, y };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function benchmark(file: string, e: TemplateExperiment): Promise<void> {
  const o = templateCompileOptions(e);
  const model = await compileModel(o);
  const batch = randomBatch(o, model);
  const lr = o.optimizer.learningRate;
  // The trainer ends a chunk at each recorded step and runs that chunk through the dynamics
  // graph; every other chunk of the N steps runs as it would without recording.
  const fused = Math.max(1, o.fusedSteps ?? 1);
  const chunk = Array.from({ length: EVERY % fused || fused }, () => batch);
  const rates = chunk.map(() => lr);
  const plainChunk = () => model.train(chunk, rates);
  const recordedChunk = () => model.trainWithDynamics(chunk, rates);
  // Warm-up: opens the fused and the dynamics sessions.
  for (let i = 0; i < 3; i++) {
    await plainChunk();
    await recordedChunk();
  }
  const plainMs: number[] = [];
  const recordedMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Back to back in alternating order, so load changes on a shared machine hit both.
    const both = [
      async () => plainMs.push(await timed(plainChunk)),
      async () => recordedMs.push(await timed(recordedChunk)),
    ];
    for (const run of r % 2 === 0 ? both : both.reverse()) await run();
  }
  await model.dispose();
  const perStep = median(plainMs) / chunk.length;
  const extra = median(recordedMs) - median(plainMs);
  const cost = extra / (EVERY * perStep);
  console.log(
    [
      file.padEnd(74),
      `${perStep.toFixed(2).padStart(8)} ms/step`,
      `${extra.toFixed(2).padStart(7)} ms extra per record`,
      `${(cost * 100).toFixed(1).padStart(5)} % every ${EVERY}`,
      cost <= 0.05 ? 'on by default' : 'off by default',
    ].join('  '),
  );
}

async function main(): Promise<void> {
  console.log(
    `Dynamics cost: ${ROUNDS} alternating pairs of chunks, recorded every ${EVERY} steps, CPU, medians.`,
  );
  for (const { file, experiment } of templateExperiments()) await benchmark(file, experiment);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
