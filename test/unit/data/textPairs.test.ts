/**
 * Pairs of texts (data.columns naming two text columns, data.tokenizer): joined as the tokenizer
 * joins them, cut "longest_first" as 🤗 tokenizers' truncate_encodings cuts them, and given the
 * token type ids a BERT tokenizer gives them. Those type ids are computed from the ids alone
 * (fill { "padToken", "secondTextAfter" }); here that rule (idFill, which the training graph
 * mirrors and the trajectory test bert-pairs checks against PyTorch) is held against the type ids
 * @huggingface/tokenizers itself returns. The fixture is the 50-token BERT-style WordPiece
 * tokenizer of textTokenizer.test.ts ([PAD] 0, [CLS] 2, [SEP] 3).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { longestFirst, pairSeparatorOf } from '../../../src/data/textPairs';
import { loadTextTokenizer } from '../../../src/data/textTokenizer';
import { idFill } from '../../../src/engine/onnx/importInputs';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'tokenizers', 'wordpiece', 'tokenizer.json');
const at = { file: 'nli.csv', line: 2 };

describe('pairs of texts for a Hugging Face tokenizer', () => {
  it('joins a pair as [CLS] a [SEP] b [SEP] and pads it', async () => {
    const tokenizer = await loadTextTokenizer(FIXTURE, 'tokenizer.json');
    assert.equal(tokenizer.secondTextAfter, 3);
    // [CLS] the cat sat . [SEP] the dog ran ! [SEP] [PAD] [PAD]
    assert.deepEqual(
      tokenizer.encodePair('The cat sat.', 'The dog ran!', 13, at),
      [2, 5, 7, 9, 33, 3, 5, 8, 10, 35, 3, 0, 0],
    );
  });

  it('cuts the longer text first: the shorter is kept whole when it fits in half, else both get half', async () => {
    const tokenizer = await loadTextTokenizer(FIXTURE, 'tokenizer.json');
    // 10 and 2 tokens in 10 − 3 places: the first is cut to 5.
    assert.deepEqual(
      tokenizer.encodePair('the cat sat on the mat and the dog ran', 'a dog', 10, at),
      [2, 5, 7, 9, 11, 5, 3, 6, 8, 3],
    );
    // The same with the texts swapped: now the second is cut.
    assert.deepEqual(
      tokenizer.encodePair('a dog', 'the cat sat on the mat and the dog ran', 10, at),
      [2, 6, 8, 3, 5, 7, 9, 11, 5, 3],
    );
    // 6 and 6 in 7 places: the first gets 3, the second 4.
    assert.deepEqual(
      tokenizer.encodePair('the cat sat on the mat', 'the dog ran on the mat', 10, at),
      [2, 5, 7, 9, 3, 5, 8, 10, 11, 3],
    );
    assert.throws(
      () => tokenizer.encodePair('the cat', 'the dog', 4, at),
      /the model reads 4 tokens, too few for the 3 special tokens tokenizer\.json adds to every text/,
    );
  });

  it('the rule of the tokenizers library, case by case', () => {
    assert.deepEqual(longestFirst(3, 4, 10), [3, 4], 'fits: nothing cut');
    assert.deepEqual(longestFirst(2, 10, 8), [2, 6], 'the shorter fits in half: only the longer is cut');
    assert.deepEqual(longestFirst(10, 2, 8), [6, 2]);
    assert.deepEqual(longestFirst(10, 6, 9), [5, 4], 'both longer than half: the longer gets the odd one');
    assert.deepEqual(longestFirst(6, 10, 9), [4, 5]);
    assert.deepEqual(longestFirst(6, 6, 7), [3, 4], 'equal: the second gets the odd one');
    assert.deepEqual(longestFirst(20, 30, 8), [4, 4]);
  });

  it('type ids computed from the ids equal those the tokenizer gives, for pairs and single texts', async () => {
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const json = JSON.parse(readFileSync(FIXTURE, 'utf8')) as object;
    const library = new Tokenizer(json, {});
    const tokenizer = await loadTextTokenizer(FIXTURE, 'tokenizer.json');
    const length = 16;
    const fill = { padToken: 0, secondTextAfter: tokenizer.secondTextAfter! };
    for (const [a, b] of [
      ['The cat sat.', 'The dog ran!'],
      ['I love this movie, it was great.', 'So fun'],
      ['a', 'the best story ever, but boring'],
    ]) {
      const ids = tokenizer.encodePair(a, b, length, at);
      const { token_type_ids: types } = library.encode(a, { text_pair: b, return_token_type_ids: true });
      const expected = [...types, ...new Array<number>(length - types.length).fill(0)];
      assert.deepEqual(idFill(fill, ids, length), expected, `${a} / ${b}`);
      assert.ok(expected.includes(1), 'the second text has type 1');
    }
    // A single text is all type 0, its padding included.
    assert.deepEqual(idFill(fill, tokenizer.encode('The cat sat.', 8, at), 8), new Array<number>(8).fill(0));
    // Rows are examples: each starts again at type 0.
    assert.deepEqual(idFill(fill, [2, 5, 3, 7, 3, 2, 6, 3, 8, 3], 5), [0, 0, 0, 1, 1, 0, 0, 0, 1, 1]);
    assert.deepEqual(idFill({ padToken: 0 }, [2, 5, 3, 0, 0], 5), [1, 1, 1, 0, 0], 'the attention mask');
  });

  it('reads the separator from tokenizer.json: BERT-style templates and BertProcessing, not RoBERTa', () => {
    const json = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { post_processor: unknown };
    assert.equal(pairSeparatorOf(json.post_processor), 3);
    assert.equal(
      pairSeparatorOf({ type: 'Sequence', processors: [{ type: 'ByteLevel' }, json.post_processor] }),
      3,
    );
    assert.equal(pairSeparatorOf({ type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] }), 102);
    // RoBERTa's pairs are type 0 throughout: the type ids are a constant 0.
    assert.equal(
      pairSeparatorOf({ type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0] }),
      undefined,
    );
    const template = (pair: object[]) => ({
      type: 'TemplateProcessing',
      pair,
      special_tokens: { '[SEP]': { ids: [3] }, '[CLS]': { ids: [2] } },
    });
    const special = (id: string, type: number) => ({ SpecialToken: { id, type_id: type } });
    const sequence = (id: string, type: number) => ({ Sequence: { id, type_id: type } });
    assert.equal(
      pairSeparatorOf(
        template([
          special('[CLS]', 0),
          sequence('A', 0),
          special('[SEP]', 0),
          sequence('B', 0),
          special('[SEP]', 0),
        ]),
      ),
      undefined,
      'one type throughout',
    );
    // XLNet-like: a type after the second text that the rule cannot give.
    assert.equal(
      pairSeparatorOf(
        template([sequence('A', 0), special('[SEP]', 0), sequence('B', 1), special('[CLS]', 2)]),
      ),
      undefined,
    );
  });
});
