import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { HostLinks, type HostLink } from '../../../src/trainer/hostLinks';

function link(): HostLink & { sent: unknown[]; closed: boolean } {
  const created = {
    sent: [] as unknown[],
    closed: false,
    send: (message: unknown) => created.sent.push(message),
    close: () => (created.closed = true),
  };
  return created;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the last window going starts the grace period; when it ends the run is abandoned', async () => {
  let abandoned = 0;
  const links = new HostLinks(30, () => abandoned++);
  const first = link();
  const second = link();
  links.attach(first);
  links.attach(second);
  links.detach(first);
  await wait(60);
  assert.equal(abandoned, 0, 'one window is still attached');
  links.detach(second);
  await wait(60);
  assert.equal(abandoned, 1);
});

test('a window that attaches within the grace period keeps the run, and is told the replay first', async () => {
  let abandoned = 0;
  const links = new HostLinks(50, () => abandoned++);
  const first = link();
  links.attach(first);
  links.detach(first);
  const second = link();
  links.attach(second, [{ type: 'started' }, { type: 'metrics' }]);
  links.broadcast({ type: 'log' });
  await wait(100);
  assert.equal(abandoned, 0);
  assert.deepEqual(second.sent, [{ type: 'started' }, { type: 'metrics' }, { type: 'log' }]);
  assert.deepEqual(first.sent, [], 'a detached window hears nothing more');
  links.closeAll();
  assert.equal(second.closed, true);
});

test('with no grace period (keep running without a window) the run is never abandoned', async () => {
  let abandoned = 0;
  const links = new HostLinks(undefined, () => abandoned++);
  const only = link();
  links.attach(only);
  links.detach(only);
  await wait(50);
  assert.equal(abandoned, 0);
});
