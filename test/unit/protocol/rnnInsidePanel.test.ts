// The LSTM/GRU inside view's channel: the webview may only ask for a test example's or a typed
// text's view (never open a run folder), and the host relays only what the view draws, each
// checked before it is drawn.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isOpenRnnInsideMessage } from '../../../src/protocol/metricsPanel';
import { isPanelRun } from '../../../src/protocol/panelRuns';
import { RNN_INSIDE } from '../../../src/protocol/rnnInsidePanel';

const { isRequest: isRnnInsideRequest, isHostToWebview: isHostToRnnInside } = RNN_INSIDE;

const series = (names: string[], steps: number, units: number) =>
  names.map((name) => ({ name, values: new Array<number>(steps * units).fill(0.25) }));
const view = {
  checkpoint: 'best',
  step: 60,
  example: 3,
  testExamples: 80,
  acceptsText: true,
  steps: ['', '', 'a', 'n', 'n', 'a'],
  label: 'female',
  classes: ['female', 'male'],
  probabilities: [0.9, 0.1],
  attribution: [0, 0, 0.01, 0.02, 0.03, 0.4],
  layers: [
    {
      layer: 1,
      type: 'lstm',
      steps: 6,
      units: 4,
      series: series(['hidden', 'cell', 'input', 'forget', 'output'], 6, 4),
    },
    { layer: 2, type: 'gru', steps: 6, units: 3, series: series(['hidden', 'update', 'reset'], 6, 3) },
  ],
};
const reply = (v: unknown) => ({ type: 'playground/recurrentView', id: 2, view: v });

test('the webview asks for a test example by a whole index or for typed text, one of the two; opening a run is the host’s', () => {
  assert.ok(isRnnInsideRequest({ type: 'playground/recurrent', id: 1, example: 0 }));
  assert.ok(isRnnInsideRequest({ type: 'playground/recurrent', id: 1, text: 'anna' }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/recurrent', id: 1 }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/recurrent', id: 1, example: 0, text: 'anna' }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/recurrent', id: 1, example: -1 }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/recurrent', id: 1, example: 2.5 }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/recurrent', id: 1, text: 'a'.repeat(201) }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/open', runDir: '/etc' }));
  assert.ok(!isRnnInsideRequest({ type: 'playground/classifyText', id: 1, text: 'anna' }));
});

test('the host sends the run, the loaded checkpoint, views and failures; nothing else reaches the view', () => {
  const run = { runDir: '/w/.modellab/runs/names/run-1', label: 'names / run-1', status: 'completed' };
  assert.ok(isHostToRnnInside({ type: 'rnnInside/run', run }));
  const info = {
    kind: 'characters',
    inputShape: [6],
    labels: ['female', 'male'],
    checkpoint: 'last',
    step: 4,
    digits: false,
  };
  assert.ok(isHostToRnnInside({ type: 'playground/ready', info }));
  assert.ok(isHostToRnnInside(reply(view)));
  assert.ok(isHostToRnnInside({ type: 'playground/failure', id: 2, message: 'no such example' }));
  assert.ok(!isHostToRnnInside({ type: 'playground/probabilities', id: 2, probabilities: [1], ms: 1 }));
  assert.ok(!isHostToRnnInside({ type: 'playground/token', id: 2, text: 'a' }));
});

test('a view whose series do not fill steps × units, name a gate its layer lacks, or whose attribution misses steps is dropped', () => {
  const [lstm, gru] = view.layers;
  const short = { ...lstm, series: [{ name: 'hidden', values: [1, 2, 3] }] };
  assert.ok(!isHostToRnnInside(reply({ ...view, layers: [short, gru] })));
  const lstmGateOnGru = { ...gru, series: series(['hidden', 'forget'], 6, 3) };
  assert.ok(!isHostToRnnInside(reply({ ...view, layers: [lstm, lstmGateOnGru] })));
  assert.ok(!isHostToRnnInside(reply({ ...view, layers: [{ ...lstm, type: 'rnn' }] })));
  assert.ok(!isHostToRnnInside(reply({ ...view, attribution: [0, 0.4] })));
  assert.ok(!isHostToRnnInside(reply({ ...view, steps: [1, 2, 3, 4, 5, 6] })));
  assert.ok(!isHostToRnnInside(reply({ ...view, checkpoint: 'latest' })));
});

test('a panel run says whether the LSTM/GRU inside view applies, and the metrics panel may ask to open it', () => {
  const run = { runDir: '/r', label: 'names / 1', status: 'completed' };
  const opens = { evaluation: true, attention: false, cnn: false, rnn: true };
  assert.ok(isPanelRun({ ...run, opens }));
  assert.ok(!isPanelRun({ ...run, opens: { ...opens, rnn: 'yes' } }));
  assert.ok(!isPanelRun({ ...run, opens: { evaluation: true, attention: false, cnn: false } }));
  assert.ok(isOpenRnnInsideMessage({ type: 'openRnnInside', runDir: '/r' }));
  assert.ok(!isOpenRnnInsideMessage({ type: 'openRnnInside' }));
  assert.ok(!isOpenRnnInsideMessage({ type: 'openCnnInside', runDir: '/r' }));
});
