/**
 * Reads an experiment file for training: parse, validate, and refuse with
 * every error in `file:line:col: error: message` form (the same lines the
 * editor underlines). Warnings do not stop training.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Dataset } from '../data/api';
import type { Experiment } from '../experiment/types';
import { formatProblems, validateExperiment, validateExperimentText } from '../experiment/validate';

export class ExperimentError extends Error {
  override readonly name = 'ExperimentError';
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExperimentError(
      code === 'ENOENT' ? `${file}: the experiment file does not exist` : `${file}: ${String(error)}`,
    );
  }
}

/**
 * With `loadData`, the model is also checked against the loaded dataset (the
 * training process); without, only what the text and file system tell (the
 * editor host, which must stay quick).
 */
export async function readExperimentFile(
  file: string,
  loadData?: (experiment: Experiment, dir: string) => Promise<Dataset>,
): Promise<Experiment> {
  const text = await readText(file);
  const { problems, experiment } = validateExperimentText(text, dirname(file));
  const all = loadData && experiment ? await validateExperiment(text, file, loadData) : problems;
  const errors = all.filter((problem) => problem.severity === 'error');
  if (errors.length > 0 || !experiment) throw new ExperimentError(formatProblems(file, errors));
  return experiment;
}
