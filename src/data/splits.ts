/**
 * Train / validation / test assignment: a seeded shuffle of the example
 * indices, cut by the experiment's fractions. The same seed and fractions
 * always give the same split, whatever the training seed.
 */
import * as l10n from '@vscode/l10n';
import type { DataSection, SplitFractions } from '../contract/experiment';
import type { Split } from '../contract/runStatus';
import { DataError } from './dataError';
import { createRng, shuffledIndices } from './rng';

export type SplitIndices = Record<Split, Int32Array>;

/** Example counts per split: train and validation rounded, test takes the rest. */
export function splitCounts(total: number, fractions: SplitFractions): Record<Split, number> {
  const train = Math.round(total * fractions.train);
  const validation = Math.min(total - train, Math.round(total * fractions.validation));
  return { train, validation, test: total - train - validation };
}

export function assignSplits(total: number, fractions: SplitFractions, seed: number): SplitIndices {
  const order = shuffledIndices(total, createRng(seed));
  const counts = splitCounts(total, fractions);
  const trainEnd = counts.train;
  const validationEnd = trainEnd + counts.validation;
  return {
    train: Int32Array.from(order.slice(0, trainEnd)),
    validation: Int32Array.from(order.slice(trainEnd, validationEnd)),
    test: Int32Array.from(order.slice(validationEnd)),
  };
}

/**
 * Every split the experiment gives a share must get at least one example:
 * otherwise a one-row file "trains" and a validation or test score is made
 * up from nothing.
 */
export function refuseEmptySplits(
  splits: SplitIndices,
  fractions: SplitFractions,
  file: string,
  /** What the file holds: data rows (a table) or images (a folder). */
  kind: 'rows' | 'images',
): void {
  const total = splits.train.length + splits.validation.length + splits.test.length;
  const empty = (['train', 'validation', 'test'] as const).filter(
    (split) => fractions[split] > 0 && splits[split].length === 0,
  );
  if (empty.length === 0) return;
  const nouns = kind === 'rows' ? l10n.t('data rows') : l10n.t('images');
  const names = empty.join(l10n.t(' and '));
  const left =
    empty.length > 1
      ? total === 1
        ? l10n.t('1 in all leaves the {0} splits empty', names)
        : l10n.t('{0} in all leave the {1} splits empty', total, names)
      : total === 1
        ? l10n.t('1 in all leaves the {0} split empty', names)
        : l10n.t('{0} in all leave the {1} split empty', total, names);
  const fix =
    empty.length > 1
      ? l10n.t('add {0} or set those fractions to 0', nouns)
      : l10n.t('add {0} or set that fraction to 0', nouns);
  throw new DataError(
    l10n.t(
      'too few {0} for data.splits (train {1}, validation {2}, test {3}): {4}; {5}',
      nouns,
      fractions.train,
      fractions.validation,
      fractions.test,
      left,
      fix,
    ),
    file,
  );
}

/** The fractions of a single source (the schema requires them there; split files have none). */
export function fractionsOf(data: DataSection): SplitFractions {
  if (!data.splits) throw new DataError(l10n.t('{0} is missing "{1}"', 'data', 'splits'));
  return data.splits;
}

/** Split files: each file's rows, in the order given, are its split. */
export function contiguousSplits(counts: Record<Split, number>): SplitIndices {
  const range = (start: number, n: number) => Int32Array.from({ length: n }, (_, i) => start + i);
  return {
    train: range(0, counts.train),
    validation: range(counts.train, counts.validation),
    test: range(counts.train + counts.validation, counts.test),
  };
}
