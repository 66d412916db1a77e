/**
 * Reading an experiment file for a run: the text once, then every check
 * (data included) on its parsed tree, refusing with every error in
 * `file:line:col: error: message` form (the same lines the editor
 * underlines). Warnings do not stop training.
 */
import * as l10n from '@vscode/l10n';
import type { LoadDatasetFacts } from '../data/api';
import { readUserText } from '../data/userText';
import type { Experiment } from '../contract/experiment';
import { formatProblems, validateExperiment, type ParsedExperiment } from './validate';

export class ExperimentError extends Error {
  override readonly name = 'ExperimentError';
}

/** The file's text (BOM dropped, as the editor does), or an ExperimentError saying why it cannot be read. */
export async function readExperimentText(file: string): Promise<string> {
  const read = await readUserText(file, l10n.t('the experiment file'));
  if (read.ok) return read.text;
  throw new ExperimentError(
    read.line === undefined
      ? l10n.t('{0}: {1}', file, read.reason)
      : l10n.t('{0}:{1}: {2}', file, read.line, read.reason),
  );
}

/**
 * The experiment of `parsed` once it passes every check against its data;
 * otherwise an ExperimentError whose lines name `label` (the file, or where
 * a saved config came from). A loader that fails with something other than
 * a DataError is reported the same way: nothing has started yet.
 */
export async function validatedExperiment(
  parsed: ParsedExperiment,
  label: string,
  experimentDir: string,
  loadData: LoadDatasetFacts,
): Promise<Experiment> {
  let validation;
  try {
    validation = await validateExperiment(parsed, experimentDir, loadData);
  } catch (error) {
    throw new ExperimentError(
      l10n.t('{0}: {1}', label, error instanceof Error ? error.message : String(error)),
    );
  }
  const errors = validation.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0 || !validation.experiment) throw new ExperimentError(formatProblems(label, errors));
  return validation.experiment;
}
