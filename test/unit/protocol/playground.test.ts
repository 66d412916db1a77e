/**
 * The playground's requests come from a webview: the host relays only well-formed ones. Texts
 * typed for a model that reads them through its tokenizer come one per text column (a pair: two).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isPlaygroundModelInfo } from '../../../src/protocol/playground';
import { isPlaygroundPanelRequest } from '../../../src/protocol/playgroundPanel';

test('typed texts are one or two strings of bounded length', () => {
  const texts = (value: unknown) =>
    isPlaygroundPanelRequest({ type: 'playground/classifyTexts', id: 3, texts: value });
  assert.ok(texts(['A film I loved.']));
  assert.ok(texts(['The cat sat.', 'A cat was sitting.']));
  assert.ok(!texts([]));
  assert.ok(!texts(['a', 'b', 'c']));
  assert.ok(!texts(['a', 7]));
  assert.ok(!texts('a'));
  assert.ok(!texts(['x'.repeat(20_001)]));
  assert.ok(!isPlaygroundPanelRequest({ type: 'playground/classifyTexts', id: -1, texts: ['a'] }));
});

test("a model of texts says its text columns; other kinds' info is unchanged", () => {
  const info = { inputShape: [12], labels: ['neg', 'pos'], checkpoint: 'best', step: 40, digits: false };
  assert.ok(isPlaygroundModelInfo({ ...info, kind: 'texts', textColumns: ['premise', 'hypothesis'] }));
  assert.ok(isPlaygroundModelInfo({ ...info, kind: 'table' }));
  assert.ok(!isPlaygroundModelInfo({ ...info, kind: 'texts', textColumns: [1] }));
  assert.ok(!isPlaygroundModelInfo({ ...info, kind: 'sound' }));
});
