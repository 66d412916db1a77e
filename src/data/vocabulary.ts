/** Character vocabularies for language models and token-sequence tasks. */
import * as l10n from '@vscode/l10n';
import type { Vocabulary } from './api';
import { DataError } from './dataError';

/**
 * `tokens[i]` is the character with id i. A leading '' token is a padding id
 * (sequence classification left-pads short sequences with it); it decodes to
 * nothing and no character encodes to it.
 */
export function createVocabulary(tokens: string[]): Vocabulary {
  const ids = new Map<string, number>();
  tokens.forEach((token, id) => {
    if (token !== '') ids.set(token, id);
  });
  const vocabulary: Vocabulary = {
    tokens,
    encodeKnown: (text) =>
      vocabulary.encode(
        Array.from(text)
          .filter((char) => ids.has(char))
          .join(''),
      ),
    encode(text: string): BigInt64Array {
      const chars = Array.from(text);
      const out = new BigInt64Array(chars.length);
      chars.forEach((char, i) => {
        const id = ids.get(char);
        if (id === undefined) {
          throw new DataError(
            l10n.t('the character {0} is not in the vocabulary of this dataset', JSON.stringify(char)),
          );
        }
        out[i] = BigInt(id);
      });
      return out;
    },
    decode(idList: ArrayLike<number | bigint>): string {
      let text = '';
      for (let i = 0; i < idList.length; i++) text += tokens[Number(idList[i])] ?? '';
      return text;
    },
  };
  return vocabulary;
}

/** Every distinct character of `text`, sorted by code point. */
export function charactersOf(text: string): string[] {
  return [...new Set(Array.from(text))].sort();
}
