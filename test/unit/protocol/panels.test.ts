// The guards of the panel channels (host <-> metrics, evaluation, attention, engine-check
// webviews): what a webview may ask the host to do is checked before the host acts on it,
// and what the host sends is checked before a webview draws it.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  MAX_PROBE_CHARS,
  isAttentionRunMessage,
  isProbeRequestMessage,
  isRequestSnapshotMessage,
  isSnapshotMessage,
  isStepsMessage,
} from '../../../src/protocol/attentionPanel';
import { isEngineCheckFromWebview, isEngineCheckToWebview } from '../../../src/protocol/engineCheckPanel';
import { isEvalReportMessage } from '../../../src/protocol/evaluationPanel';
import {
  isHostToMetrics,
  isMetricsPanelState,
  isRemoveRunMessage,
  isSaveCsvMessage,
  isSavePngMessage,
} from '../../../src/protocol/metricsPanel';
import { isSingleRunPanelState } from '../../../src/protocol/panelRuns';

const run = { runDir: '/w/.modellab/runs/mlp/run-1', label: 'mlp / run-1', status: 'completed' };
const record = { step: 1, epoch: 0.1, time: 0.2, split: 'train', name: 'loss', value: 1.5 };

test('save requests carry a bare file name: a path cannot steer the save dialog to another folder', () => {
  const csv = { type: 'saveCsv', suggestedName: 'mlp run-1.csv', csv: 'step,loss\n1,1.5\n' };
  assert.ok(isSaveCsvMessage(csv));
  for (const suggestedName of [
    '../../.bashrc',
    '/etc/passwd',
    'runs/a.csv',
    'a\\b.csv',
    '',
    'x'.repeat(121),
  ]) {
    assert.ok(!isSaveCsvMessage({ ...csv, suggestedName }), suggestedName);
  }
  assert.ok(!isSaveCsvMessage({ ...csv, csv: 42 }));
});

test('a PNG save carries a base64 PNG data URL and nothing else', () => {
  const png = { type: 'savePng', suggestedName: 'loss.png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' };
  assert.ok(isSavePngMessage(png));
  assert.ok(!isSavePngMessage({ ...png, dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }));
  assert.ok(!isSavePngMessage({ ...png, dataUrl: 'https://example.com/x.png' }));
  assert.ok(!isSavePngMessage({ ...png, dataUrl: 'data:image/png;base64,AAAA"onerror="x' }));
  assert.ok(!isSavePngMessage({ ...png, suggestedName: '../loss.png' }));
});

test('metrics channel: runs and records are checked down to each record', () => {
  assert.ok(isHostToMetrics({ type: 'runs', runs: [run] }));
  assert.ok(!isHostToMetrics({ type: 'runs', runs: [{ ...run, label: 3 }] }));
  assert.ok(isHostToMetrics({ type: 'eta', runDir: '/r', text: 'ETA 1m 15s' }));
  assert.ok(isHostToMetrics({ type: 'eta', runDir: '/r', text: '' }));
  assert.ok(!isHostToMetrics({ type: 'eta', runDir: '/r', text: 75 }));
  const records = { type: 'records', runDir: run.runDir, records: [record], reset: true };
  assert.ok(isHostToMetrics(records));
  assert.ok(!isHostToMetrics({ ...records, records: [{ ...record, split: 'dev' }] }));
  assert.ok(!isHostToMetrics({ ...records, reset: 'yes' }));
  assert.ok(!isRemoveRunMessage({ type: 'removeRun' }));
});

test('metrics channel: dynamics records are checked down to each tensor', () => {
  const bands = [-1, -0.5, -0.2, -0.1, 0, 0.1, 0.2, 0.5, 1];
  const tensor = {
    name: 'w',
    gradNorm: 1,
    clippedGradNorm: 1,
    weightNorm: 2,
    updateNorm: 0.01,
    weights: bands,
    grads: bands,
  };
  const record = { step: 5, epoch: 0.5, time: 1, gradNorm: 1, clippedGradNorm: 1, params: [tensor] };
  const message = { type: 'dynamics', runDir: run.runDir, records: [record], reset: false };
  assert.ok(isHostToMetrics(message));
  assert.ok(
    !isHostToMetrics({
      ...message,
      records: [{ ...record, params: [{ ...tensor, grads: bands.slice(1) }] }],
    }),
  );
  assert.ok(!isHostToMetrics({ ...message, records: [{ ...record, gradNorm: 'big' }] }));
  assert.ok(!isHostToMetrics({ ...message, runDir: undefined }));
});

test('a restored metrics panel state is used only when every field is valid', () => {
  const state = {
    runDirs: [run.runDir],
    smoothing: 0.6,
    logScale: false,
    xAxis: 'step',
    hidden: ['train/lr'],
  };
  assert.ok(isMetricsPanelState(state));
  assert.ok(!isMetricsPanelState({ ...state, smoothing: 1 }), 'smoothing 1 would flatten every curve');
  assert.ok(!isMetricsPanelState({ ...state, xAxis: 'wall' }));
  assert.ok(!isMetricsPanelState({ ...state, runDirs: [7] }));
  assert.ok(isSingleRunPanelState({ runDir: run.runDir }));
  assert.ok(!isSingleRunPanelState({ runDir: null }));
});

test('evaluation channel: a report is checked in depth, or null with a reason', () => {
  const report = {
    split: 'test',
    count: 4,
    loss: 0.2,
    accuracy: 0.75,
    confusion: [
      [1, 1],
      [0, 2],
    ],
  };
  assert.ok(isEvalReportMessage({ type: 'report', run, report }));
  assert.ok(isEvalReportMessage({ type: 'report', run, report: null, message: 'no eval.json yet' }));
  assert.ok(!isEvalReportMessage({ type: 'report', run, report: { ...report, confusion: [['1']] } }));
  assert.ok(!isEvalReportMessage({ type: 'report', run }));
});

test('attention channel: steps, snapshots, snapshot requests and probe texts', () => {
  assert.ok(
    isAttentionRunMessage({ type: 'run', run, probeAvailable: false, probeUnavailableReason: 'running' }),
  );
  assert.ok(!isAttentionRunMessage({ type: 'run', run, probeAvailable: 'no' }));
  assert.ok(isStepsMessage({ type: 'steps', steps: [0, 10] }));
  assert.ok(!isStepsMessage({ type: 'steps', steps: [0, Infinity] }));
  const snapshot = {
    step: 10,
    tokens: ['a', 'b'],
    layers: [{ layer: 0, heads: 1, length: 2, probs: [1, 0, 0.5, 0.5] }],
  };
  assert.ok(isSnapshotMessage({ type: 'snapshot', snapshot }));
  assert.ok(!isSnapshotMessage({ type: 'snapshot', snapshot: { ...snapshot, tokens: ['a'] } }));
  assert.ok(isRequestSnapshotMessage({ type: 'requestSnapshot', step: 10 }));
  assert.ok(!isRequestSnapshotMessage({ type: 'requestSnapshot', step: '10' }));
  assert.ok(isProbeRequestMessage({ type: 'probe', text: 'to be' }));
  assert.ok(!isProbeRequestMessage({ type: 'probe', text: '' }));
  assert.ok(!isProbeRequestMessage({ type: 'probe', text: 'x'.repeat(MAX_PROBE_CHARS + 1) }));
});

test('engine-check panel: only its own messages pass, each with its fields', () => {
  assert.ok(isEngineCheckToWebview({ type: 'engineCheck/running' }));
  assert.ok(isEngineCheckToWebview({ type: 'engineCheck/failed', message: 'no onnxruntime' }));
  assert.ok(!isEngineCheckToWebview({ type: 'engineCheck/failed' }));
  assert.ok(!isEngineCheckToWebview({ type: 'engineCheck/show', report: {} }));
  assert.ok(isEngineCheckFromWebview({ type: 'ready' }));
  assert.ok(isEngineCheckFromWebview({ type: 'engineCheck/rerun' }));
  assert.ok(!isEngineCheckFromWebview({ type: 'engineCheck/run' }));
});
