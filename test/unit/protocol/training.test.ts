import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DynamicsRecord } from '../../../src/contract/dynamicsRecord';
import {
  isHostToTrainer,
  isStartTraining,
  isTrainerEvent,
  isTrainerOutcome,
  type TrainerEvent,
} from '../../../src/protocol/training';

const start = {
  type: 'start',
  experimentFile: '/w/a.experiment.json',
  experiment: { name: 'a', training: { epochs: 1 } },
  runDir: '/w/run',
  device: 'cpu',
};

test('start and stop pass the host-to-trainer guard; optional fields are checked when present', () => {
  assert.equal(isStartTraining(start), true);
  assert.equal(isStartTraining({ ...start, resumeFrom: '/w/old', maxSteps: 10 }), true);
  assert.equal(isHostToTrainer({ type: 'stop' }), true);
  assert.equal(isStartTraining({ ...start, device: 'tpu' }), false);
  assert.equal(isStartTraining({ ...start, maxSteps: '10' }), false);
  assert.equal(isStartTraining({ ...start, threads: 3 }), true);
  assert.equal(isStartTraining({ ...start, threads: 0 }), false, 'a run computes on at least one thread');
  assert.equal(isStartTraining({ ...start, threads: 1.5 }), false);
  assert.equal(isStartTraining({ ...start, threads: 'auto' }), false, 'the host resolves the setting');
  assert.equal(isStartTraining({ ...start, spinWait: true }), true);
  assert.equal(isStartTraining({ ...start, spinWait: 'yes' }), false);
  assert.equal(isStartTraining({ ...start, runDir: undefined }), false);
  assert.equal(
    isStartTraining({ ...start, experiment: undefined }),
    false,
    'the validated experiment travels',
  );
  assert.equal(isStartTraining({ ...start, experiment: { name: 'a' } }), false);
  assert.equal(isHostToTrainer({ type: 'engineCheck/run' }), false);
});

function dynamicsRecord(): DynamicsRecord {
  const bands = [-2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2];
  return {
    step: 50,
    epoch: 1.2,
    time: 3,
    gradNorm: 2,
    clippedGradNorm: 1,
    params: [
      {
        name: 'layer0.dense.weight',
        gradNorm: 2,
        clippedGradNorm: 1,
        weightNorm: 4,
        updateNorm: 0.004,
        weights: bands,
        grads: bands,
      },
    ],
  };
}

const events: TrainerEvent[] = [
  { type: 'reading', done: 3, total: 2000 },
  {
    type: 'started',
    device: { requested: 'auto', chosen: 'cpu', message: 'no GPU found' },
    parameterCount: 10,
    epochs: 2,
    stepsPerEpoch: 5,
    totalSteps: 10,
    startStep: 0,
    batchSize: 4,
  },
  {
    type: 'metrics',
    records: [{ step: 1, epoch: 0.1, time: 0.5, split: 'train', name: 'loss', value: 2.3 }],
  },
  { type: 'log', level: 'warning', message: 'careful' },
  {
    type: 'attention',
    snapshot: { step: 5, tokens: ['a'], layers: [{ layer: 0, heads: 1, length: 1, probs: [1] }] },
  },
  { type: 'dynamics', record: dynamicsRecord() },
  { type: 'checkpoint', kind: 'best', step: 5, dir: '/w/run/checkpoints/best' },
  { type: 'eval', report: { split: 'test', count: 3, loss: 0.4, accuracy: 1 } },
  { type: 'model', path: '/w/run/model.onnx' },
  { type: 'finished', status: 'completed', reason: 'done', step: 10, epoch: 2 },
  { type: 'failed', error: 'it broke', detail: 'stack' },
];

test('every event the trainer sends passes the event guard', () => {
  for (const event of events) assert.equal(isTrainerEvent(event), true, event.type);
});

test('an event with a field missing or of the wrong type is rejected', () => {
  for (const event of events) {
    for (const key of Object.keys(event).filter((k) => k !== 'type' && k !== 'detail')) {
      const broken: Record<string, unknown> = { ...event, [key]: Symbol('wrong') };
      assert.equal(isTrainerEvent(broken), false, `${event.type}.${key}`);
    }
  }
});

test('metric records that JSON turned NaN into null are rejected', () => {
  const record = { step: 1, epoch: 0.1, time: 0.5, split: 'train', name: 'loss', value: null };
  assert.equal(isTrainerEvent({ type: 'metrics', records: [record] }), false);
});

test('a reading event counts images within their total', () => {
  assert.equal(isTrainerEvent({ type: 'reading', done: 0, total: 0 }), true);
  assert.equal(isTrainerEvent({ type: 'reading', done: 5, total: 4 }), false);
  assert.equal(isTrainerEvent({ type: 'reading', done: -1, total: 4 }), false);
  assert.equal(isTrainerEvent({ type: 'reading', done: 1, total: null }), false);
});

test('only finished and failed end a run', () => {
  assert.deepEqual(
    events.filter(isTrainerOutcome).map((event) => event.type),
    ['finished', 'failed'],
  );
});

test('a dynamics record whose figures are not all there, or not finite, is rejected', () => {
  const record = dynamicsRecord();
  const param = record.params[0];
  const broken = [
    { ...record, gradNorm: null },
    { ...record, params: [{ ...param, updateNorm: Infinity }] },
    { ...record, params: [{ ...param, weights: param.weights.slice(1) }] },
    { ...record, params: [{ ...param, grads: [...param.grads.slice(1), NaN] }] },
    { ...record, params: [{ ...param, name: 3 }] },
  ];
  for (const candidate of broken)
    assert.equal(isTrainerEvent({ type: 'dynamics', record: candidate }), false);
});
