// The dynamics section's series: what each chart of the metrics panel draws from dynamics.jsonl.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DynamicsRecord, ParamDynamics } from '../../../src/contract/dynamicsRecord';
import { DynamicsSeries } from '../../../webview/metrics/dynamicsSeries';

function param(name: string, scale: number, weightNorm = 2): ParamDynamics {
  const bands = [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((v) => v * scale);
  return {
    name,
    gradNorm: scale,
    clippedGradNorm: scale / 2,
    weightNorm,
    updateNorm: scale / 100,
    weights: bands,
    grads: bands.map((v) => v / 10),
  };
}

function record(
  step: number,
  clipped: boolean,
  params = [param('w', step), param('b', step, 0)],
): DynamicsRecord {
  return {
    step,
    epoch: step / 10,
    time: step,
    gradNorm: step,
    clippedGradNorm: clipped ? step / 2 : step,
    params,
  };
}

test('global norms: one line without clipping, before and after when clipping acted', () => {
  const series = new DynamicsSeries();
  series.append([record(10, false), record(20, false)], false);
  assert.deepEqual(series.globalNorms(), [
    {
      label: 'global',
      points: [
        { x: 10, y: 10 },
        { x: 20, y: 20 },
      ],
    },
  ]);
  series.append([record(30, true)], false);
  assert.deepEqual(
    series.globalNorms().map((s) => [s.label, s.points.map((p) => p.y)]),
    [
      ['global, before clipping', [10, 20, 30]],
      ['global, after clipping', [10, 20, 15]],
    ],
  );
});

test('update ratios per tensor leave out a tensor of zeros; gradient norms keep every step', () => {
  const series = new DynamicsSeries();
  series.append([record(10, false), record(20, false)], false);
  assert.deepEqual(series.tensors(), ['w', 'b']);
  assert.deepEqual(series.updateRatios(), [
    {
      label: 'w',
      points: [
        { x: 10, y: 0.05 },
        { x: 20, y: 0.1 },
      ],
    },
    { label: 'b', points: [] },
  ]);
  assert.deepEqual(
    series.gradNorms()[1].points.map((p) => p.y),
    [10, 20],
  );
});

test('a distribution is one series per percentile level, from low to high', () => {
  const series = new DynamicsSeries();
  series.append([record(10, false), record(20, false)], false);
  const levels = series.distribution('w', 'grads');
  assert.equal(levels.length, 9);
  assert.deepEqual(levels[0], [
    { x: 10, y: -4 },
    { x: 20, y: -8 },
  ]);
  assert.deepEqual(
    levels[8].map((p) => p.y),
    [4, 8],
  );
  assert.deepEqual(
    series.distribution('w', 'weights')[4].map((p) => p.y),
    [0, 0],
  );
});

test('a reset replaces the records; a step seen twice (a resumed run) keeps the latest, in step order', () => {
  const series = new DynamicsSeries();
  series.append([record(10, false), record(20, false)], false);
  series.append([record(5, false)], true);
  assert.equal(series.count, 1);
  series.append([record(20, false), record(10, true)], false);
  assert.deepEqual(
    series.globalNorms()[1].points.map((p) => p.x),
    [5, 10, 20],
  );
  assert.equal(series.count, 3);
});
