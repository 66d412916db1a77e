/** Picks the loader for an experiment's `data.source`. */
import * as l10n from '@vscode/l10n';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { isSplitFiles, sourceLabel, type Experiment, type SplitFiles } from '../contract/experiment';
import type { Split } from '../contract/runStatus';
import { shapedExperiment, type ShapedExperiment } from './importedModel';
import { resolveSource } from './resolveSource';
import {
  FACT_KEYS,
  type Dataset,
  type DatasetFacts,
  type LoadDatasetFacts,
  type LoadDepth,
  type LoadOptions,
} from './api';
import { BUILTIN_DATASETS, BUILTIN_PREFIX, builtinInfo, loadBuiltin } from './builtins';
import { isTableFile } from './csv';
import { csvDataset, csvTable, type CsvFile } from './csvDataset';
import { DataError } from './dataError';
import { imageFolderDataset, imageFolderSplits } from './imageFolder';
import { seriesDataset } from './seriesDataset';
import { fractionsOf } from './splits';
import { textDataset, textSplitsDataset, type ModelTokenizer } from './textDataset';
import { loadTextTokenizer } from './textTokenizer';
import { readUserText } from './userText';

export { resolveSource };

export async function loadDataset(
  experiment: Experiment,
  experimentDir: string,
  options: LoadOptions = {},
): Promise<Dataset> {
  return load(experiment, experimentDir, { ...options, pixels: true });
}

/**
 * What validation checks an experiment against, as `loadDataset` gives it, but an image folder's
 * images are listed, not decoded: the editor validates on every edit and before each run, and
 * decoding thousands of photos there would hold their pixels in the editor's memory and its CPU
 * for minutes. The training process decodes them (and names a file it cannot read) as it starts.
 */
export async function loadDatasetFacts(experiment: Experiment, experimentDir: string): Promise<DatasetFacts> {
  return factsOf(await load(experiment, experimentDir, { pixels: false }));
}

/**
 * For a check before the data is read in full (the CLI's, before it trains): an image folder's
 * facts, listed and not decoded, so a wrong model is refused without waiting for its images; any
 * other data's facts are its whole load, so they come from `load`, which the run then reads again
 * from its cache.
 */
export async function factsBeforeDecoding(
  experiment: Experiment,
  experimentDir: string,
  load: LoadDatasetFacts,
): Promise<DatasetFacts> {
  return (await readsImageFolders(experiment, experimentDir))
    ? loadDatasetFacts(experiment, experimentDir)
    : load(experiment, experimentDir);
}

/** Whether every source is a folder: an image folder, as `loadBySource` reads a folder. */
async function readsImageFolders(experiment: Experiment, experimentDir: string): Promise<boolean> {
  const { source } = experiment.data;
  const files = isSplitFiles(source) ? Object.values(source) : [source];
  const folders = await Promise.all(
    files.map(async (file) =>
      typeof file === 'string' && !file.startsWith(BUILTIN_PREFIX)
        ? (await stat(resolveSource(file, experimentDir)).catch(() => undefined))?.isDirectory() === true
        : false,
    ),
  );
  return folders.every(Boolean);
}

/** The facts alone: whoever caches them (the editor) does not keep a table's or a text's arrays alive. */
function factsOf(dataset: Dataset): DatasetFacts {
  return Object.fromEntries(FACT_KEYS.map((key) => [key, dataset[key]])) as DatasetFacts;
}

async function load(experiment: Experiment, experimentDir: string, depth: LoadDepth): Promise<Dataset> {
  const shaped = await withTokenizer(shapedExperiment(experiment, experimentDir), experimentDir);
  const dataset = await loadBySource(shaped, experimentDir, depth);
  return adoptInputShape(dataset, shaped.model.input.shape);
}

/**
 * The experiment with `data.tokenizer` read; it reads tables of texts, and a language model's
 * text files, so other sources are refused.
 */
async function withTokenizer(experiment: ShapedExperiment, experimentDir: string): Promise<ShapedExperiment> {
  const { tokenizer, source } = experiment.data;
  if (tokenizer === undefined) return experiment;
  const files = isSplitFiles(source) ? Object.values(source) : [source];
  const languageModel = experiment.task === 'language-model';
  const readable = (file: string | undefined) =>
    file !== undefined && (languageModel ? extname(file).toLowerCase() === '.txt' : isTableFile(file));
  if (!files.every(readable))
    throw new DataError(
      languageModel
        ? l10n.t(
            "data.tokenizer turns a language model's .txt text into token ids, and {0} is not one",
            sourceLabel(source),
          )
        : l10n.t(
            'data.tokenizer turns the text column of a .csv or .tsv table into token ids, and {0} is not one',
            sourceLabel(source),
          ),
      undefined,
      undefined,
      ['data', 'tokenizer'],
    );
  if (experiment.tokenIds === undefined)
    throw new DataError(
      l10n.t('data.tokenizer gives token ids, but the model does not read token ids'),
      undefined,
      undefined,
      ['data', 'tokenizer'],
    );
  const textTokenizer = await loadTextTokenizer(resolveSource(tokenizer, experimentDir), tokenizer);
  return { ...experiment, textTokenizer };
}

async function loadBySource(
  experiment: ShapedExperiment,
  experimentDir: string,
  depth: LoadDepth,
): Promise<Dataset> {
  const source = experiment.data.source;
  if (isSplitFiles(source)) return loadSplitFiles(source, experiment, experimentDir, depth);
  if (source.startsWith(BUILTIN_PREFIX)) {
    const info = builtinInfo(source);
    if (!info) {
      const known = BUILTIN_DATASETS.map((b) => `${BUILTIN_PREFIX}${b.id}`).join(', ');
      throw new DataError(l10n.t('unknown built-in dataset "{0}"; built-ins: {1}', source, known));
    }
    return loadBuiltin(info, experiment);
  }
  const path = resolveSource(source, experimentDir);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new DataError(l10n.t('the data file or folder does not exist'), path);
  if (info.isDirectory()) return imageFolderDataset(source, path, experiment, depth);
  const extension = extname(path).toLowerCase();
  if (isTableFile(path)) {
    const read = experiment.data.format === 'series' ? seriesDataset : csvDataset;
    return read(source, await readDataText(path), path, experiment);
  }
  if (extension === '.txt') {
    return textDataset(
      source,
      await readDataText(path),
      experiment.data.contextLength ?? 64,
      fractionsOf(experiment.data),
      path,
      modelTokenizerOf(experiment),
    );
  }
  throw new DataError(
    l10n.t('unsupported data source: use a .csv or .tsv table, a .txt text or a folder of images by class'),
    path,
  );
}

/**
 * One source per split, all of one kind: CSV tables, text files or folders of images by class
 * (each must exist; validation says so first, on its field).
 */
async function loadSplitFiles(
  source: SplitFiles,
  experiment: ShapedExperiment,
  experimentDir: string,
  depth: LoadDepth,
): Promise<Dataset> {
  const parts: { split: Split; path: string; kind: string }[] = [];
  for (const split of ['train', 'validation', 'test'] as const) {
    const name = source[split];
    if (name === undefined) continue;
    const path = resolveSource(name, experimentDir);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new DataError(l10n.t('the data file or folder does not exist'), path);
    // A .tsv and a .csv are the same kind: both are tables.
    const kind = info.isDirectory() ? 'folder' : isTableFile(path) ? '.csv' : extname(path).toLowerCase();
    parts.push({ split, path, kind });
  }
  const kind = parts[0].kind;
  const other = parts.find((part) => part.kind !== kind);
  if (other)
    throw new DataError(
      l10n.t('the split sources are all CSV tables, all text files or all image folders, not a mix'),
      other.path,
    );
  const label = sourceLabel(source);
  if (kind === 'folder')
    return imageFolderSplits(
      label,
      parts.map(({ split, path }) => ({ split, folder: path })),
      experiment,
      depth,
    );
  if (kind !== '.txt' && !isTableFile(kind))
    throw new DataError(
      l10n.t('unsupported data source: use a .csv or .tsv table, a .txt text or a folder of images by class'),
      parts[0].path,
    );
  const files: (CsvFile & { split: Split })[] = [];
  for (const { split, path } of parts) files.push({ split, file: path, text: await readDataText(path) });
  if (kind === '.txt')
    return textSplitsDataset(label, files, experiment.data.contextLength ?? 64, modelTokenizerOf(experiment));
  return csvTable(label, files, experiment);
}

/** A language model's text read by the imported model's own tokenizer (`data.tokenizer`), if it has one. */
function modelTokenizerOf({ textTokenizer, tokenIds }: ShapedExperiment): ModelTokenizer | undefined {
  return textTokenizer && tokenIds !== undefined
    ? { tokenizer: textTokenizer, modelTokens: tokenIds }
    : undefined;
}

async function readDataText(path: string): Promise<string> {
  const read = await readUserText(path, l10n.t('the data file'));
  if (read.ok) return read.text;
  throw new DataError(read.reason, path, read.line);
}

/**
 * A float dataset may be viewed in any shape with the same number of values
 * (e.g. the 8×8 digits as [64] for an MLP): the memory layout is unchanged.
 */
function adoptInputShape(dataset: Dataset, shape: number[]): Dataset {
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  if (dataset.inputKind !== 'float' || shape.length === 0 || size(shape) !== size(dataset.inputShape))
    return dataset;
  return { ...dataset, inputShape: shape };
}
