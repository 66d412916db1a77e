/**
 * Datasets that ship with Model Lab (files in `datasets/` at the package
 * root, bundled into the .vsix; sources and licences in datasets/README.md).
 * Referenced from an experiment as `"source": "builtin:<id>"`.
 */
import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Experiment } from '../contract/experiment';
import type { Dataset } from './api';
import { parseCsv } from './csv';
import { DataError } from './dataError';
import { assignSplits, fractionsOf } from './splits';
import { tensorDataset } from './tensorDataset';
import { textDataset } from './textDataset';
import { createVocabulary } from './vocabulary';

export interface BuiltinInfo {
  id: string;
  title: string;
  /** The task the data is labelled for. */
  task: Experiment['task'];
  description: string;
  file: string;
}

export const BUILTIN_DATASETS: readonly BuiltinInfo[] = [
  {
    id: 'digits',
    title: 'Handwritten digits 8×8 (UCI optdigits)',
    task: 'classification',
    description: '1,797 grayscale 8×8 images of the digits 0–9; input [1, 8, 8], values scaled to [0, 1].',
    file: 'digits.csv.gz',
  },
  {
    id: 'tiny-shakespeare',
    title: 'Tiny Shakespeare',
    task: 'language-model',
    description:
      '1,115,394 characters of Shakespeare plays (65 distinct characters) for character language models.',
    file: 'tinyshakespeare.txt.gz',
  },
  {
    id: 'names',
    title: 'English first names by gender',
    task: 'classification',
    description:
      '8,003 lower-case first names labelled female or male (names on both lists removed); input: character ids, left-padded to contextLength.',
    file: 'names.tsv.gz',
  },
];

export const BUILTIN_PREFIX = 'builtin:';

export function builtinInfo(source: string): BuiltinInfo | undefined {
  return BUILTIN_DATASETS.find((info) => `${BUILTIN_PREFIX}${info.id}` === source);
}

/** The `datasets/` folder: beside `dist/` in the package, or at the repository root in tests. */
export function datasetsFolder(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'datasets', 'digits.csv.gz'))) return join(dir, 'datasets');
    if (dirname(dir) === dir)
      throw new DataError(l10n.t('the built-in datasets folder is missing from the installation'));
  }
}

async function readGzip(file: string): Promise<string> {
  return gunzipSync(await readFile(join(datasetsFolder(), file))).toString('utf8');
}

export async function loadBuiltin(info: BuiltinInfo, experiment: Experiment): Promise<Dataset> {
  const source = `${BUILTIN_PREFIX}${info.id}`;
  const text = await readGzip(info.file);
  const { data, training } = experiment;
  switch (info.id) {
    case 'digits': {
      // 64 pixel counts (0–16) then the digit, one image per line.
      const records = parseCsv(text, info.file);
      const x = new Float32Array(records.length * 64);
      const labels = new Int32Array(records.length);
      records.forEach((record, r) => {
        for (let p = 0; p < 64; p++) x[r * 64 + p] = Number(record.cells[p]) / 16;
        labels[r] = Number(record.cells[64]);
      });
      const classes = Array.from({ length: 10 }, (_, digit) => String(digit));
      const table = { source, inputKind: 'float' as const, inputShape: [1, 8, 8], x, count: records.length };
      return tensorDataset(
        { ...table, labels, classes },
        assignSplits(records.length, fractionsOf(data), data.seed),
        training.loss,
      );
    }
    case 'tiny-shakespeare':
      return textDataset(source, text, data.contextLength ?? 64, fractionsOf(data));
    default:
      return namesDataset(source, text, experiment);
  }
}

/** Names as left-padded character ids (id 0 = padding), so the last character sits at the last step. */
function namesDataset(source: string, text: string, experiment: Experiment): Dataset {
  const rows = text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
  const T = experiment.data.contextLength ?? 16;
  const letters = [...new Set(rows.flatMap(([name]) => Array.from(name)))].sort();
  const vocab = createVocabulary(['', ...letters]);
  const classes = ['female', 'male'];
  const x = new BigInt64Array(rows.length * T);
  const labels = new Int32Array(rows.length);
  rows.forEach(([name, gender], r) => {
    // Longer names keep their last T characters: endings say most about a name.
    const ids = vocab.encode(name).slice(-T);
    x.set(ids, r * T + T - ids.length);
    labels[r] = classes.indexOf(gender);
  });
  const splits = assignSplits(rows.length, fractionsOf(experiment.data), experiment.data.seed);
  return tensorDataset(
    { source, inputKind: 'tokens', inputShape: [T], x, count: rows.length, labels, classes, vocab },
    splits,
    experiment.training.loss,
  );
}
