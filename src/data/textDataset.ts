/**
 * Character language model over one text: the text is cut into three
 * contiguous stretches (train, validation, test — in that order, so no
 * window straddles two splits), and each example is a window of
 * contextLength + 1 characters: x = the first T, y = the next-character ids.
 */
import * as l10n from '@vscode/l10n';
import type { BatchOptions, DataBatch, Dataset } from './api';
import type { Split } from '../contract/runStatus';
import { DataError } from './dataError';
import type { Rng } from './rng';
import type { SplitFractions } from '../contract/experiment';
import { charactersOf, createVocabulary } from './vocabulary';

export function textDataset(
  source: string,
  text: string,
  contextLength: number,
  fractions: SplitFractions,
  file: string = source,
): Dataset {
  const chars = Array.from(text);
  if (chars.length === 0)
    throw new DataError(l10n.t('the text file is empty: a language model needs text to learn'), file);
  const T = contextLength;
  const trainEnd = Math.round(chars.length * fractions.train);
  const validationEnd = trainEnd + Math.round(chars.length * fractions.validation);
  const stretches: Record<Split, [number, number]> = {
    train: [0, trainEnd],
    validation: [trainEnd, Math.min(validationEnd, chars.length)],
    test: [Math.min(validationEnd, chars.length), chars.length],
  };
  const windows = windowCounter(stretches, T);
  // No training part at all is fine where the text is only scored ("Evaluate on data…").
  if (fractions.train > 0 && windows('train') === 0) {
    throw new DataError(
      l10n.t(
        'the training part of the text has {0} characters, fewer than contextLength + 1 = {1}',
        trainEnd,
        T + 1,
      ),
      file,
    );
  }
  for (const split of ['validation', 'test'] as const) {
    if (fractions[split] > 0 && windows(split) === 0) {
      const [start, end] = stretches[split];
      throw new DataError(
        l10n.t(
          'the {0} part of the text has {1} characters, fewer than contextLength + 1 = {2}: add text, raise data.splits.{0}, or set it to 0',
          split,
          end - start,
          T + 1,
        ),
        file,
      );
    }
  }

  return textWindows(source, text, T, stretches);
}

/**
 * Split files as text files: each split's own text, its windows that split. The vocabulary is
 * the characters of all of them, so every split's characters have ids.
 */
export function textSplitsDataset(
  source: string,
  parts: { split: Split; text: string; file: string }[],
  contextLength: number,
): Dataset {
  const stretches: Record<Split, [number, number]> = { train: [0, 0], validation: [0, 0], test: [0, 0] };
  let end = 0;
  for (const part of parts) {
    const length = Array.from(part.text).length;
    stretches[part.split] = [end, end + length];
    end += length;
    if (Math.floor((length - 1) / contextLength) === 0)
      throw new DataError(
        l10n.t(
          'the {0} text has {1} characters, fewer than contextLength + 1 = {2}: add text, or lower data.contextLength',
          part.split,
          length,
          contextLength + 1,
        ),
        part.file,
      );
  }
  return textWindows(source, parts.map((part) => part.text).join(''), contextLength, stretches);
}

const windowCounter =
  (stretches: Record<Split, [number, number]>, T: number) =>
  (split: Split): number => {
    const [start, end] = stretches[split];
    return Math.max(0, Math.floor((end - start - 1) / T));
  };

/** Windows of T + 1 characters within each split's stretch of `text` (no window straddles two). */
function textWindows(
  source: string,
  text: string,
  T: number,
  stretches: Record<Split, [number, number]>,
): Dataset {
  const vocab = createVocabulary(charactersOf(text));
  // Plain numbers here: BigInt conversions of a million characters would cost seconds.
  const idOf = new Map(vocab.tokens.map((token, id) => [token, id]));
  const ids = Int32Array.from(text, (char) => idOf.get(char)!);
  const windows = windowCounter(stretches, T);

  function batchAt(starts: number[]): DataBatch {
    const x = new BigInt64Array(starts.length * T);
    const y = new BigInt64Array(starts.length * T);
    starts.forEach((start, b) => {
      for (let t = 0; t < T; t++) {
        x[b * T + t] = BigInt(ids[start + t]);
        y[b * T + t] = BigInt(ids[start + t + 1]);
      }
    });
    return { x, y, count: starts.length };
  }

  return {
    source,
    inputKind: 'tokens',
    inputShape: [T],
    outputShape: [T, vocab.tokens.length],
    vocab,
    sizes: { train: windows('train'), validation: windows('validation'), test: windows('test') },
    arrays: () => ({ kind: 'text', ids, contextLength: T, stretches }),
    *batches(split: Split, batchSize: number, rng: Rng, options?: BatchOptions): Iterable<DataBatch> {
      const [start, end] = stretches[split];
      if (split === 'train') {
        // Random windows anywhere in the training text; only full batches (static batch size).
        const count = options?.maxBatches ?? Math.floor(windows('train') / batchSize);
        const lastStart = end - T - 1;
        for (let k = 0; k < count; k++) {
          yield batchAt(Array.from({ length: batchSize }, () => start + rng.int(lastStart - start + 1)));
        }
        return;
      }
      // Evaluation: consecutive non-overlapping windows, every one once; the last batch may be partial.
      const total = windows(split);
      for (let from = 0; from < total; from += batchSize) {
        const n = Math.min(batchSize, total - from);
        yield batchAt(Array.from({ length: n }, (_, i) => start + (from + i) * T));
      }
    },
  };
}
