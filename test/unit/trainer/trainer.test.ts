import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Experiment } from '../../../src/contract/experiment';
import type { CompileOptions } from '../../../src/engine';
import type { StartTraining, TrainerEvent, TrainingMetrics } from '../../../src/protocol/training';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { RUN_FILES } from '../../../src/runs/runFiles';
import type { StepPace } from '../../../src/trainer/stepPacing';
import { runTraining } from '../../../src/trainer/trainer';
import { experimentFixture } from '../../fixtures/runInfo';
import {
  fakeDeps,
  FakeModel,
  numberedExamples,
  type FakeDataOptions,
  type FakeScript,
} from '../../fixtures/fakeTraining';

const root = mkdtempSync(join(tmpdir(), 'modellab-trainer-'));
after(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

/** 12 training examples in batches of 4: 3 steps per epoch. Test split: a known confusion. */
const data: FakeDataOptions = {
  train: numberedExamples(12),
  validation: [
    { predicted: 0, label: 0 },
    { predicted: 1, label: 1 },
  ],
  test: [
    { predicted: 0, label: 0 },
    { predicted: 1, label: 0 },
    { predicted: 1, label: 1 },
    { predicted: 2, label: 2 },
    { predicted: 0, label: 2 },
  ],
};

function experiment(training: Partial<Experiment['training']> = {}): Experiment {
  const base = experimentFixture();
  return { ...base, training: { ...base.training, ...training } };
}

interface Trained {
  events: TrainerEvent[];
  model: FakeModel;
  runDir: string;
}

async function train(
  config: Experiment,
  options: {
    script?: FakeScript;
    request?: Partial<StartTraining>;
    stopWhen?: (model: FakeModel) => boolean;
    paceSteps?: StepPace;
    data?: FakeDataOptions;
  } = {},
): Promise<Trained> {
  const model = new FakeModel(options.script);
  const runDir = join(root, `run-${runs++}`);
  const events: TrainerEvent[] = [];
  await runTraining(
    {
      type: 'start',
      experimentFile: join(root, 'x.experiment.json'),
      experiment: config,
      runDir,
      device: 'cpu',
      ...options.request,
    },
    fakeDeps(model, options.data ?? data),
    {
      emit: (event) => events.push(event),
      stopRequested: () => options.stopWhen?.(model) ?? false,
      paceSteps: options.paceSteps,
    },
  );
  return { events, model, runDir };
}

const metricsOf = (events: TrainerEvent[], split: string, name: string): [number, number][] =>
  events
    .filter((e): e is TrainingMetrics => e.type === 'metrics')
    .flatMap((e) => e.records)
    .filter((r) => r.split === split && r.name === name)
    .map((r) => [r.step, r.epoch]);

test('a complete run: started first, per-step losses, validation each epoch, test evaluation, model, finished last', async () => {
  const { events, model, runDir } = await train(experiment());
  assert.equal(events[0].type, 'started');
  assert.deepEqual(events.at(-1), {
    type: 'finished',
    status: 'completed',
    reason: 'Training finished after 6 steps.',
    step: 6,
    epoch: 2,
  });
  assert.deepEqual(
    metricsOf(events, 'train', 'loss').map(([step]) => step),
    [1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(metricsOf(events, 'validation', 'loss'), [
    [3, 1],
    [6, 2],
  ]);
  assert.deepEqual(
    metricsOf(events, 'train', 'accuracy').map(([step]) => step),
    [3, 6],
    'train accuracy at each validation',
  );
  const report = events.find((e) => e.type === 'eval');
  assert.ok(report?.type === 'eval');
  assert.equal(report.report.accuracy, 3 / 5);
  assert.deepEqual(report.report.confusion, [
    [1, 1, 0],
    [0, 1, 0],
    [1, 0, 1],
  ]);
  assert.deepEqual(
    report.report.classes?.map((c) => [c.label, c.precision, c.recall]),
    [
      ['a', 0.5, 0.5],
      ['b', 0.5, 1],
      ['c', 1, 0.5],
    ],
  );
  assert.ok(existsSync(join(runDir, RUN_FILES.model)));
  assert.equal(loadCheckpoint(runDir, 'last').position.step, 6);
  assert.equal(model.disposed, true);
});

test('train accuracy is scored at each validation on as many training examples as validation has', async () => {
  // Three of the twelve training examples are predicted wrong. Validation holds twelve examples,
  // so the sample is the whole training split, whatever its order.
  const examples = Array.from({ length: 12 }, (_, i) => ({
    predicted: i % 3,
    label: i % 4 === 3 ? (i + 1) % 3 : i % 3,
  }));
  const { events } = await train(experiment(), { data: { ...data, train: examples, validation: examples } });
  const trainAccuracy = events
    .flatMap((e) => (e.type === 'metrics' ? e.records : []))
    .filter((r) => r.split === 'train' && r.name === 'accuracy');
  assert.deepEqual(
    trainAccuracy.map((r) => [r.step, r.value]),
    [
      [3, 0.75],
      [6, 0.75],
    ],
  );
});

test('the learning-rate schedule is fed per step', async () => {
  const { model } = await train(experiment({ schedule: { type: 'step', stepSize: 2, gamma: 0.5 } }));
  assert.deepEqual(model.learningRates, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
});

test('each epoch is shuffled differently, the same way for the same seed', async () => {
  const first = await train(experiment());
  const again = await train(experiment());
  assert.deepEqual(first.model.seenBatches, again.model.seenBatches);
  assert.notDeepEqual(first.model.seenBatches.slice(0, 3), first.model.seenBatches.slice(3, 6));
  const seen = first.model.seenBatches
    .slice(0, 3)
    .flat()
    .sort((a, b) => a - b);
  assert.deepEqual(seen, [...Array(12).keys()]);
});

test('a stop requested during a step ends the run after that step, with a checkpoint and a model', async () => {
  let stopAsked = false;
  const { events, runDir } = await train(experiment({ checkpoint: { everySteps: 100 } }), {
    script: { afterStep: (step) => (stopAsked ||= step === 2) },
    stopWhen: () => stopAsked,
  });
  const outcome = events.at(-1);
  assert.ok(outcome?.type === 'finished');
  assert.equal(outcome.status, 'stopped');
  assert.equal(outcome.step, 2);
  assert.equal(loadCheckpoint(runDir, 'last').position.step, 2);
  assert.ok(existsSync(join(runDir, RUN_FILES.model)));
  assert.equal(
    events.some((e) => e.type === 'eval'),
    false,
  );
});

test('with fused steps, a stop lands at the end of the running chunk', async () => {
  let stopAsked = false;
  const { events } = await train(experiment({ fusedSteps: 2, epochs: 4 }), {
    script: { afterStep: (step) => (stopAsked ||= step === 1) },
    stopWhen: () => stopAsked,
  });
  // Steps 1 and 2 run in one runtime call; the stop is read after it.
  assert.equal((events.at(-1) as { step: number }).step, 2);
});

test('the step pace is awaited after each chunk with its step count, and a stop asked meanwhile lands there', async () => {
  const paced: number[] = [];
  const { events, model } = await train(experiment({ fusedSteps: 2, epochs: 4 }), {
    paceSteps: async (steps) => {
      paced.push(steps);
    },
    stopWhen: () => paced.length === 3,
  });
  // 3 steps an epoch in chunks of at most 2: the epoch's end cuts the second chunk short.
  assert.deepEqual(paced, [2, 1, 2]);
  assert.equal(model.steps, 5);
  assert.equal((events.at(-1) as { status: string }).status, 'stopped');
});

test('a NaN loss stops the run with a clear message and keeps the last good checkpoint', async () => {
  const { events, runDir } = await train(experiment({ checkpoint: { everySteps: 2 } }), {
    script: { trainLoss: (step) => (step === 5 ? NaN : 1) },
  });
  assert.deepEqual(events.at(-1), {
    type: 'failed',
    error:
      'The training loss became NaN at step 5; training stopped. The last good checkpoint (step 4) is kept. ' +
      'Try a lower training.optimizer.learningRate or set training.clipNorm.',
  });
  assert.deepEqual(
    metricsOf(events, 'train', 'loss').map(([step]) => step),
    [1, 2, 3, 4],
  );
  assert.equal(loadCheckpoint(runDir, 'last').position.step, 4);
  assert.equal(existsSync(join(runDir, RUN_FILES.model)), false);
});

test('resume continues from the last checkpoint with the batch order of an uninterrupted run', async () => {
  const straight = await train(experiment({ epochs: 3 }));
  const cut = await train(experiment({ epochs: 3 }), { request: { maxSteps: 4 } });
  assert.equal((cut.events.at(-1) as { step: number }).step, 4);
  const resumed = await train(experiment({ epochs: 3 }), { request: { resumeFrom: cut.runDir } });
  const started = resumed.events.find((e) => e.type === 'started');
  assert.ok(started?.type === 'started');
  assert.equal(started.startStep, 4);
  assert.equal((resumed.events.at(-1) as { step: number }).step, 9);
  assert.deepEqual(resumed.model.seenBatches, straight.model.seenBatches.slice(4));
  assert.deepEqual(
    metricsOf(resumed.events, 'train', 'loss').map(([step]) => step),
    [5, 6, 7, 8, 9],
  );
});

test('resuming a run without a checkpoint fails naming the folder', async () => {
  const { events } = await train(experiment(), { request: { resumeFrom: join(root, 'never-ran') } });
  const outcome = events.at(-1);
  assert.ok(outcome?.type === 'failed');
  assert.match(
    outcome.error,
    /^Cannot resume from .*never-ran: No checkpoint was saved in .*never-ran\/checkpoints\/last\./,
  );
});

test('early stopping ends the run after `patience` validations without improvement and evaluates the best model', async () => {
  const { events, model, runDir } = await train(
    experiment({ epochs: 10, earlyStopping: { metric: 'validation/loss', patience: 2 } }),
    { script: { validationLoss: (n) => [0.9, 0.5, 0.6, 0.7, 0.1][n] } },
  );
  const outcome = events.at(-1);
  assert.ok(outcome?.type === 'finished');
  assert.equal(outcome.status, 'completed');
  assert.equal(outcome.step, 12);
  assert.match(
    outcome.reason,
    /^Early stopping at step 12: validation loss did not improve in 2 validations\./,
  );
  assert.equal(loadCheckpoint(runDir, 'best').position.step, 6);
  // The best weights (taken at step 6) were restored before the test evaluation and export.
  assert.equal(model.steps, 6);
});

test('training data that disappears mid-run fails naming the file and keeps the last checkpoint', async () => {
  const { events, runDir } = await train(experiment({ checkpoint: { everySteps: 2 } }), {
    data: { ...data, vanishAfterTrainBatches: 5 },
  });
  const outcome = events.at(-1);
  assert.ok(outcome?.type === 'failed');
  assert.equal(
    outcome.error,
    '/data/fake.csv: the data file or folder does not exist. The last checkpoint (step 4) is kept; resume continues from it.',
  );
  assert.equal(loadCheckpoint(runDir, 'last').position.step, 4);
  // Steps 1–4 trained; the train-accuracy sample at the end of epoch 1 read a training batch too.
  assert.equal(metricsOf(events, 'train', 'loss').length, 4);
});

test('dynamics are recorded every N steps, each the last step of a chunk, without changing the batches', async () => {
  const chunks: number[] = [];
  const config = experiment({ fusedSteps: 4, epochs: 4, dynamics: { everySteps: 5 } });
  const { events, model } = await train(config, { paceSteps: async (steps) => void chunks.push(steps) });
  const recorded = events.flatMap((e) => (e.type === 'dynamics' ? [e.record] : []));
  assert.deepEqual(
    recorded.map((r) => [r.step, r.gradNorm]),
    [
      [5, 5],
      [10, 10],
    ],
  );
  // Epochs of 3 steps, fused by 4; chunks also end at steps 5 and 10.
  assert.deepEqual(chunks, [3, 2, 1, 3, 1, 2]);
  const plain = await train(experiment({ fusedSteps: 4, epochs: 4 }));
  assert.deepEqual(model.seenBatches, plain.model.seenBatches);
  assert.equal(
    events.some(
      (e) => e.type === 'metrics' && e.records.some((r) => r.step === 5 && r.name === 'samples_per_sec'),
    ),
    false,
  );
});

test("the request's threads and spin-wait are what the model is compiled with", async () => {
  for (const request of [{ threads: 3, spinWait: true }, { threads: 1 }, {}]) {
    const model = new FakeModel();
    let compiled: CompileOptions | undefined;
    await runTraining(
      {
        type: 'start',
        experimentFile: join(root, 'x.experiment.json'),
        experiment: experiment(),
        runDir: join(root, `run-${runs++}`),
        device: 'cpu',
        ...request,
      },
      {
        ...fakeDeps(model, data),
        compileModel: async (options) => {
          compiled = options;
          return model;
        },
      },
      { emit: () => undefined, stopRequested: () => false },
    );
    assert.equal(compiled?.threads, request.threads);
    assert.equal(compiled?.spinWait, request.spinWait);
  }
});
