/**
 * Language model over one text: the text is cut into three contiguous stretches (train,
 * validation, test — in that order, so no window straddles two splits), and each example is a
 * window of contextLength + 1 ids: x = the first T, y = the next ids. The ids are the text's
 * characters (a vocabulary of its own), or with `data.tokenizer` an imported model's own
 * tokenizer's tokens (textTokenizer.ts), the stretches then counted in tokens.
 */
import * as l10n from '@vscode/l10n';
import type { BatchOptions, DataBatch, Dataset, Vocabulary } from './api';
import type { Split } from '../contract/runStatus';
import { DataError } from './dataError';
import type { Rng } from './rng';
import type { SplitFractions } from '../contract/experiment';
import { refuseUnknownIds, type TextTokenizer } from './textTokenizer';
import { charactersOf, createVocabulary } from './vocabulary';

/** An imported model's tokenizer and how many token ids the model knows. */
export interface ModelTokenizer {
  tokenizer: TextTokenizer;
  modelTokens: number;
}

/** A text as ids, with the vocabulary they index. */
interface TextIds {
  ids: Int32Array;
  vocab: Vocabulary;
}

/** The text's ids by the model's tokenizer; an id the model does not know is refused on data.tokenizer. */
function tokenizerIds(text: string, { tokenizer, modelTokens }: ModelTokenizer, file: string): Int32Array {
  const ids = Int32Array.from(tokenizer.textIds(text));
  refuseUnknownIds(tokenizer, ids, modelTokens, { file });
  return ids;
}

/** Texts as one run of ids and the length of each in ids: characters of all of them, or the tokenizer's. */
function joinedIds(
  parts: { text: string; file: string }[],
  modelTokenizer: ModelTokenizer | undefined,
): TextIds & { lengths: number[] } {
  if (!modelTokenizer) {
    const text = parts.map((part) => part.text).join('');
    const vocab = createVocabulary(charactersOf(text));
    // Plain numbers here: BigInt conversions of a million characters would cost seconds.
    const idOf = new Map(vocab.tokens.map((token, id) => [token, id]));
    const ids = Int32Array.from(text, (char) => idOf.get(char)!);
    return { ids, vocab, lengths: parts.map((part) => Array.from(part.text).length) };
  }
  const each = parts.map((part) => tokenizerIds(part.text, modelTokenizer, part.file));
  const ids = new Int32Array(each.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of each) {
    ids.set(part, at);
    at += part.length;
  }
  const vocab = modelTokenizer.tokenizer.vocabulary(modelTokenizer.modelTokens);
  return { ids, vocab, lengths: each.map((part) => part.length) };
}

/** A split's part of the text, too short for one window, in characters or tokens. */
function tooShort(
  kind: 'whole' | 'part' | 'file',
  split: Split,
  count: number,
  T: number,
  tokens: boolean,
): string {
  if (kind === 'file')
    return tokens
      ? l10n.t(
          'the {0} text has {1} tokens, fewer than contextLength + 1 = {2}: add text, or lower data.contextLength',
          split,
          count,
          T + 1,
        )
      : l10n.t(
          'the {0} text has {1} characters, fewer than contextLength + 1 = {2}: add text, or lower data.contextLength',
          split,
          count,
          T + 1,
        );
  if (kind === 'whole')
    return tokens
      ? l10n.t(
          'the training part of the text has {0} tokens, fewer than contextLength + 1 = {1}',
          count,
          T + 1,
        )
      : l10n.t(
          'the training part of the text has {0} characters, fewer than contextLength + 1 = {1}',
          count,
          T + 1,
        );
  return tokens
    ? l10n.t(
        'the {0} part of the text has {1} tokens, fewer than contextLength + 1 = {2}: add text, raise data.splits.{0}, or set it to 0',
        split,
        count,
        T + 1,
      )
    : l10n.t(
        'the {0} part of the text has {1} characters, fewer than contextLength + 1 = {2}: add text, raise data.splits.{0}, or set it to 0',
        split,
        count,
        T + 1,
      );
}

export function textDataset(
  source: string,
  text: string,
  contextLength: number,
  fractions: SplitFractions,
  file: string = source,
  modelTokenizer?: ModelTokenizer,
): Dataset {
  if (text.length === 0)
    throw new DataError(l10n.t('the text file is empty: a language model needs text to learn'), file);
  const { ids, vocab } = joinedIds([{ text, file }], modelTokenizer);
  const tokens = modelTokenizer !== undefined;
  const T = contextLength;
  const trainEnd = Math.round(ids.length * fractions.train);
  const validationEnd = trainEnd + Math.round(ids.length * fractions.validation);
  const stretches: Record<Split, [number, number]> = {
    train: [0, trainEnd],
    validation: [trainEnd, Math.min(validationEnd, ids.length)],
    test: [Math.min(validationEnd, ids.length), ids.length],
  };
  const windows = windowCounter(stretches, T);
  // No training part at all is fine where the text is only scored ("Evaluate on data…").
  if (fractions.train > 0 && windows('train') === 0)
    throw new DataError(tooShort('whole', 'train', trainEnd, T, tokens), file);
  for (const split of ['validation', 'test'] as const) {
    if (fractions[split] > 0 && windows(split) === 0) {
      const [start, end] = stretches[split];
      throw new DataError(tooShort('part', split, end - start, T, tokens), file);
    }
  }
  return textWindows(source, ids, vocab, T, stretches);
}

/**
 * Split files as text files: each split's own text, its windows that split. The vocabulary is
 * the characters of all of them, so every split's characters have ids (or the model's tokenizer).
 */
export function textSplitsDataset(
  source: string,
  parts: { split: Split; text: string; file: string }[],
  contextLength: number,
  modelTokenizer?: ModelTokenizer,
): Dataset {
  const { ids, vocab, lengths } = joinedIds(parts, modelTokenizer);
  const stretches: Record<Split, [number, number]> = { train: [0, 0], validation: [0, 0], test: [0, 0] };
  let end = 0;
  parts.forEach((part, i) => {
    const length = lengths[i];
    stretches[part.split] = [end, end + length];
    end += length;
    if (Math.floor((length - 1) / contextLength) === 0)
      throw new DataError(
        tooShort('file', part.split, length, contextLength, modelTokenizer !== undefined),
        part.file,
      );
  });
  return textWindows(source, ids, vocab, contextLength, stretches);
}

const windowCounter =
  (stretches: Record<Split, [number, number]>, T: number) =>
  (split: Split): number => {
    const [start, end] = stretches[split];
    return Math.max(0, Math.floor((end - start - 1) / T));
  };

/** Windows of T + 1 ids within each split's stretch of `ids` (no window straddles two). */
function textWindows(
  source: string,
  ids: Int32Array,
  vocab: Vocabulary,
  T: number,
  stretches: Record<Split, [number, number]>,
): Dataset {
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
