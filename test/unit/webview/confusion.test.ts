import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { confusionCells } from '../../../webview/evaluation/confusion';

test('confusion cells shade by share of the true-class row and name both classes on hover', () => {
  const cells = confusionCells(
    [
      [8, 2],
      [0, 0],
    ],
    ['cat', 'dog'],
  );
  assert.equal(cells.length, 4);
  assert.equal(cells[0].rowShare, 0.8);
  assert.equal(cells[1].rowShare, 0.2);
  assert.equal(cells[1].hover, 'true cat → predicted dog: 2 (20.0% of cat, confused)');
  assert.equal(cells[3].rowShare, 0, 'an empty row shades nothing instead of dividing by zero');
  assert.match(cells[3].hover, /correct/);
});
