/**
 * The start of a table, read before the table is loaded: "Evaluate on data…" takes its target
 * from it, and whether the features are texts (for the model's tokenizer) or numbers.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { evaluationTarget, readTableHead, textColumns } from '../../../src/data/tableHead';

const root = mkdtempSync(join(tmpdir(), 'modellab-table-head-'));
after(() => rmSync(root, { recursive: true, force: true }));
const table = (name: string, text: string) => {
  writeFileSync(join(root, name), text);
  return join(root, name);
};

describe('the head of a table', () => {
  it('the header, the first row and the text columns beside the target', () => {
    const head = readTableHead(
      table('pairs.csv', 'premise,hypothesis,label\n"A cat, sat.",A dog,1\nx,y,0\n'),
    )!;
    assert.deepEqual(head, {
      columns: ['premise', 'hypothesis', 'label'],
      firstRow: ['A cat, sat.', 'A dog', '1'],
    });
    assert.deepEqual(textColumns(head), ['premise', 'hypothesis']);
    assert.equal(evaluationTarget(head.columns), 'label');
  });

  it('token ids are not texts; without a label column the last one is the target', () => {
    const head = readTableHead(table('ids.tsv', 't0\tt1\tclass\n5\t7\tcat\n'))!;
    assert.equal(evaluationTarget(head.columns), 2);
    assert.deepEqual(textColumns(head), [], 'the target "cat" is not a feature');
  });

  it('a quoted text over several lines is one cell; a file of only a header has no row', () => {
    const head = readTableHead(table('multi.csv', 'review,label\n"Good.\nVery good.",1\n'))!;
    assert.deepEqual(head.firstRow, ['Good.\nVery good.', '1']);
    assert.deepEqual(textColumns(head), ['review']);
    assert.deepEqual(readTableHead(table('empty.csv', 'review,label\n'))?.firstRow, []);
    assert.equal(readTableHead(table('story.txt', 'once upon a time')), undefined, 'not a table');
  });
});
