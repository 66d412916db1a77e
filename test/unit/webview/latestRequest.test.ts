// The inside views' "one request in flight, the latest wins" (webview/shared/latestRequest.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LatestRequest } from '../../../webview/shared/latestRequest';

type Input = { example: number } | { text: string };
const same = (a: Input, b: Input) => JSON.stringify(a) === JSON.stringify(b);

function recorder<T>(sameInput?: (a: T, b: T) => boolean) {
  const sent: [number, T][] = [];
  const drawn: number[] = [];
  const requests = new LatestRequest<T>((id, input) => sent.push([id, input]), sameInput);
  return { sent, drawn, requests };
}

test('nothing is asked before the model is ready; then the input picked last is asked for', () => {
  const { sent, requests } = recorder<number>();
  requests.ask(3);
  requests.ask(4);
  assert.deepEqual(sent, []);
  requests.restart(4);
  assert.deepEqual(sent, [[1, 4]]);
});

test('inputs picked while an answer is awaited: only the last is asked for, once the answer came', () => {
  const { sent, drawn, requests } = recorder<number>();
  requests.restart(0);
  requests.ask(1);
  requests.ask(2);
  assert.deepEqual(sent, [[1, 0]], 'one request in flight');
  requests.answered(1, () => drawn.push(0));
  assert.deepEqual(drawn, [0]);
  assert.deepEqual(sent, [
    [1, 0],
    [2, 2],
  ]);
  requests.answered(2, () => drawn.push(2));
  assert.deepEqual(drawn, [0, 2]);
  assert.equal(sent.length, 2, 'the answer drawn is the one wanted: nothing more is asked');
});

test('an answer no longer awaited is not drawn: the model was reloaded meanwhile', () => {
  const { sent, drawn, requests } = recorder<number>();
  requests.restart(5);
  requests.restart(5);
  assert.deepEqual(sent, [
    [1, 5],
    [2, 5],
  ]);
  requests.answered(1, () => drawn.push(1));
  assert.equal(drawn.length, 0, 'the stale answer is not drawn');
  requests.answered(2, () => drawn.push(2));
  assert.deepEqual(drawn, [2]);
});

test("a request's failure is reported and the input picked meanwhile asked for; a stale one is not reported", () => {
  const { sent, requests } = recorder<Input>(same);
  const reported: string[] = [];
  requests.restart({ example: 0 });
  requests.ask({ text: 'anna' });
  requests.failed(7, () => reported.push('stale'));
  assert.equal(reported.length, 0, 'the stale failure is not reported');
  requests.failed(1, () => reported.push('example 0'));
  assert.deepEqual(reported, ['example 0']);
  assert.deepEqual(sent, [
    [1, { example: 0 }],
    [2, { text: 'anna' }],
  ]);
  // Equal inputs (not the same object) are not asked for twice.
  requests.ask({ text: 'anna' });
  requests.answered(2, () => reported.push('anna'));
  assert.equal(sent.length, 2);
});

test('a failure of the model as a whole is reported and asks nothing more', () => {
  const { sent, requests } = recorder<number>();
  const reported: string[] = [];
  requests.restart(0);
  requests.ask(1);
  requests.failed(undefined, () => reported.push('no checkpoint'));
  assert.deepEqual(reported, ['no checkpoint']);
  assert.deepEqual(sent, [[1, 0]]);
  // The next pick is asked at once: nothing is awaited any more.
  requests.ask(2);
  assert.deepEqual(sent, [
    [1, 0],
    [2, 2],
  ]);
});
