import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Disposable, DisposableStore, disposeAll, toDisposable } from '../../../src/extension/lifecycle';

function recorder(log: string[], name: string) {
  return toDisposable(() => log.push(name));
}

test('toDisposable runs its cleanup once however often it is disposed', () => {
  let calls = 0;
  const disposable = toDisposable(() => calls++);
  disposable.dispose();
  disposable.dispose();
  assert.equal(calls, 1);
});

test('a Disposable disposes what it registered, newest first, once', () => {
  const log: string[] = [];
  class Owner extends Disposable {
    constructor() {
      super();
      this._register(recorder(log, 'first'));
      this._register(recorder(log, 'second'));
    }
  }
  const owner = new Owner();
  owner.dispose();
  owner.dispose();
  assert.deepEqual(log, ['second', 'first']);
});

test('registering on a disposed owner disposes the item at once instead of leaking it', () => {
  const log: string[] = [];
  const store = new DisposableStore();
  store.dispose();
  store.add(recorder(log, 'late'));
  assert.deepEqual(log, ['late']);
  assert.equal(store.isDisposed, true);
});

test('clear disposes the items so far and keeps the store usable', () => {
  const log: string[] = [];
  const store = new DisposableStore();
  store.add(recorder(log, 'a'));
  store.clear();
  store.add(recorder(log, 'b'));
  assert.deepEqual(log, ['a']);
  store.dispose();
  assert.deepEqual(log, ['a', 'b']);
});

test('disposeAll disposes every item even when one throws, then rethrows the first error', () => {
  const log: string[] = [];
  const failing = toDisposable(() => {
    throw new Error('boom');
  });
  assert.throws(() => disposeAll([recorder(log, 'a'), failing, recorder(log, 'b')]), /boom/);
  assert.deepEqual(log, ['a', 'b']);
});
