/**
 * The bad-input battery at the command line: each case breaks one thing and
 * asserts the whole answer — exit code 2, the exact message (naming the file,
 * the line where there is one, and what to do), no stack trace, and no run
 * folder left behind. test/README.md lists every case with its answer.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import type { Experiment } from '../../../src/contract/experiment';
import { saveCheckpoint } from '../../../src/runs/checkpoints';
import { runNodeScript } from '../../fixtures/unprivileged';
import {
  EXPERIMENT_NAME,
  goodCsv,
  makeFifo,
  removeScratchFolders,
  scratch,
  type Scratch,
} from './scratchExperiment';

const cli = resolve(__dirname, '../../../src/cli/cli.ts');
after(removeScratchFolders);

interface Case {
  name: string;
  /** Prepares the scratch folder; returns the exact stderr expected (and the arguments, if not the default). */
  setup(s: Scratch): Promise<{ expected: string; args?: string[]; asNobody?: boolean }>;
}

const trainArgs = (s: Scratch, ...extra: string[]): string[] => [
  'train',
  s.experimentFile,
  '--runs-dir',
  s.runsDir,
  '--device',
  'cpu',
  ...extra,
];

/** The prefix of a data error: reported on `"data.source"` of the experiment, naming the data file. */
const onSource = (s: Scratch, data: string, line?: number): string =>
  `${s.at(`"${s.experimentSource ?? 'data.csv'}"`)}: error: ${s.path(data)}${line === undefined ? '' : `:${line}`}: `;

function modelLab(args: string[], asNobody: boolean): Promise<{ status: number | null; stderr: string }> {
  if (asNobody) return Promise.resolve(runNodeScript([cli, ...args]));
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A case that hangs (reading a pipe) fails here instead of stalling the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stderr });
    });
  });
}

function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

/** An image-folder experiment: `classes` maps a class folder to how many images it holds. */
function imageFolder(
  s: Scratch,
  classes: Record<string, number>,
  edit?: (experiment: Experiment) => void,
): void {
  for (const [name, count] of Object.entries(classes)) {
    mkdirSync(s.path(`images/${name}`), { recursive: true });
    for (let i = 0; i < count; i++) s.write(`images/${name}/${i}.png`, tinyPng());
  }
  s.experimentSource = 'images';
  s.writeExperiment((e) => {
    e.data = {
      source: 'images',
      splits: { train: 0.5, validation: 0.25, test: 0.25 },
      seed: 1,
      imageSize: [2, 2],
    };
    e.model = { input: { shape: [1, 2, 2] }, layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }] };
    e.training.batchSize = 1;
    edit?.(e);
  });
}

/** A character language model on `text` (written to corpus.txt). */
function textExperiment(s: Scratch, text: string | Uint8Array): void {
  s.write('corpus.txt', text);
  s.experimentSource = 'corpus.txt';
  s.writeExperiment((e) => {
    e.task = 'language-model';
    e.data = {
      source: 'corpus.txt',
      contextLength: 4,
      splits: { train: 0.8, validation: 0.1, test: 0.1 },
      seed: 1,
    };
    e.model = {
      input: { shape: [4] },
      layers: [
        { type: 'embedding', vocabSize: 3, dim: 4 },
        { type: 'dense', units: 3 },
      ],
    };
  });
}

/** A run folder with a checkpoint to resume from; `tamper` damages it. */
function runToResume(s: Scratch, tamper?: (checkpointDir: string) => void): string {
  const runDir = s.path('runs/earlier/run-1');
  const dir = saveCheckpoint(runDir, 'last', {
    state: {
      step: 3,
      tensors: { 'layer0.dense.weight': { dims: [2, 2], data: new Float32Array([1, 2, 3, 4]) } },
    },
    position: { step: 3, epoch: 0, batchInEpoch: 3, validationsWithoutImprovement: 0 },
  });
  tamper?.(dir);
  return runDir;
}

const CASES: Case[] = [
  {
    name: 'the experiment file does not exist',
    async setup(s) {
      return { expected: `${s.experimentFile}: the experiment file does not exist` };
    },
  },
  {
    name: 'the experiment path is a folder',
    async setup(s) {
      mkdirSync(s.experimentFile);
      return {
        expected: `${s.experimentFile}: the experiment file is a folder, not a file; give the path of the file itself`,
      };
    },
  },
  {
    name: 'the experiment file is a FIFO (would hang)',
    async setup(s) {
      await makeFifo(s.experimentFile);
      return {
        expected: `${s.experimentFile}: the experiment file is not a regular file (a pipe, socket or device); point Model Lab at a file on disk`,
      };
    },
  },
  {
    name: 'the experiment file is not UTF-8',
    async setup(s) {
      s.write(
        s.experimentFile,
        Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]),
      );
      return {
        expected: `${s.experimentFile}:2: the experiment file is not valid UTF-8 text (byte 17 cannot be decoded); save it with UTF-8 encoding`,
      };
    },
  },
  {
    name: 'the experiment file is not JSON',
    async setup(s) {
      s.write(s.experimentFile, '{\n  "name": "x",\n  "task": classification\n}\n');
      return {
        expected: `${s.experimentFile}:3:11: error: invalid JSON: InvalidSymbol\n${s.experimentFile}:4:1: error: invalid JSON: ValueExpected`,
      };
    },
  },
  {
    name: 'the experiment nests 5,000 levels deep (stack overflow before)',
    async setup(s) {
      s.write(s.experimentFile, `{\n  "extra": ${'['.repeat(5000)}${']'.repeat(5000)}\n}\n`);
      return {
        expected: `${s.experimentFile}:2:75: error: the JSON nests more than 64 levels deep here; an experiment file never needs that, remove the extra nesting`,
      };
    },
  },
  {
    name: 'the data file does not exist',
    async setup(s) {
      s.writeExperiment();
      return {
        expected: `${s.at('"data.csv"')}: error: the data file "data.csv" does not exist (paths are relative to this experiment file)`,
      };
    },
  },
  {
    name: 'the data file is a FIFO (hung forever before)',
    async setup(s) {
      s.writeExperiment();
      await makeFifo(s.path('data.csv'));
      return {
        expected: `${onSource(s, 'data.csv')}the data file is not a regular file (a pipe, socket or device); point Model Lab at a file on disk`,
      };
    },
  },
  {
    name: 'the CSV is not UTF-8 (Latin-1 text)',
    async setup(s) {
      s.writeExperiment();
      s.write(
        'data.csv',
        Buffer.concat([Buffer.from(goodCsv(4)), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]),
      );
      return {
        expected: `${onSource(s, 'data.csv', 6)}the data file is not valid UTF-8 text (byte 48 cannot be decoded); save it with UTF-8 encoding`,
      };
    },
  },
  {
    name: 'a classifier whose target has one class (reported 66.7 % before)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replace(/odd/g, 'even'));
      return {
        expected: `${onSource(s, 'data.csv', 1)}target column "label" holds only one class ("even"): a classifier needs at least two; check data.target, or use "task": "regression" for a numeric target`,
      };
    },
  },
  {
    name: 'a one-row CSV (it "trained" before)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', 'a,b,label\n1,2,even\n');
      return {
        expected: `${onSource(s, 'data.csv')}too few data rows for data.splits (train 0.6, validation 0.2, test 0.2): 1 in all leaves the validation and test splits empty; add data rows or set those fractions to 0`,
      };
    },
  },
  {
    name: 'a CSV too small for its splits',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', 'a,b,label\n1,2,even\n3,4,odd\n');
      return {
        expected: `${onSource(s, 'data.csv')}too few data rows for data.splits (train 0.6, validation 0.2, test 0.2): 2 in all leave the validation split empty; add data rows or set that fraction to 0`,
      };
    },
  },
  {
    name: 'a training split smaller than one batch',
    async setup(s) {
      s.writeExperiment((e) => (e.training.batchSize = 64));
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('64')}: error: the training split of data.csv holds 12 examples, fewer than one batch of 64: lower training.batchSize or give training a larger share in data.splits`,
      };
    },
  },
  {
    name: 'a header row that looks like data',
    async setup(s) {
      s.writeExperiment((e) => (e.data.target = 2));
      s.write('data.csv', goodCsv(20).replace('a,b,label\n', '5,6,7\n'));
      return {
        expected: `${onSource(s, 'data.csv', 1)}the header row holds only numbers (5, 6, 7), so it looks like data: set "data.header": false if the file has no header row, or give its columns names`,
      };
    },
  },
  {
    name: 'a header row read as data ("header": false)',
    async setup(s) {
      s.writeExperiment((e) => {
        e.data.header = false;
        e.data.target = 2;
      });
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${onSource(s, 'data.csv', 1)}column 0 holds "a", not a number (features must be numeric; list a column of text in data.categorical to one-hot encode it); if this first row names the columns, set "data.header": true`,
      };
    },
  },
  {
    name: 'a feature beyond float32 range (Infinity before)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replace('\n3,1,odd\n', '\n3,1e39,odd\n'));
      return {
        expected: `${onSource(s, 'data.csv', 5)}column "b" holds 1e39, beyond the float32 range (±3.4e38) Model Lab trains in; rescale the column (e.g. change its units)`,
      };
    },
  },
  {
    name: 'a regression target beyond float32 range',
    async setup(s) {
      s.writeExperiment((e) => {
        e.task = 'regression';
        e.data.target = 'y';
        e.training.loss = 'mse';
        e.model.layers = [{ type: 'dense', units: 1 }];
      });
      s.write(
        'data.csv',
        'a,b,y\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i === 7 ? '-5e40' : i}`).join('\n'),
      );
      return {
        expected: `${onSource(s, 'data.csv', 9)}target column "y" holds -5e40, beyond the float32 range (±3.4e38) Model Lab trains in; rescale the column (e.g. change its units)`,
      };
    },
  },
  {
    name: 'a ragged row',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replace('\n4,3,even\n', '\n4,3\n'));
      return { expected: `${onSource(s, 'data.csv', 6)}row has 2 cells, expected 3 like the first row` };
    },
  },
  {
    name: 'a feature that is not a number',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replace('\n4,3,even\n', '\n4,seven,even\n'));
      return {
        expected: `${onSource(s, 'data.csv', 6)}column "b" holds "seven", not a number (features must be numeric; list a column of text in data.categorical to one-hot encode it)`,
      };
    },
  },
  {
    name: 'a missing feature value (data.missing "error", the default)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replace('\n4,3,even\n', '\n4,n/a,even\n'));
      return {
        expected: `${onSource(s, 'data.csv', 6)}column "b" has no value ("n/a"): fill it in, or set data.missing to "drop" to leave such rows out or to "fill" to fill them from the training split`,
      };
    },
  },
  {
    name: 'a missing label',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replace('\n4,3,even\n', '\n4,3,\n'));
      return {
        expected: `${onSource(s, 'data.csv', 6)}target column "label" has no value (""): fill it in or leave the row out; data.missing "drop" and "fill" leave out rows without a target`,
      };
    },
  },
  {
    name: 'a decimal comma in a semicolon-separated table',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replaceAll(',', ';').replace('\n4;3;even\n', '\n4;3,5;even\n'));
      return {
        expected: `${onSource(s, 'data.csv', 6)}column "b" holds "3,5", not a number (features must be numeric; list a column of text in data.categorical to one-hot encode it); Model Lab reads decimal points, not decimal commas: save the table with "." as the decimal separator`,
      };
    },
  },
  {
    name: 'a table whose columns are not separated by commas, semicolons or tabs',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20).replaceAll(',', '|'));
      return {
        expected: `${onSource(s, 'data.csv', 1)}the table needs at least one feature column and a target column, but its first line is one column: separate columns with commas, semicolons or tabs`,
      };
    },
  },
  {
    name: 'a data.columns entry that names no column',
    async setup(s) {
      s.writeExperiment((e) => (e.data.columns = ['a', 'weight']));
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('"weight"')}: error: ${s.path('data.csv')}:1: no column named "weight"; columns: a, b, label`,
      };
    },
  },
  {
    name: 'data.columns lists the target column',
    async setup(s) {
      s.writeExperiment((e) => (e.data.columns = ['a', 'label']));
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('"label"', 2)}: error: ${s.path('data.csv')}:1: data.columns lists the target column "label": the model would read what it predicts; leave it out`,
      };
    },
  },
  {
    name: 'data.categorical lists the target column',
    async setup(s) {
      s.writeExperiment((e) => (e.data.categorical = ['label']));
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('"label"', 2)}: error: ${s.path('data.csv')}:1: data.categorical lists the target column "label": its values are the classes already`,
      };
    },
  },
  {
    name: 'an empty cell in a categorical column',
    async setup(s) {
      s.writeExperiment((e) => (e.data.categorical = ['b']));
      s.write('data.csv', goodCsv(20).replace('\n4,3,even\n', '\n4,,even\n'));
      return {
        expected: `${onSource(s, 'data.csv', 6)}column "b" has no value (""): fill it in, or set data.missing to "drop" to leave such rows out or to "fill" to fill them from the training split`,
      };
    },
  },
  {
    name: 'data.missing "fill" of a column no training row has a value in',
    async setup(s) {
      s.writeExperiment((e) => (e.data.missing = 'fill'));
      s.write('data.csv', goodCsv(20).replace(/^(\d+),\d+,/gm, '$1,,'));
      return {
        expected: `${s.at('"fill"')}: error: ${s.path('data.csv')}: column "b" has no value in any training row, so data.missing "fill" has nothing to fill it with; leave the column out of data.columns`,
      };
    },
  },
  {
    name: 'a data.missing value that is none of the modes',
    async setup(s) {
      s.writeExperiment((e) => Object.assign(e.data, { missing: 'mean' }));
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('"mean"')}: error: data.missing must be one of "error", "drop", "fill"; got "mean"`,
      };
    },
  },
  {
    name: 'a CSV with a header and no rows',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', 'a,b,label\n');
      return { expected: `${onSource(s, 'data.csv', 2)}the CSV file has no data rows` };
    },
  },
  {
    name: 'a quoted cell that is never closed',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(4) + '5,"6,odd\n');
      return { expected: `${onSource(s, 'data.csv', 6)}a quoted cell is never closed` };
    },
  },
  {
    name: 'a target column that does not exist',
    async setup(s) {
      s.writeExperiment((e) => (e.data.target = 'class'));
      s.write('data.csv', goodCsv(20));
      return { expected: `${onSource(s, 'data.csv', 1)}no column named "class"; columns: a, b, label` };
    },
  },
  {
    name: 'a model output that does not match the classes',
    async setup(s) {
      s.writeExperiment((e) => (e.model.layers = [{ type: 'dense', units: 5 }]));
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('5')}: error: the model outputs [5] per example, but the data needs [2]: 2 classes (even, odd)`,
      };
    },
  },
  {
    name: 'an empty class folder (a phantom class before)',
    async setup(s) {
      imageFolder(s, { cat: 4, dog: 4, fox: 0 });
      return {
        expected: `${s.at('"images"')}: error: ${s.path('images/fox')}: the class folder "fox" holds no images: add images of that class or remove the folder`,
      };
    },
  },
  {
    name: 'an image folder with a single class',
    async setup(s) {
      imageFolder(s, { cat: 4 });
      return {
        expected: `${s.at('"images"')}: error: ${s.path('images')}: an image dataset needs one subfolder per class (at least two), each holding PNG or JPEG images`,
      };
    },
  },
  {
    name: 'an image that is a FIFO',
    async setup(s) {
      imageFolder(s, { cat: 4, dog: 4 });
      await makeFifo(s.path('images/dog/9.png'));
      return {
        expected: `${s.at('"images"')}: error: ${s.path('images/dog/9.png')}: not a regular file (a folder, pipe or device); remove it`,
      };
    },
  },
  {
    name: 'an image that is neither PNG nor JPEG',
    async setup(s) {
      imageFolder(s, { cat: 4, dog: 4 });
      s.write('images/dog/photo.webp', 'RIFF');
      return {
        expected: `${s.at('"images"')}: error: ${s.path('images/dog/photo.webp')}: only PNG and JPEG images are supported; convert or remove this file`,
      };
    },
  },
  {
    name: 'a damaged PNG',
    async setup(s) {
      imageFolder(
        s,
        { cat: 4, dog: 4 },
        (e) => (e.model.layers = [{ type: 'flatten' }, { type: 'dense', units: 7 }]),
      );
      s.write('images/dog/0.png', 'not a png');
      // Checked against the folder's listing first: the model is refused before any image is decoded.
      return {
        expected: `${s.at('7')}: error: the model outputs [7] per example, but the data needs [2]: 2 classes (cat, dog)`,
      };
    },
  },
  {
    name: 'a damaged JPEG',
    async setup(s) {
      imageFolder(s, { cat: 4, dog: 4 });
      s.write('images/cat/photo.jpg', 'not a jpeg');
      return {
        expected: `${s.at('"images"')}: error: ${s.path('images/cat/photo.jpg')}: not a readable image (Not a JPEG file: starts with 0x6e 0x6f)`,
      };
    },
  },
  {
    name: 'too few images for the splits',
    async setup(s) {
      imageFolder(s, { cat: 1, dog: 1 });
      return {
        expected: `${s.at('"images"')}: error: ${s.path('images')}: too few images for data.splits (train 0.5, validation 0.25, test 0.25): 2 in all leave the test split empty; add images or set that fraction to 0`,
      };
    },
  },
  {
    name: 'an empty text file',
    async setup(s) {
      textExperiment(s, '');
      return {
        expected: `${s.at('"corpus.txt"')}: error: ${s.path('corpus.txt')}: the text file is empty: a language model needs text to learn`,
      };
    },
  },
  {
    name: 'a text file that is not UTF-8',
    async setup(s) {
      textExperiment(s, Buffer.from([0x61, 0x62, 0x0a, 0x61, 0xff, 0x62]));
      return {
        expected: `${s.at('"corpus.txt"')}: error: ${s.path('corpus.txt')}:2: the data file is not valid UTF-8 text (byte 5 cannot be decoded); save it with UTF-8 encoding`,
      };
    },
  },
  {
    name: 'a text too short for its validation split',
    async setup(s) {
      textExperiment(s, 'ab'.repeat(20));
      return {
        expected: `${s.at('"corpus.txt"')}: error: ${s.path('corpus.txt')}: the validation part of the text has 4 characters, fewer than contextLength + 1 = 5: add text, raise data.splits.validation, or set it to 0`,
      };
    },
  },
  {
    name: 'a model too large for one ONNX file (0.9 G parameters grew past 6 GB before)',
    async setup(s) {
      s.writeExperiment(
        (e) =>
          (e.model.layers = [
            { type: 'dense', units: 30000 },
            { type: 'dense', units: 30000 },
            { type: 'dense', units: 2 },
          ]),
      );
      s.write('data.csv', goodCsv(20));
      return {
        expected: `${s.at('30000', 2)}: error: the model has 900,180,002 parameters, 3.6 GB of weights: more than the 2.1 GB one ONNX file can hold, so it could not be trained or saved as model.onnx; use fewer or smaller layers (layer 2 (dense) holds the most, 900,030,000)`,
      };
    },
  },
  {
    name: 'resume from a folder that does not exist',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      const missing = s.path('runs/none');
      return {
        args: trainArgs(s, '--resume', missing),
        expected: `Cannot resume ${missing}: the run folder does not exist.`,
      };
    },
  },
  {
    name: 'resume from a run without a checkpoint',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      const runDir = s.path('runs/earlier/run-0');
      mkdirSync(runDir, { recursive: true });
      return {
        args: trainArgs(s, '--resume', runDir),
        expected: `Cannot resume ${runDir}: it has no saved checkpoint (checkpoints/last); train anew instead.`,
      };
    },
  },
  {
    name: 'resume from a corrupt checkpoint.json ("has no saved checkpoint" before)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      const runDir = runToResume(s, (dir) => writeFileSync(`${dir}/checkpoint.json`, '{"format": 1, "posi'));
      return {
        args: trainArgs(s, '--resume', runDir),
        expected: `The checkpoint in ${runDir}/checkpoints/last is damaged: checkpoint.json is not valid JSON. Resume from another run, or train anew.`,
      };
    },
  },
  {
    name: 'resume from a checkpoint whose tensors are truncated',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      const runDir = runToResume(s, (dir) => writeFileSync(`${dir}/tensors-3.bin`, Buffer.alloc(6)));
      return {
        args: trainArgs(s, '--resume', runDir),
        expected: `The checkpoint in ${runDir}/checkpoints/last is damaged: tensors-3.bin holds 6 bytes, expected 16. Resume from another run, or train anew.`,
      };
    },
  },
  {
    name: 'resume from a checkpoint holding NaN weights (blamed on training before)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      const runDir = runToResume(s, (dir) =>
        writeFileSync(`${dir}/tensors-3.bin`, Buffer.from(new Float32Array([1, NaN, 3, 4]).buffer)),
      );
      return {
        args: trainArgs(s, '--resume', runDir),
        expected: `The checkpoint in ${runDir}/checkpoints/last is damaged: tensor "layer0.dense.weight" holds NaN at index 1. Resume from another run, or train anew.`,
      };
    },
  },
  {
    name: 'a read-only runs folder (ENOENT before)',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      mkdirSync(s.runsDir);
      chmodSync(s.dir, 0o755);
      chmodSync(s.runsDir, 0o555);
      return {
        asNobody: true,
        expected: `Cannot write the run folder ${s.runsDir}/${EXPERIMENT_NAME}: permission denied — make the folder writable or choose another runs folder.`,
      };
    },
  },
  {
    name: 'a runs folder that is a file',
    async setup(s) {
      s.writeExperiment();
      s.write('data.csv', goodCsv(20));
      writeFileSync(s.runsDir, 'not a folder');
      return {
        expected: `Cannot write the run folder ${s.runsDir}/${EXPERIMENT_NAME}: a file is in the way of the runs folder — move it or choose another runs folder.`,
      };
    },
  },
  {
    name: 'a flag value that is not a number',
    async setup(s) {
      return {
        args: trainArgs(s, '--max-steps', 'lots'),
        expected: `error: option '--max-steps <n>' argument 'lots' is invalid. expected a whole number ≥ 1.`,
      };
    },
  },
  {
    name: 'an unknown device',
    async setup(s) {
      return {
        args: ['train', s.experimentFile, '--device', 'gpu'],
        expected: `error: option '--device <device>' argument 'gpu' is invalid. Allowed choices are auto, cpu, webgpu, cuda.`,
      };
    },
  },
  {
    name: 'an unknown flag',
    async setup(s) {
      return { args: trainArgs(s, '--epochs', '3'), expected: `error: unknown option '--epochs'` };
    },
  },
  {
    name: 'no experiment argument',
    async setup() {
      return { args: ['train'], expected: `error: missing required argument 'experiment'` };
    },
  },
];

/**
 * stderr without the line a slow read of an image folder begins with: the CLI says it is reading
 * the images once that has lasted a second (cli/readingLines.ts), as it can on a loaded machine.
 */
const withoutReadingLine = (stderr: string) => stderr.replace(/^Reading the \d+ images of the data…\n/, '');

describe(
  'bad input at the command line: exit 2, the exact message, no stack trace, no run folder',
  { concurrency: 2 },
  () => {
    for (const badCase of CASES) {
      test(badCase.name, async () => {
        const s = scratch();
        const { expected, args, asNobody } = await badCase.setup(s);
        const result = await modelLab(args ?? trainArgs(s), asNobody ?? false);
        assert.equal(withoutReadingLine(result.stderr).trim(), expected);
        assert.equal(result.status, 2);
        assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
        const runFolders = existsSync(`${s.runsDir}/${EXPERIMENT_NAME}`)
          ? readdirSync(`${s.runsDir}/${EXPERIMENT_NAME}`)
          : [];
        assert.deepEqual(runFolders, [], 'no run folder is left');
      });
    }
  },
);

test('an experiment file that starts with a UTF-8 byte-order mark trains like the editor reads it', async () => {
  const s = scratch();
  s.writeExperiment();
  s.write('data.csv', goodCsv(20));
  // The editor hides a BOM and accepts the file, so Train must read it too.
  s.write(s.experimentFile, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(s.experimentFile)]));
  const result = await modelLab([...trainArgs(s), '--max-steps', '2'], false);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /Training finished after 2 steps\./);
  assert.equal(readdirSync(`${s.runsDir}/${EXPERIMENT_NAME}`).length, 1);
});
