// The LSTM/GRU inside view's data: a short-trained names model (an LSTM feeding a GRU) answers,
// from its checkpoint, every step's hidden states and gates, its class probabilities and the
// letters' occlusion attribution. Each is checked against the recurrences written out here in
// float64 from the checkpoint's weights (PyTorch's LSTM and GRU equations), not the engine.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Experiment } from '../../../src/contract/experiment';
import type { TrainingState } from '../../../src/engine/api';
import { loadDataset } from '../../../src/data/loadDataset';
import type { RecurrentView } from '../../../src/protocol/recurrentView';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { PlaygroundSession } from '../../../src/trainer/playground';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { askPlaygroundProcess } from '../../fixtures/playgroundProcess';
import { trainRun } from '../../fixtures/trainedRun';

const root = mkdtempSync(join(tmpdir(), 'modellab-rnn-inside-'));
after(() => rmSync(root, { recursive: true, force: true }));

const T = 8;
const experiment: Experiment = {
  name: 'tiny-names',
  task: 'classification',
  data: {
    source: 'builtin:names',
    contextLength: T,
    splits: { train: 0.8, validation: 0.1, test: 0.1 },
    seed: 1,
  },
  model: {
    input: { shape: [T] },
    layers: [
      { type: 'embedding', vocabSize: 28, dim: 5 },
      { type: 'lstm', units: 4, returnSequences: true },
      { type: 'gru', units: 3 },
      { type: 'dense', units: 2 },
    ],
  },
  training: {
    epochs: 1,
    stepsPerEpoch: 3,
    batchSize: 16,
    optimizer: { type: 'adam', learningRate: 0.05 },
    loss: 'cross-entropy',
    seed: 1,
  },
  metrics: ['accuracy'],
};

let runDir: string;

before(async () => {
  let outcome = '';
  runDir = await trainRun(root, experiment, (event) => (outcome = event.type));
  assert.equal(outcome, 'finished');
});

async function viewOf(input: { example?: number; text?: string }): Promise<RecurrentView> {
  const session = await PlaygroundSession.open(runDir, createTrainerDeps());
  try {
    return await session.recurrent(input);
  } finally {
    await session.dispose();
  }
}

// ── the reference: PyTorch's equations in float64 from the checkpoint ──────────────────────
type Matrix = number[][];
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

function weights(state: TrainingState, name: string, rows: number): Matrix {
  const t = state.tensors[name];
  const cols = t.data.length / rows;
  return Array.from({ length: rows }, (_, r) => Array.from(t.data.subarray(r * cols, (r + 1) * cols)));
}
const vector = (state: TrainingState, name: string) => Array.from(state.tensors[name].data);
/** W·v for W [rows, cols]. */
const times = (w: Matrix, v: number[]) => w.map((row) => row.reduce((s, a, k) => s + a * v[k], 0));

interface Reference {
  series: Record<string, number[][]>;
  probabilities: number[];
}

/** PyTorch's LSTM equations over inputs `xs` from the checkpoint's `<prefix>.weight_ih` etc. */
function lstmReference(
  state: TrainingState,
  prefix: string,
  units: number,
  xs: number[][],
): Record<string, number[][]> {
  const p = (k: string) => `${prefix}.${k}`;
  const [wi, wh] = [weights(state, p('weight_ih'), 4 * units), weights(state, p('weight_hh'), 4 * units)];
  const [bi, bh] = [vector(state, p('bias_ih')), vector(state, p('bias_hh'))];
  const series: Record<string, number[][]> = { hidden: [], cell: [], input: [], forget: [], output: [] };
  let h = new Array<number>(units).fill(0);
  let c = new Array<number>(units).fill(0);
  for (const x of xs) {
    const recurrent = times(wh, h);
    const a = times(wi, x).map((v, r) => v + bi[r] + bh[r] + recurrent[r]);
    const gate = (k: number) => a.slice(k * units, (k + 1) * units);
    const [i, f, o] = [gate(0), gate(1), gate(3)].map((g) => g.map(sigmoid));
    const g = gate(2).map(Math.tanh);
    c = c.map((cv, u) => f[u] * cv + i[u] * g[u]);
    h = o.map((ov, u) => ov * Math.tanh(c[u]));
    Object.entries({ hidden: h, cell: c, input: i, forget: f, output: o }).forEach(([k, v]) =>
      series[k].push(v),
    );
  }
  return series;
}

/** lstm(4, all steps) → gru(3, last step) → dense(2) on the ids, from the checkpoint's weights. */
function reference(state: TrainingState, ids: number[]): Reference {
  // The embedding adds its learned position table (the default `positional`).
  const table = weights(state, 'layer0.embedding.weight', 28);
  const positions = weights(state, 'layer0.embedding.position', T);
  const xs = ids.map((id, t) => table[id].map((v, k) => v + positions[t][k]));
  const lstmSeries = lstmReference(state, 'layer1.lstm', 4, xs);
  const gru = (k: string) => `layer2.gru.${k}`;
  const [gi, gh] = [weights(state, gru('weight_ih'), 9), weights(state, gru('weight_hh'), 9)];
  const [gbi, gbh] = [vector(state, gru('bias_ih')), vector(state, gru('bias_hh'))];
  const gruSeries: Record<string, number[][]> = { hidden: [], update: [], reset: [] };
  let s = [0, 0, 0];
  for (const x of lstmSeries.hidden) {
    const a = times(gi, x).map((v, r) => v + gbi[r]);
    const u = times(gh, s).map((v, r) => v + gbh[r]);
    const r = [0, 1, 2].map((k) => sigmoid(a[k] + u[k]));
    const z = [0, 1, 2].map((k) => sigmoid(a[3 + k] + u[3 + k]));
    const n = [0, 1, 2].map((k) => Math.tanh(a[6 + k] + r[k] * u[6 + k]));
    s = n.map((nv, k) => (1 - z[k]) * nv + z[k] * s[k]);
    gruSeries.hidden.push(s);
    gruSeries.update.push(z);
    gruSeries.reset.push(r);
  }
  const dense = weights(state, 'layer3.dense.weight', 3);
  const bias = vector(state, 'layer3.dense.bias');
  const logits = [0, 1].map((k) => bias[k] + s.reduce((sum, v, j) => sum + v * dense[j][k], 0));
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const probabilities = exps.map((e) => e / (exps[0] + exps[1]));
  return {
    series: { ...prefixed('lstm', lstmSeries), ...prefixed('gru', gruSeries) },
    probabilities,
  };
}
const prefixed = (p: string, series: Record<string, number[][]>) =>
  Object.fromEntries(Object.entries(series).map(([k, v]) => [`${p}.${k}`, v]));

function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let k = 0; k < expected.length; k++)
    assert.ok(
      Math.abs(actual[k] - expected[k]) < 1e-5,
      `${what}[${k}]: ${actual[k]} vs reference ${expected[k]}`,
    );
}

/** The view's series against the reference, each flattened [steps, units]. */
function assertMatchesReference(view: RecurrentView, ref: Reference): void {
  assert.deepEqual(
    view.layers.map((l) => [l.layer, l.type, l.steps, l.units, l.series.map((s) => s.name).join()]),
    [
      [1, 'lstm', T, 4, 'hidden,cell,input,forget,output'],
      [2, 'gru', T, 3, 'hidden,update,reset'],
    ],
  );
  for (const layer of view.layers)
    for (const s of layer.series)
      assertClose(s.values, ref.series[`${layer.type}.${s.name}`].flat(), `${layer.type} ${s.name}`);
  assertClose(view.probabilities ?? [], ref.probabilities, 'probabilities');
}

const idsOf = (view: RecurrentView, tokens: string[]) => view.steps.map((ch) => tokens.indexOf(ch));

test('gates, cell and hidden states of a test example equal the LSTM and GRU recurrences on the checkpoint', async () => {
  const view = await viewOf({ example: 5 });
  const { state, position } = loadCheckpoint(runDir, view.checkpoint);
  assert.equal(view.step, position.step);
  const dataset = await loadDataset(experiment, root);
  const arrays = dataset.arrays();
  assert.ok(arrays.kind === 'rows' && arrays.x instanceof BigInt64Array);
  const row = arrays.splits.test[5];
  const ids = Array.from(arrays.x.slice(row * T, (row + 1) * T), Number);
  assert.equal(view.example, 5);
  assert.equal(view.testExamples, arrays.splits.test.length);
  assert.equal(view.acceptsText, true);
  assert.deepEqual(idsOf(view, dataset.vocab!.tokens), ids);
  assert.equal(view.label, dataset.classes?.[arrays.labels![row]]);
  assert.deepEqual(view.classes, ['female', 'male']);
  assertMatchesReference(view, reference(state, ids));
});

test('typed text is read like the names (lower case, left-padded); each letter’s attribution is the probability lost without it', async () => {
  const view = await viewOf({ text: 'Anna-Marie!' });
  const dataset = await loadDataset(experiment, root);
  const tokens = dataset.vocab!.tokens;
  const { state } = loadCheckpoint(runDir, view.checkpoint);
  // The names have no '!' (and no capitals): dropped and lowered; the last T characters are kept.
  assert.equal(view.example, undefined);
  assert.equal(view.ignored, '!');
  const expected = tokens.includes('-') ? 'na-marie' : 'nnamarie';
  assert.equal(view.steps.join(''), expected.slice(-T));
  const ids = idsOf(view, tokens);
  const ref = reference(state, ids);
  assertMatchesReference(view, ref);
  const predicted = ref.probabilities.indexOf(Math.max(...ref.probabilities));
  const attribution = view.attribution ?? [];
  assert.equal(attribution.length, T);
  ids.forEach((_, t) => {
    const without = ids.filter((id, s) => s !== t && id !== 0);
    const padded = [...new Array<number>(T - without.length).fill(0), ...without];
    const expectedChange = ref.probabilities[predicted] - reference(state, padded).probabilities[predicted];
    assert.ok(
      Math.abs(attribution[t] - expectedChange) < 1e-5,
      `step ${t} (${view.steps[t]}): ${attribution[t]} vs ${expectedChange}`,
    );
  });
  assert.ok(
    attribution.some((a) => Math.abs(a) > 1e-4),
    'some letter moves the decision',
  );

  const short = await viewOf({ text: 'bo' });
  assert.deepEqual(short.steps, [...new Array<string>(T - 2).fill(''), 'b', 'o']);
  assert.deepEqual(short.attribution?.slice(0, T - 2), new Array<number>(T - 2).fill(0));
  assertMatchesReference(short, reference(state, idsOf(short, tokens)));
});

test('the training process answers the inside view and typed names; text it cannot read is refused by name', async () => {
  const replies = await askPlaygroundProcess(runDir, [
    { type: 'playground/recurrent', text: 'olivia' },
    { type: 'playground/classifyText', text: 'olivia' },
    { type: 'playground/recurrent', text: '!!' },
    { type: 'playground/recurrent', example: 100_000 },
  ]);
  const [view, probabilities, unreadable, pastEnd] = replies;
  assert.ok(view.type === 'playground/recurrentView' && view.id === 0, JSON.stringify(view).slice(0, 200));
  assert.deepEqual(view.view, await viewOf({ text: 'olivia' }));
  assert.ok(probabilities.type === 'playground/probabilities' && probabilities.id === 1);
  assertClose(probabilities.probabilities, view.view.probabilities ?? [], 'typed name probabilities');
  assert.ok(unreadable.type === 'playground/failure' && unreadable.id === 2);
  assert.match(unreadable.message, /Type at least one character the model knows: -abc/);
  assert.ok(pastEnd.type === 'playground/failure' && pastEnd.id === 3);
  assert.match(pastEnd.message, /tiny-names has \d+ test examples: pick one from 0 to \d+\./);
});

test('a numeric series model (the waves LSTM, a regression) shows numbered steps and its gates, without classes, letters or typed text', async () => {
  const seriesRoot = mkdtempSync(join(tmpdir(), 'modellab-rnn-series-'));
  try {
    copyFileSync(join(__dirname, '../../../templates/lstm-names/waves.csv'), join(seriesRoot, 'waves.csv'));
    const waves: Experiment = {
      name: 'tiny-waves',
      task: 'regression',
      data: {
        source: 'waves.csv',
        format: 'series',
        target: 'value',
        columns: ['value'],
        normalize: 'standard',
        splits: { train: 0.7, validation: 0.1, test: 0.2 },
        seed: 42,
      },
      model: {
        input: { shape: [6, 1] },
        layers: [
          { type: 'lstm', units: 3 },
          { type: 'dense', units: 1 },
        ],
      },
      training: {
        epochs: 1,
        stepsPerEpoch: 3,
        batchSize: 8,
        optimizer: { type: 'adam', learningRate: 0.01 },
        loss: 'mse',
        seed: 1,
      },
      metrics: ['mae'],
    };
    const dir = await trainRun(seriesRoot, waves);
    const session = await PlaygroundSession.open(dir, createTrainerDeps());
    try {
      const view = await session.recurrent({ example: 2 });
      assert.deepEqual(view.steps, ['1', '2', '3', '4', '5', '6']);
      assert.equal(view.acceptsText, false);
      assert.equal(view.classes, undefined);
      assert.equal(view.attribution, undefined);
      // The series as the model read it, through the LSTM recurrence from the checkpoint.
      const dataset = await loadDataset(waves, seriesRoot);
      const arrays = dataset.arrays();
      assert.ok(arrays.kind === 'rows' && arrays.x instanceof Float32Array);
      const row = arrays.splits.test[2];
      const xs = Array.from(arrays.x.slice(row * 6, (row + 1) * 6), (v) => [v]);
      const { state } = loadCheckpoint(dir, view.checkpoint);
      const cell = lstmReference(state, 'layer0.lstm', 3, xs);
      const [layer] = view.layers;
      assert.equal(layer.type, 'lstm');
      for (const s of layer.series) assertClose(s.values, cell[s.name].flat(), `waves ${s.name}`);
      await assert.rejects(session.recurrent({ text: 'abc' }), /does not read typed characters/);
      await assert.rejects(session.classifyText('abc'), /answers classifiers and language models/);
    } finally {
      await session.dispose();
    }
  } finally {
    rmSync(seriesRoot, { recursive: true, force: true });
  }
});
