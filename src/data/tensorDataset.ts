/**
 * A dataset held in memory as one row per example (tables, images, digits,
 * names): the split indices pick rows, batches copy them out contiguously.
 */
import * as l10n from '@vscode/l10n';
import type { InputEncoding } from '../contract/inputEncoding';
import type { InputKind } from '../contract/inputKind';
import type { LossName } from '../contract/experiment';
import type { BatchOptions, DataBatch, Dataset, TargetScaling, Vocabulary } from './api';
import type { Split } from '../contract/runStatus';
import { DataError } from './dataError';
import { copyRow, type ExampleValues } from './exampleRows';
import type { Rng } from './rng';
import type { SplitIndices } from './splits';

export interface ExampleTable {
  source: string;
  inputKind: InputKind;
  inputShape: number[];
  /** count × prod(inputShape) values, example-major (images: 8-bit pixels, exampleRows.ts). */
  x: ExampleValues;
  count: number;
  /** Classification: class id per example, naming `classes[id]`. */
  labels?: Int32Array;
  classes?: string[];
  /** Regression: count × targetWidth values. */
  targets?: Float32Array;
  targetWidth?: number;
  /** Regression targets scaled by the loader: how to map them back (see Dataset.targetScaling). */
  targetScaling?: TargetScaling;
  /** Feature scaling by the loader, per position of the last input axis (see Dataset.inputScaling). */
  inputScaling?: TargetScaling[];
  /** A table's numeric and one-hot encoded categorical columns (see Dataset.inputEncoding). */
  inputEncoding?: InputEncoding;
  /** See Dataset.notes. */
  notes?: string[];
  /** See Dataset.textPairs. */
  textPairs?: Dataset['textPairs'];
  /** See Dataset.typedTexts. */
  typedTexts?: Dataset['typedTexts'];
  /** See Dataset.labelsRead. */
  labelsRead?: Dataset['labelsRead'];
  vocab?: Vocabulary;
}

type TargetWriter = {
  width: number;
  kind: 'ids' | 'floats';
  write(row: number, out: Float32Array, at: number): void;
};

/** How one example's target is laid out in `y` for the chosen loss. */
function targetWriter(table: ExampleTable, loss: LossName): TargetWriter {
  const { labels, classes, targets, targetWidth } = table;
  if (targets && targetWidth) {
    return {
      width: targetWidth,
      kind: 'floats',
      write: (row, out, at) => out.set(targets.subarray(row * targetWidth, (row + 1) * targetWidth), at),
    };
  }
  if (!labels || !classes)
    throw new DataError(l10n.t('the dataset has neither labels nor targets'), table.source);
  if (loss === 'cross-entropy') return { width: 1, kind: 'ids', write: () => undefined };
  if (loss === 'bce-with-logits') {
    if (classes.length !== 2) {
      throw new DataError(
        l10n.t(
          'bce-with-logits needs exactly 2 classes, the data has {0}; use cross-entropy',
          classes.length,
        ),
        table.source,
      );
    }
    return { width: 1, kind: 'floats', write: (row, out, at) => (out[at] = labels[row]) };
  }
  // mse on classes: one-hot targets.
  return {
    width: classes.length,
    kind: 'floats',
    write: (row, out, at) => {
      out.fill(0, at, at + classes.length);
      out[at + labels[row]] = 1;
    },
  };
}

export function tensorDataset(table: ExampleTable, splits: SplitIndices, loss: LossName): Dataset {
  const rowSize = table.inputShape.reduce((a, b) => a * b, 1);
  const target = targetWriter(table, loss);

  function gather(rows: ArrayLike<number>, from: number, count: number): DataBatch {
    const x =
      table.x instanceof BigInt64Array
        ? new BigInt64Array(count * rowSize)
        : new Float32Array(count * rowSize);
    for (let i = 0; i < count; i++) copyRow(table.x, rows[from + i], rowSize, x, i * rowSize);
    if (target.kind === 'ids') {
      const y = new BigInt64Array(count);
      for (let i = 0; i < count; i++) y[i] = BigInt(table.labels![rows[from + i]]);
      return { x, y, count };
    }
    const y = new Float32Array(count * target.width);
    for (let i = 0; i < count; i++) target.write(rows[from + i], y, i * target.width);
    return { x, y, count };
  }

  return {
    source: table.source,
    inputKind: table.inputKind,
    inputShape: table.inputShape,
    outputShape: table.targets
      ? [table.targetWidth ?? 1]
      : [loss === 'bce-with-logits' ? 1 : table.classes!.length],
    classes: table.classes,
    vocab: table.vocab,
    targetScaling: table.targetScaling,
    inputScaling: table.inputScaling,
    inputEncoding: table.inputEncoding,
    notes: table.notes,
    ...(table.textPairs ? { textPairs: table.textPairs } : {}),
    ...(table.typedTexts ? { typedTexts: table.typedTexts } : {}),
    ...(table.labelsRead ? { labelsRead: table.labelsRead } : {}),
    sizes: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
    arrays: () => ({
      kind: 'rows',
      x: table.x,
      count: table.count,
      labels: table.labels,
      targets: table.targets,
      targetWidth: table.targetWidth,
      splits,
    }),
    *batches(split: Split, batchSize: number, rng: Rng, options?: BatchOptions): Iterable<DataBatch> {
      const rows =
        split !== 'train'
          ? splits[split]
          : options?.shuffle === false
            ? // File order: the split's rows were assigned by a seeded shuffle, so sort them back.
              Int32Array.from(splits.train).sort()
            : rng.shuffle(Array.from(splits.train));
      // Training drops the last partial batch: the train-step graph has a static batch size.
      const end = split === 'train' ? rows.length - (rows.length % batchSize) : rows.length;
      for (let from = 0; from < end; from += batchSize)
        yield gather(rows, from, Math.min(batchSize, end - from));
    },
  };
}
