/**
 * Train / validation / test assignment: a seeded shuffle of the example
 * indices, cut by the experiment's fractions. The same seed and fractions
 * always give the same split, whatever the training seed.
 */
import type { DataSection } from '../contract/experiment';
import type { Split } from '../contract/runStatus';
import { DataError } from './dataError';
import { createRng, shuffledIndices } from './rng';

export type SplitIndices = Record<Split, Int32Array>;

/** Example counts per split: train and validation rounded, test takes the rest. */
export function splitCounts(total: number, fractions: DataSection['splits']): Record<Split, number> {
  const train = Math.round(total * fractions.train);
  const validation = Math.min(total - train, Math.round(total * fractions.validation));
  return { train, validation, test: total - train - validation };
}

export function assignSplits(total: number, fractions: DataSection['splits'], seed: number): SplitIndices {
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
  fractions: DataSection['splits'],
  file: string,
  /** Singular, e.g. 'data row'. */
  noun: string,
): void {
  const total = splits.train.length + splits.validation.length + splits.test.length;
  const empty = (['train', 'validation', 'test'] as const).filter(
    (split) => fractions[split] > 0 && splits[split].length === 0,
  );
  if (empty.length === 0) return;
  throw new DataError(
    `too few ${noun}s for data.splits (train ${fractions.train}, validation ${fractions.validation}, test ${fractions.test}): ${total} in all leave${total === 1 ? 's' : ''} the ${empty.join(' and ')} split${empty.length > 1 ? 's' : ''} empty; add ${noun}s or set ${empty.length > 1 ? 'those fractions' : 'that fraction'} to 0`,
    file,
  );
}
