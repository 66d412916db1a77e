/**
 * Numeric time series from a CSV file: one row per time step, one or more
 * numeric columns. Each example is a window of `steps` consecutive rows
 * ([steps, features], features from `data.columns`), and its target is the
 * next row's `data.target` value (regression).
 *
 * Windows are split chronologically, never shuffled across the boundary:
 * the first `splits.train` fraction of windows trains, the next ones
 * validate, the last ones test. A window belongs to the split of its target
 * row, so no validation or test target ever appears inside a training window
 * (validation windows may look back at training rows, as a forecast would).
 * Only training windows are shuffled, among themselves. Scaling is fitted on
 * the rows the training windows cover, and the target is scaled with its
 * column's training statistics (so the training loss is in those units);
 * the dataset exposes that scaling so evaluation reports errors in the
 * data's own units.
 */
import * as l10n from '@vscode/l10n';
import type { ShapedExperiment } from './importedModel';
import type { Dataset } from './api';
import { normalize, numericColumns, readCsvRows, resolveColumns, resolveTarget } from './csvDataset';
import { DataError } from './dataError';
import { contiguousSplits, fractionsOf, splitCounts } from './splits';
import { tensorDataset } from './tensorDataset';

export function seriesDataset(
  source: string,
  text: string,
  file: string,
  experiment: ShapedExperiment,
): Dataset {
  const { data, model } = experiment;
  const steps = model.input.shape[0];
  if (!Number.isInteger(steps) || steps < 1) {
    throw new DataError(
      l10n.t('a series needs model.input.shape [steps, features]; steps is {0}', steps),
      file,
    );
  }
  const { names, records, width } = readCsvRows(text, file, data.header ?? true);
  const targetColumn = resolveTarget(data.target, names, width, file);
  const featureColumns = data.columns
    ? resolveColumns(data.columns, names, width, file)
    : [...Array(width).keys()];
  // Every column used is scaled together: the features, then the target as the last one.
  const used = [...featureColumns, targetColumn];
  const rows = records.length;
  const values = numericColumns(records, used, names, file, l10n.t('a series must be numeric'));
  const windows = rows - steps;
  if (windows < 1) {
    throw new DataError(
      l10n.t(
        'the series has {0} rows, too few for one window of {1} steps plus the row it predicts (needs at least {2}; lower model.input.shape[0] or add rows)',
        rows,
        steps,
        steps + 1,
      ),
      file,
      records[rows - 1].line,
    );
  }

  const counts = splitCounts(windows, fractionsOf(data));
  const range = (from: number, count: number): Int32Array =>
    Int32Array.from({ length: count }, (_, i) => from + i);
  const splits = contiguousSplits(counts);
  // Training windows cover rows 0 .. train + steps - 1 (inputs and targets); statistics come from those only.
  const trainRows = counts.train > 0 ? range(0, counts.train + steps) : new Int32Array(0);
  const scalings = normalize(
    values,
    used.length,
    { ...splits, train: trainRows },
    data.normalize ?? 'standard',
  );

  const features = featureColumns.length;
  const x = new Float32Array(windows * steps * features);
  const targets = new Float32Array(windows);
  for (let w = 0; w < windows; w++) {
    for (let t = 0; t < steps; t++) {
      for (let f = 0; f < features; f++) {
        x[(w * steps + t) * features + f] = values[(w + t) * used.length + f];
      }
    }
    targets[w] = values[(w + steps) * used.length + features];
  }
  return tensorDataset(
    {
      source,
      inputKind: 'float',
      inputShape: [steps, features],
      x,
      count: windows,
      targets,
      targetWidth: 1,
      targetScaling: scalings[features],
      inputScaling: (data.normalize ?? 'standard') === 'none' ? undefined : scalings.slice(0, features),
    },
    splits,
    experiment.training.loss,
  );
}
