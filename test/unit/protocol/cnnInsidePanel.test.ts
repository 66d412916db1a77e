// The CNN inside view's channel: the webview may only ask for a test example's maps (never open
// a run folder), and the host relays only what the view draws, each checked before it is drawn.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CNN_INSIDE } from '../../../src/protocol/cnnInsidePanel';

const { isRequest: isCnnInsideRequest, isHostToWebview: isHostToCnnInside } = CNN_INSIDE;
import { isPanelRun } from '../../../src/protocol/panelRuns';

const run = {
  runDir: '/w/.modellab/runs/cnn/run-1',
  label: 'cnn / run-1',
  status: 'completed',
  opens: { evaluation: true, attention: false, cnn: true, rnn: false },
};
const stack = (channels: number, height: number, width: number) => ({
  channels,
  height,
  width,
  values: new Array<number>(channels * height * width).fill(0.5),
});
const view = {
  checkpoint: 'best',
  step: 40,
  example: 3,
  testExamples: 180,
  label: '7',
  prediction: { label: '1', probability: 0.61 },
  input: stack(1, 8, 8),
  filters: stack(4, 3, 3),
  layers: [{ ...stack(4, 8, 8), layer: 0 }],
};

test('the webview asks for one test example by a whole, non-negative index; opening a run is the host’s', () => {
  assert.ok(isCnnInsideRequest({ type: 'playground/featureMaps', id: 1, example: 0 }));
  assert.ok(!isCnnInsideRequest({ type: 'playground/featureMaps', id: 1, example: -1 }));
  assert.ok(!isCnnInsideRequest({ type: 'playground/featureMaps', id: 1, example: 2.5 }));
  assert.ok(!isCnnInsideRequest({ type: 'playground/featureMaps', id: 1 }));
  assert.ok(!isCnnInsideRequest({ type: 'playground/open', runDir: '/etc' }));
  assert.ok(!isCnnInsideRequest({ type: 'playground/classify', id: 1, input: [0] }));
});

test('the host sends the run, the loaded checkpoint, views and failures; nothing else reaches the view', () => {
  assert.ok(isHostToCnnInside({ type: 'cnnInside/run', run }));
  assert.ok(!isHostToCnnInside({ type: 'cnnInside/run', run: { ...run, opens: { evaluation: true } } }));
  const info = {
    kind: 'image',
    inputShape: [1, 8, 8],
    labels: ['0', '1'],
    checkpoint: 'last',
    step: 4,
    digits: true,
  };
  assert.ok(isHostToCnnInside({ type: 'playground/ready', info }));
  assert.ok(isHostToCnnInside({ type: 'playground/featureMapView', id: 2, view }));
  assert.ok(isHostToCnnInside({ type: 'playground/failure', id: 2, message: 'no such example' }));
  assert.ok(!isHostToCnnInside({ type: 'playground/probabilities', id: 2, probabilities: [1], ms: 1 }));
  assert.ok(!isHostToCnnInside({ type: 'playground/token', id: 2, text: 'a' }));
});

test('a view whose values do not fill its shape, or with a probability out of range, is dropped', () => {
  const short = { ...view, layers: [{ ...stack(4, 8, 8), layer: 0, values: [1, 2, 3] }] };
  assert.ok(!isHostToCnnInside({ type: 'playground/featureMapView', id: 2, view: short }));
  const badFilters = { ...view, filters: { ...stack(4, 3, 3), height: 0 } };
  assert.ok(!isHostToCnnInside({ type: 'playground/featureMapView', id: 2, view: badFilters }));
  const badPrediction = { ...view, prediction: { label: '1', probability: 1.5 } };
  assert.ok(!isHostToCnnInside({ type: 'playground/featureMapView', id: 2, view: badPrediction }));
  const noLabel = { ...view, prediction: { probability: 0.5 } };
  assert.ok(!isHostToCnnInside({ type: 'playground/featureMapView', id: 2, view: noLabel }));
});

test('a panel run says whether the CNN inside view applies (the metrics panel offers Look Inside by it)', () => {
  assert.ok(isPanelRun(run));
  assert.ok(!isPanelRun({ ...run, opens: { evaluation: true, attention: false, cnn: 'yes' } }));
});
