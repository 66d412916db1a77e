/**
 * Text a person types, read as a character classifier reads its data (the names dataset):
 * character ids left-padded with the padding id 0 to the model's length, longer text keeping
 * its last characters (data/builtins.ts does the same to the names it trains on).
 */
import * as l10n from '@vscode/l10n';
import type { Dataset, Vocabulary } from '../data/api';

export interface TypedCharacters {
  /** Character ids, left-padded with 0 to the model's length. */
  readonly ids: BigInt64Array;
  /** Typed characters the vocabulary does not have (nor their lower case), left out. */
  readonly ignored: string;
}

/** The vocabulary of a model that classifies typed characters, or undefined for any other model. */
export function typedCharacterVocabulary(dataset: Dataset, task: string): Vocabulary | undefined {
  const vocab = dataset.vocab;
  const padded = vocab?.tokens[0] === '';
  return task === 'classification' && dataset.inputKind === 'tokens' && padded ? vocab : undefined;
}

export function readTypedCharacters(vocab: Vocabulary, text: string, length: number): TypedCharacters {
  const known = new Set(vocab.tokens.filter((t) => t !== ''));
  let kept = '';
  let ignored = '';
  for (const char of text) {
    if (known.has(char)) kept += char;
    else if (known.has(char.toLowerCase())) kept += char.toLowerCase();
    else if (char.trim() !== '') ignored += char;
  }
  if (kept === '')
    throw new Error(l10n.t('Type at least one character the model knows: {0}', [...known].join('')));
  return { ids: leftPadded(vocab.encode(kept).slice(-length), length), ignored };
}

/** `ids` at the end of a `length`-long sequence of padding (id 0). */
export function leftPadded(ids: BigInt64Array, length: number): BigInt64Array {
  const out = new BigInt64Array(length);
  out.set(ids, length - ids.length);
  return out;
}
