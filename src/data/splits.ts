/**
 * Train / validation / test assignment: a seeded shuffle of the example
 * indices, cut by the experiment's fractions. The same seed and fractions
 * always give the same split, whatever the training seed.
 */
import type { DataSection } from '../contract/experiment';
import type { Split } from '../contract/runStatus';
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
