import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { quickTraining } from '../../fixtures/experimentParts';
import {
  formatProblems,
  parseExperimentText,
  validateExperiment,
  type Problem,
} from '../../../src/experiment/validate';
import { scratchFolder } from '../data/fixtures';

/** An experiment being edited into shape, including deliberately wrong values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = Record<string, any>;

/** A valid MLP-on-digits experiment as pretty JSON; `edit` changes it before printing. */
function experimentText(edit: (e: Draft) => void = () => undefined): string {
  const experiment: Draft = {
    name: 'check',
    task: 'classification',
    data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
    model: {
      input: { shape: [1, 8, 8] },
      layers: [
        { type: 'conv2d', filters: 8, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'maxpool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 10 },
      ],
    },
    training: quickTraining(),
  };
  edit(experiment);
  return JSON.stringify(experiment, null, 2);
}

/** 0-based line of the first occurrence of `needle` (after the `after` marker, when given). */
function lineOf(text: string, needle: string, after = ''): number {
  const offset = text.indexOf(needle, text.indexOf(after));
  assert.ok(offset >= 0, `${needle} not in the text`);
  return text.slice(0, offset).split('\n').length - 1;
}

async function problemsOf(text: string, dir = scratchFolder()): Promise<Problem[]> {
  return (await validateExperiment(parseExperimentText(text), dir)).problems;
}

async function onlyError(text: string, dir?: string): Promise<Problem> {
  const problems = (await problemsOf(text, dir)).filter((p) => p.severity === 'error');
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  return problems[0];
}

test('a valid experiment has no problems', async () => {
  assert.deepEqual(await problemsOf(experimentText()), []);
});

test('invalid JSON is reported where the parser stopped', async () => {
  const text = experimentText().replace('"flatten"', '"flatten",,');
  const problem = (await problemsOf(text))[0];
  assert.match(problem.message, /invalid JSON/);
  assert.equal(problem.range.start.line, lineOf(text, '"flatten"'));
});

test('schema basics: missing field, wrong type, unknown enum value, out-of-range number', async () => {
  let text = experimentText((e) => delete e.data.seed);
  let problem = await onlyError(text);
  assert.equal(problem.message, 'data is missing "seed"');
  assert.equal(problem.range.start.line, lineOf(text, '"data"'));

  text = experimentText((e) => (e.training.epochs = 'ten'));
  problem = await onlyError(text);
  assert.equal(problem.message, 'training.epochs must be a whole number');
  assert.equal(problem.range.start.line, lineOf(text, '"epochs"'));

  text = experimentText((e) => (e.training.optimizer.type = 'adagrad'));
  problem = await onlyError(text);
  assert.match(
    problem.message,
    /training.optimizer.type must be one of "sgd", "adam", "adamw"; got "adagrad"/,
  );
  assert.equal(problem.range.start.line, lineOf(text, '"adagrad"'));

  text = experimentText((e) => (e.model.layers[3].units = 0));
  problem = await onlyError(text);
  assert.equal(problem.message, 'model.layers[3].units must be ≥ 1');
  assert.equal(problem.range.start.line, lineOf(text, '"units": 0'));

  text = experimentText((e) => delete e.model.layers[0].kernel);
  problem = await onlyError(text);
  assert.equal(problem.message, 'model.layers[0] is missing "kernel"');
});

test('split fractions that do not sum to 1 are reported on "splits"', async () => {
  const text = experimentText((e) => (e.data.splits = { train: 0.8, validation: 0.2, test: 0.1 }));
  const problem = await onlyError(text);
  assert.equal(problem.message, 'split fractions sum to 1.1; they must sum to 1');
  assert.equal(problem.range.start.line, lineOf(text, '"splits"'));
});

test('loss that does not fit the task is reported on "loss"', async () => {
  const text = experimentText((e) => (e.training.loss = 'mse'));
  const problem = await onlyError(text);
  assert.match(
    problem.message,
    /loss "mse" does not fit a classification task; use "cross-entropy" or "bce-with-logits"/,
  );
  assert.equal(problem.range.start.line, lineOf(text, '"loss"'));
});

test('metrics must fit the task, and early stopping may only watch a computed metric', async () => {
  const r2OnClassifier = experimentText((e) => (e.metrics = ['accuracy', 'r2']));
  const wrongMetric = await onlyError(r2OnClassifier);
  assert.match(
    wrongMetric.message,
    /metric "r2" does not apply to a classification task \(use accuracy, f1\)/,
  );
  assert.equal(wrongMetric.range.start.line, lineOf(r2OnClassifier, '"r2"'));
  const unwatched = experimentText((e) => (e.training.earlyStopping = { metric: 'f1', patience: 3 }));
  assert.match((await onlyError(unwatched)).message, /early stopping watches "f1", which is not computed/);
  const watched = experimentText((e) => {
    e.metrics = ['f1'];
    e.training.earlyStopping = { metric: 'f1', patience: 3 };
  });
  assert.deepEqual(await problemsOf(watched), []);
});

test('dense after an image-shaped input points at that layer', async () => {
  const text = experimentText((e) => e.model.layers.splice(2, 1));
  const problem = await onlyError(text);
  assert.match(
    problem.message,
    /layer 3: dense after an image-shaped input \[8, 4, 4\]: add \{ "type": "flatten" \}/,
  );
  assert.equal(problem.range.start.line, lineOf(text, '"dense"'));
});

test('a kernel larger than the image and a pool larger than its input are reported on their fields', async () => {
  let text = experimentText((e) => Object.assign(e.model.layers[0], { kernel: 9, padding: 'valid' }));
  let problem = await onlyError(text);
  assert.match(problem.message, /layer 1: kernel 9 does not fit the 8×8 input/);
  assert.equal(problem.range.start.line, lineOf(text, '"kernel": 9'));

  text = experimentText((e) => (e.model.layers[1].size = 16));
  problem = await onlyError(text);
  assert.match(problem.message, /pool size 16 is larger than the 8×8 input/);
  assert.equal(problem.range.start.line, lineOf(text, '"size": 16'));
});

test('final units must equal the number of classes once the data is known', async () => {
  const text = experimentText((e) => (e.model.layers[3].units = 12));
  const problem = await onlyError(text);
  assert.match(
    problem.message,
    /outputs \[12\] per example, but the data needs \[10\]: 10 classes \(0, 1, 2, 3, 4, …\)/,
  );
  assert.equal(problem.range.start.line, lineOf(text, '"units": 12'));
});

test('input shape must match the data', async () => {
  const text = experimentText((e) => (e.model.input.shape = [1, 28, 28]));
  const problem = await onlyError(text);
  assert.match(problem.message, /the data gives examples of shape \[1, 8, 8\], not \[1, 28, 28\]/);
  assert.equal(problem.range.start.line, lineOf(text, '"shape"'));
});

function languageModel(edit: (e: Draft) => void = () => undefined): string {
  return experimentText((e) => {
    e.task = 'language-model';
    e.data = {
      source: 'builtin:tiny-shakespeare',
      contextLength: 16,
      splits: { train: 0.9, validation: 0.05, test: 0.05 },
      seed: 1,
    };
    e.model = {
      input: { shape: [16] },
      layers: [
        { type: 'embedding', vocabSize: 65, dim: 32 },
        { type: 'transformer', heads: 4, causal: true },
        { type: 'dense', units: 65 },
      ],
    };
    e.probe = { text: 'To be' };
    edit(e);
  });
}

test('language model: vocabulary size and output size are checked against the text', async () => {
  assert.deepEqual(await problemsOf(languageModel()), []);
  let text = languageModel((e) => (e.model.layers[0].vocabSize = 60));
  let problem = await onlyError(text);
  assert.equal(problem.message, 'vocabSize is 60, but builtin:tiny-shakespeare has 65 distinct tokens');
  assert.equal(problem.range.start.line, lineOf(text, '"vocabSize"'));

  text = languageModel((e) => (e.model.layers[2].units = 64));
  problem = await onlyError(text);
  assert.match(
    problem.message,
    /outputs \[16, 64\] per example, but the data needs \[16, 65\]: a vocabulary of 65 characters/,
  );
  assert.equal(problem.range.start.line, lineOf(text, '"units": 64'));
});

test('language model: heads must divide the width; a probe character outside the vocabulary is reported', async () => {
  let text = languageModel((e) => (e.model.layers[1].heads = 3));
  let problem = await onlyError(text);
  assert.match(problem.message, /layer 2: the model width 32 is not divisible by 3 heads/);
  assert.equal(problem.range.start.line, lineOf(text, '"heads"'));

  text = languageModel((e) => (e.probe.text = 'To be — or'));
  problem = await onlyError(text);
  assert.equal(problem.message, 'probe text: the character "—" is not in the vocabulary of this dataset');
  assert.equal(problem.range.start.line, lineOf(text, '"To be — or"'));
});

test('language model: non-causal attention is a warning, an embedding on numeric input an error', async () => {
  const problems = await problemsOf(languageModel((e) => (e.model.layers[1].causal = false)));
  assert.deepEqual(
    problems.map((p) => p.severity),
    ['warning'],
  );
  assert.match(problems[0].message, /should be causal/);

  const text = experimentText((e) =>
    e.model.layers.splice(2, 0, { type: 'embedding', vocabSize: 10, dim: 4 }),
  );
  const problem = await onlyError(text);
  assert.match(problem.message, /layer 3: embedding/);
});

test('unknown built-in dataset and a missing data file are reported on "source"', async () => {
  let text = experimentText((e) => (e.data.source = 'builtin:mnist'));
  let problem = await onlyError(text);
  assert.match(problem.message, /unknown built-in dataset "builtin:mnist"; built-ins are "builtin:digits"/);
  assert.equal(problem.range.start.line, lineOf(text, '"source"'));

  text = experimentText((e) => (e.data.source = 'data/table.csv'));
  problem = await onlyError(text);
  assert.match(problem.message, /the data file "data\/table.csv" does not exist/);
  assert.equal(problem.range.start.line, lineOf(text, '"source"'));
});

test('CSV errors name the data file and row on "source"; the formatter prints file:line:col', async () => {
  const tabular = (e: Draft) => {
    e.data.source = 'table.csv';
    e.model = { input: { shape: [2] }, layers: [{ type: 'dense', units: 2 }] };
  };
  const dir = scratchFolder({ 'table.csv': 'a,b,y\n1,2,0\n3,4,1\n5,6\n' });
  const text = experimentText(tabular);
  const problem = await onlyError(text, dir);
  assert.equal(
    problem.message,
    `${join(dir, 'table.csv')}:4: row has 2 cells, expected 3 like the first row`,
  );
  assert.equal(problem.range.start.line, lineOf(text, '"source"'));
  const column = problem.range.start.character + 1;
  assert.equal(
    formatProblems('x.experiment.json', [problem]),
    `x.experiment.json:${problem.range.start.line + 1}:${column}: error: ${problem.message}`,
  );

  const nonNumeric = scratchFolder({ 'table.csv': 'a,b,y\n1,2,0\n3,seven,1\n' });
  assert.match(
    (await onlyError(text, nonNumeric)).message,
    /table.csv:3: column "b" holds "seven", not a number/,
  );
});

test('an empty text file is reported on "source"', async () => {
  const dir = scratchFolder({ 'empty.txt': '' });
  const text = languageModel((e) => (e.data.source = 'empty.txt'));
  const problem = await onlyError(text, dir);
  assert.match(problem.message, /empty.txt: the text file is empty/);
  assert.equal(problem.range.start.line, lineOf(text, '"source"'));
});

/** An LSTM forecaster of a two-column CSV series, with `shape` as its input shape. */
function seriesText(shape: number[], edit: (e: Draft) => void = () => undefined): string {
  return experimentText((e) => {
    e.task = 'regression';
    e.data = { ...e.data, source: 'series.csv', format: 'series', target: 'b' };
    e.model = {
      input: { shape },
      layers: [
        { type: 'lstm', units: 4 },
        { type: 'dense', units: 1 },
      ],
    };
    e.training.loss = 'mse';
    edit(e);
  });
}

test('series: a feature count that differs from model.input.shape is reported on the shape line', async () => {
  const rows = ['a,b', ...Array.from({ length: 30 }, (_, t) => `${t},${t % 7}`)].join('\n');
  const dir = scratchFolder({ 'series.csv': rows });
  assert.deepEqual(await problemsOf(seriesText([5, 2]), dir), []);
  const text = seriesText([5, 3]);
  const problem = await onlyError(text, dir);
  assert.equal(problem.range.start.line, lineOf(text, '"shape"'));
  assert.match(problem.message, /examples of shape \[5, 2\], not \[5, 3\] \(the series has 2 feature column/);
  const oneColumn = seriesText([5, 2], (e) => (e.data.columns = ['b']));
  assert.match((await onlyError(oneColumn, dir)).message, /\[5, 1\], not \[5, 2\]/);
});

test('a table: a data.columns entry that names no column is reported on its line; a width that differs names the columns', async () => {
  const rows = ['id,a,b,label', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 5},${i % 3},${i % 2}`)];
  const dir = scratchFolder({ 'table.csv': rows.join('\n') });
  const tableText = (columns: (string | number)[], shape: number[]) =>
    experimentText((e) => {
      e.data = { ...e.data, source: 'table.csv', target: 'label', columns };
      e.model = { input: { shape }, layers: [{ type: 'dense', units: 2 }] };
    });
  assert.deepEqual(await problemsOf(tableText(['a', 'b'], [2]), dir), []);
  const unknown = tableText(['a', 'c'], [2]);
  const problem = await onlyError(unknown, dir);
  assert.equal(problem.range.start.line, lineOf(unknown, '"c"'));
  assert.equal(problem.message, `${join(dir, 'table.csv')}:1: no column named "c"; columns: id, a, b, label`);
  const narrow = await onlyError(tableText(['a', 'b'], [3]), dir);
  assert.match(
    narrow.message,
    /examples of shape \[2\], not \[3\] \(the table gives 2 feature column\(s\), every column but the target unless data.columns lists them: set it to \[2\]\)/,
  );
});

test('a table with categorical columns: a model input width that differs says how the data’s width adds up', async () => {
  const rows = [
    'a,colour,size,label',
    ...Array.from(
      { length: 40 },
      (_, i) => `${i},${['red', 'blue'][i % 2]},${['S', 'M', 'L'][i % 3]},${i % 2}`,
    ),
  ];
  const dir = scratchFolder({ 'table.csv': rows.join('\n') });
  const text = experimentText((e) => {
    e.data = { ...e.data, source: 'table.csv', target: 'label', categorical: ['colour', 'size'] };
    e.model = { input: { shape: [3] }, layers: [{ type: 'dense', units: 2 }] };
  });
  const problem = await onlyError(text, dir);
  assert.equal(problem.range.start.line, lineOf(text, '"shape"'));
  assert.match(
    problem.message,
    /examples of shape \[6\], not \[3\] \(1 numeric columns \+ colour \(2\) \+ size \(3\) = 6\)$/,
  );
});

test('data.columns on a source without columns is a warning on the field', async () => {
  const text = experimentText((e) => (e.data.columns = ['a']));
  const [problem] = await problemsOf(text);
  assert.equal(problem.severity, 'warning');
  assert.equal(problem.range.start.line, lineOf(text, '"columns"'));
  assert.equal(
    problem.message,
    'columns only apply to tables (.csv, .tsv) and series: this data source has none',
  );
});

test('data.missing on a source without table cells is a warning on the field; with "fill" a table’s width message stays', async () => {
  const builtin = experimentText((e) => (e.data.missing = 'drop'));
  const [problem] = await problemsOf(builtin);
  assert.equal(problem.severity, 'warning');
  assert.equal(problem.range.start.line, lineOf(builtin, '"missing"'));
  assert.equal(
    problem.message,
    'data.missing only applies to tables (.csv, .tsv, not series): this data source has no table cells',
  );
  const series = seriesText([5, 2], (e) => (e.data.missing = 'fill'));
  const dir = scratchFolder({
    'series.csv': ['a,b', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 3}`)].join('\n'),
    'table.csv': [
      'a,b,label',
      ...Array.from({ length: 40 }, (_, i) => `${i % 4 ? i : ''},${i % 3},${i % 2}`),
    ].join('\n'),
  });
  assert.ok((await problemsOf(series, dir)).some((p) => p.message.startsWith('data.missing only applies')));
  const filled = experimentText((e) => {
    e.data = { ...e.data, source: 'table.csv', target: 'label', missing: 'fill' };
    e.model = { input: { shape: [3] }, layers: [{ type: 'dense', units: 2 }] };
  });
  assert.match(
    (await onlyError(filled, dir)).message,
    /examples of shape \[2\], not \[3\] \(the table gives 2 feature column\(s\)/,
  );
});

test('series: a flat input shape, a classification task or a non-CSV source is reported before loading', async () => {
  const dir = scratchFolder({ 'series.csv': 'a,b\n1,2\n' });
  const flat = seriesText([5]);
  const shapeProblem = (await problemsOf(flat, dir)).find((p) => /\[steps, features\]/.test(p.message));
  assert.equal(shapeProblem?.range.start.line, lineOf(flat, '"shape"'));
  const classify = seriesText([5, 2], (e) => (e.task = 'classification'));
  const taskProblem = (await problemsOf(classify, dir)).find((p) => /next value/.test(p.message));
  assert.equal(taskProblem?.range.start.line, lineOf(classify, '"task"'));
  const builtin = seriesText([5, 2], (e) => (e.data.source = 'builtin:digits'));
  const formatProblem = (await problemsOf(builtin, dir)).find((p) => /\.csv or \.tsv table/.test(p.message));
  assert.equal(formatProblem?.range.start.line, lineOf(builtin, '"format"'));
});
