/**
 * A Hugging Face tokenizer for the texts an imported model reads (`data.tokenizer`): a model
 * exported from 🤗 Transformers reads the ids its own tokenizer gives, so texts are encoded with
 * that tokenizer's tokenizer.json (and tokenizer_config.json beside it, when there is one), by
 * @huggingface/tokenizers, Hugging Face's own JavaScript implementation.
 *
 * A table's rows, as a tokenizer called with `truncation=True, padding="max_length"` does: each
 * text gets the tokenizer's special tokens, is cut at its end to fit the model's length, and is
 * padded with the pad token. A language model's text file, as one long run of ids without
 * special tokens (as a causal language model's corpus is tokenized before it is cut into blocks).
 */
import * as l10n from '@vscode/l10n';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Vocabulary } from './api';
import { DataError } from './dataError';
import { cutPair, longestFirst, pairSeparatorOf } from './textPairs';

export interface TextTokenizer {
  /** The tokenizer.json, as the experiment names it. */
  readonly shown: string;
  /** The pad token's id, when the tokenizer has one. */
  readonly padId: number | undefined;
  /** The ids of `text`: special tokens kept, the text cut at its end, padded to `length`. */
  encode(text: string, length: number, where: { file: string; line: number }): number[];
  /**
   * The ids of a pair of texts (a premise and a hypothesis, a question and a passage) as the
   * tokenizer joins them, special tokens kept, cut as truncation="longest_first" cuts them and
   * padded to `length`.
   */
  encodePair(first: string, second: string, length: number, where: { file: string; line: number }): number[];
  /**
   * The separator after which the second text of a pair has token type 1 (BERT's [SEP]), when the
   * tokenizer gives the two texts of a pair different type ids that way; undefined otherwise.
   */
  readonly secondTextAfter: number | undefined;
  /** The ids of a run of text, without special tokens (a language model's corpus). */
  textIds(text: string): number[];
  /**
   * The vocabulary of a model that knows `size` ids, read through this tokenizer: a language
   * model's playground, samples and attention labels show its tokens as the tokenizer decodes them.
   */
  vocabulary(size: number): Vocabulary;
}

const FIELD = ['data', 'tokenizer'];

function readJson(path: string, shown: string): object {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // Reported below, with what to do.
  }
  throw new DataError(
    l10n.t(
      '{0} is not the JSON of a Hugging Face tokenizer: save the tokenizer again with tokenizer.save_pretrained(folder)',
      shown,
    ),
    path,
    undefined,
    FIELD,
  );
}

/** The pad token: tokenizer.json's padding settings, else tokenizer_config.json's pad_token. */
function padIdOf(
  json: { padding?: { pad_id?: unknown } | null },
  config: { pad_token?: unknown },
  idOf: (token: string) => number | undefined,
): number | undefined {
  if (typeof json.padding?.pad_id === 'number') return json.padding.pad_id;
  const token = config.pad_token;
  const name =
    typeof token === 'string'
      ? token
      : typeof token === 'object' && token !== null && 'content' in token
        ? String(token.content)
        : undefined;
  return name === undefined ? undefined : idOf(name);
}

/** A token's id from tokenizer.json itself: its added tokens, then its model's vocabulary. */
function idInJson(json: TokenizerJson, token: string): number | undefined {
  const added = json.added_tokens?.find((t) => t.content === token)?.id;
  if (typeof added === 'number') return added;
  const vocab = json.model?.vocab;
  if (Array.isArray(vocab)) {
    // Unigram: [token, score] pairs, the id their position.
    const index = vocab.findIndex((entry) => Array.isArray(entry) && entry[0] === token);
    return index < 0 ? undefined : index;
  }
  const id = vocab?.[token];
  return typeof id === 'number' ? id : undefined;
}

interface TokenizerJson {
  padding?: { pad_id?: unknown } | null;
  post_processor?: unknown;
  added_tokens?: { id?: unknown; content?: unknown }[];
  model?: { vocab?: Record<string, unknown> | unknown[] };
}

/**
 * What the fine-tuning scaffold writes for a tokenizer.json (and tokenizer_config.json beside it),
 * read from the files alone: the pad token's id (the attention mask's `padToken`) and the
 * separator after which a pair's second text has type 1 (the type ids' `secondTextAfter`).
 * Each undefined when the files name none or cannot be read.
 */
export function tokenizerFacts(path: string): { padId?: number; secondTextAfter?: number } {
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as TokenizerJson;
    const configPath = join(dirname(path), 'tokenizer_config.json');
    const config = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as object) : {};
    return {
      padId: padIdOf(json, config, (token) => idInJson(json, token)),
      secondTextAfter: pairSeparatorOf(json.post_processor),
    };
  } catch {
    return {};
  }
}

/**
 * The tokenizer `save_pretrained` leaves beside a model (tokenizer.json in `modelDir`), named as
 * an experiment beside the model names it, with its facts; undefined when there is none.
 */
export function tokenizerBeside(
  modelDir: string,
): { file: string; padId?: number; secondTextAfter?: number } | undefined {
  const file = 'tokenizer.json';
  const path = join(modelDir, file);
  return existsSync(path) ? { file, ...tokenizerFacts(path) } : undefined;
}

/** Refuses, on data.tokenizer, an id of `tokenizer` beyond the `modelTokens` ids the model knows. */
export function refuseUnknownIds(
  tokenizer: TextTokenizer,
  ids: Iterable<number>,
  modelTokens: number,
  where: { file: string; line?: number },
): void {
  for (const id of ids)
    if (id >= modelTokens)
      throw new DataError(
        l10n.t(
          '{0} gives token id {1}, but the model knows {2} ids: is it the tokenizer the model was trained with?',
          tokenizer.shown,
          id,
          modelTokens,
        ),
        where.file,
        where.line,
        FIELD,
      );
}

/** Reads the tokenizer at `path` (`shown`: as the experiment names it). */
export async function loadTextTokenizer(path: string, shown: string): Promise<TextTokenizer> {
  if (!existsSync(path))
    throw new DataError(
      l10n.t('the tokenizer file "{0}" does not exist (paths are relative to this experiment file)', shown),
      undefined,
      undefined,
      FIELD,
    );
  const json = readJson(path, shown);
  const configPath = join(dirname(path), 'tokenizer_config.json');
  const config = existsSync(configPath) ? readJson(configPath, configPath) : {};
  // Loaded when a table of texts is read, not with the rest of the data code (in the editor, from
  // dist/vendor/). A require, not import(): the editor's main bundle is compiled through V8's code
  // cache (src/extension/codeCache.ts), where import() has no loader to call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  const { Tokenizer } = require('@huggingface/tokenizers') as typeof import('@huggingface/tokenizers', {
    with: { 'resolution-mode': 'import' },
  });
  let tokenizer: InstanceType<typeof Tokenizer>;
  try {
    tokenizer = new Tokenizer(json, config);
  } catch (error) {
    throw new DataError(
      l10n.t(
        '{0} could not be read as a tokenizer: {1}',
        shown,
        error instanceof Error ? error.message : String(error),
      ),
      path,
      undefined,
      FIELD,
    );
  }
  const padId = padIdOf(json, config, (token) => tokenizer.token_to_id(token));
  const textIds = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  const tooFew = (length: number, specials: number) =>
    new DataError(
      l10n.t(
        'the model reads {0} tokens, too few for the {1} special tokens {2} adds to every text',
        length,
        specials,
        shown,
      ),
      undefined,
      undefined,
      FIELD,
    );
  const padded = (ids: number[], length: number, where: { file: string; line: number }) => {
    if (ids.length === length) return ids;
    if (padId === undefined)
      throw new DataError(
        l10n.t(
          'this text has {0} tokens and the model reads {1}, but {2} has no pad token to fill the rest: add "pad_token" to tokenizer_config.json beside it',
          ids.length,
          length,
          shown,
        ),
        where.file,
        where.line,
      );
    return [...ids, ...new Array<number>(length - ids.length).fill(padId)];
  };
  // The special tokens around a text: those the tokenizer puts around no text at all.
  const around = tokenizer.encode('').ids;
  return {
    shown,
    padId,
    secondTextAfter: pairSeparatorOf((json as TokenizerJson).post_processor),
    encode(text, length, where) {
      const ids = tokenizer.encode(text).ids;
      if (ids.length > length) {
        let before = 0;
        while (before < around.length && ids[before] === around[before]) before++;
        const after = around.slice(before);
        if (before + after.length >= length) throw tooFew(length, around.length);
        return [...ids.slice(0, length - after.length), ...after];
      }
      return padded(ids, length, where);
    },
    encodePair(first, second, length, where) {
      const joined = tokenizer.encode(first, { text_pair: second }).ids;
      if (joined.length <= length) return padded(joined, length, where);
      const [a, b] = [textIds(first), textIds(second)];
      // The special tokens around and between the two texts.
      const specials = joined.length - a.length - b.length;
      if (specials >= length - 1) throw tooFew(length, specials);
      const cut = cutPair(joined, a, b, longestFirst(a.length, b.length, length - specials));
      if (!cut || cut.length > length)
        throw new DataError(
          l10n.t(
            'this pair of texts has {0} tokens and the model reads {1}, but {2} joins pairs in a way Model Lab cannot cut: shorten the texts to fit',
            joined.length,
            length,
            shown,
          ),
          where.file,
          where.line,
          FIELD,
        );
      return padded(cut, length, where);
    },
    textIds,
    vocabulary(size) {
      const tokens = Array.from({ length: size }, (_, id) => tokenizer.decode([id]));
      const encode = (text: string) => BigInt64Array.from(textIds(text), BigInt);
      return {
        tokens,
        encode,
        // Every text has ids: what a word-piece vocabulary lacks is its unknown token.
        encodeKnown: encode,
        decode: (ids) => tokenizer.decode(Array.from(ids, Number)),
      };
    },
  };
}
