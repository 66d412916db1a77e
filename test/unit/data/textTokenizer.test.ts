/**
 * data.tokenizer: a Hugging Face tokenizer.json turns each row's text into the model's token ids
 * as the tokenizer does with truncation=True, padding="max_length": its special tokens kept, the
 * text cut at its end, the rest filled with the pad token. The fixture is a BERT-style WordPiece
 * tokenizer of 50 tokens ([PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3; test/fixtures/tokenizers/wordpiece);
 * the expected ids are read off its vocabulary by hand.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataError } from '../../../src/data/dataError';
import { loadTextTokenizer, tokenizerFacts } from '../../../src/data/textTokenizer';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'tokenizers', 'wordpiece');
const root = mkdtempSync(join(tmpdir(), 'modellab-tokenizer-'));
after(() => rmSync(root, { recursive: true, force: true }));
const at = { file: 'reviews.csv', line: 4 };

describe('a Hugging Face tokenizer for a table of texts', () => {
  it('adds [CLS] and [SEP], lowercases, splits words into word pieces and pads with [PAD]', async () => {
    const tokenizer = await loadTextTokenizer(join(FIXTURE, 'tokenizer.json'), 'tokenizer.json');
    assert.equal(tokenizer.padId, 0);
    // [CLS] the cat sat . [SEP] [PAD] [PAD]
    assert.deepEqual(tokenizer.encode('The cat sat.', 8, at), [2, 5, 7, 9, 33, 3, 0, 0]);
    // un ##like ##ly !
    assert.deepEqual(tokenizer.encode('Unlikely!', 8, at), [2, 25, 26, 27, 35, 3, 0, 0]);
    // A word with no pieces in the vocabulary is [UNK].
    assert.deepEqual(tokenizer.encode('Zebra', 5, at), [2, 1, 3, 0, 0]);
  });

  it("reads a language model's text as one run of ids without special tokens, and decodes them as the tokenizer does", async () => {
    const tokenizer = await loadTextTokenizer(join(FIXTURE, 'tokenizer.json'), 'tokenizer.json');
    // the cat sat . un ##like ##ly ! — no [CLS] or [SEP] around a corpus.
    assert.deepEqual(tokenizer.textIds('The cat sat. Unlikely!'), [5, 7, 9, 33, 25, 26, 27, 35]);
    const vocabulary = tokenizer.vocabulary(50);
    assert.equal(vocabulary.tokens.length, 50);
    assert.deepEqual([vocabulary.tokens[5], vocabulary.tokens[26]], ['the', '##like']);
    assert.deepEqual(Array.from(vocabulary.encode('The cat'), Number), [5, 7]);
    // Word pieces join and words are spaced when decoded together.
    assert.equal(vocabulary.decode([5, 7, 9, 25, 26, 27]), 'the cat sat unlikely');
    // A word the vocabulary lacks is its unknown token, not dropped: the tokenizer knows every text.
    assert.deepEqual(Array.from(vocabulary.encodeKnown('the zebra'), Number), [5, 1]);
  });

  it('cuts a long text at its end and keeps [SEP] last, as truncation=True does', async () => {
    const tokenizer = await loadTextTokenizer(join(FIXTURE, 'tokenizer.json'), 'tokenizer.json');
    assert.deepEqual(
      tokenizer.encode('the dog ran on the mat and the cat was not very fun', 8, at),
      [2, 5, 8, 10, 11, 5, 12, 3],
    );
    assert.deepEqual(tokenizer.encode('the cat sat', 5, at), [2, 5, 7, 9, 3], 'exactly the length');
    await assert.rejects(
      Promise.resolve().then(() => tokenizer.encode('the cat sat', 2, at)),
      /the model reads 2 tokens, too few for the 2 special tokens tokenizer\.json adds to every text/,
    );
  });

  it('without a pad token, a short text is refused naming its row and what to add', async () => {
    const dir = mkdtempSync(join(root, 'nopad-'));
    copyFileSync(join(FIXTURE, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    const tokenizer = await loadTextTokenizer(join(dir, 'tokenizer.json'), 'tok/tokenizer.json');
    assert.equal(tokenizer.padId, undefined);
    assert.deepEqual(tokenizer.encode('the cat sat', 5, at), [2, 5, 7, 9, 3]);
    assert.throws(
      () => tokenizer.encode('the cat', 5, at),
      (error: unknown) =>
        error instanceof DataError &&
        error.format() ===
          'reviews.csv:4: this text has 4 tokens and the model reads 5, but tok/tokenizer.json has no pad token to fill the rest: add "pad_token" to tokenizer_config.json beside it',
    );
  });

  it('the scaffold reads the pad id from the files: padding settings, else pad_token in the vocabulary or added tokens', () => {
    assert.equal(tokenizerFacts(join(FIXTURE, 'tokenizer.json')).padId, 0, '[PAD] of tokenizer_config.json');
    const write = (json: object, config?: object) => {
      const dir = mkdtempSync(join(root, 'pad-'));
      writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
      if (config) writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
      return join(dir, 'tokenizer.json');
    };
    assert.equal(tokenizerFacts(write({ padding: { pad_id: 7 }, model: { vocab: {} } })).padId, 7);
    // Unigram (T5, XLM-R): the vocabulary is [token, score] pairs, the id their position.
    const unigram = {
      model: {
        vocab: [
          ['<unk>', 0],
          ['<s>', 0],
          ['<pad>', 0],
        ],
      },
    };
    assert.equal(tokenizerFacts(write(unigram, { pad_token: { content: '<pad>' } })).padId, 2);
    assert.equal(
      tokenizerFacts(
        write(
          { added_tokens: [{ id: 50256, content: '<|endoftext|>' }], model: { vocab: {} } },
          { pad_token: '<|endoftext|>' },
        ),
      ).padId,
      50256,
    );
    assert.equal(
      tokenizerFacts(write({ model: { vocab: { a: 0 } } })).padId,
      undefined,
      'GPT-2: no pad token',
    );
  });

  it('a missing or unreadable file is an error on data.tokenizer', async () => {
    await assert.rejects(loadTextTokenizer(join(root, 'absent.json'), 'absent.json'), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.deepEqual(error.field, ['data', 'tokenizer']);
      assert.match(error.message, /the tokenizer file "absent\.json" does not exist/);
      return true;
    });
    const broken = join(root, 'broken.json');
    writeFileSync(broken, readFileSync(join(FIXTURE, 'tokenizer.json'), 'utf8').slice(0, 200));
    await assert.rejects(
      loadTextTokenizer(broken, 'broken.json'),
      /broken\.json is not the JSON of a Hugging Face tokenizer: save the tokenizer again/,
    );
  });
});
