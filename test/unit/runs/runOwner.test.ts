import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { RunFolderError } from '../../../src/runs/runFolderError';
import {
  claimRunFolder,
  liveRunOwner,
  readRunOwner,
  releaseRunFolder,
  type RunOwner,
} from '../../../src/runs/runOwner';

const root = mkdtempSync(join(tmpdir(), 'modellab-owner-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = (): string => mkdtempSync(join(root, `run-${folders++}-`));
const owner = (pid: number): RunOwner => ({
  pid,
  startedAt: '2026-12-01T10:00:00.000Z',
  endpoint: `/tmp/x-${pid}.sock`,
});
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

test('the first claim writes owner.json; a second process is refused while the owner lives', () => {
  const dir = folder();
  claimRunFolder(dir, owner(100), alive([100, 200]));
  assert.deepEqual(readRunOwner(dir), owner(100));
  assert.throws(
    () => claimRunFolder(dir, owner(200), alive([100, 200])),
    (error) => {
      assert.ok(error instanceof RunFolderError);
      assert.equal(
        error.message,
        `${dir} is already being trained by process 100 (since 2026-12-01T10:00:00.000Z); one process trains a run at a time.`,
      );
      return true;
    },
  );
  assert.deepEqual(liveRunOwner(dir, alive([100])), owner(100));
});

test('a claim left by a process that is gone is stale: the next claimer takes the folder over', () => {
  const dir = folder();
  claimRunFolder(dir, owner(100), alive([100]));
  assert.equal(liveRunOwner(dir, alive([])), undefined, 'a dead owner is no owner');
  claimRunFolder(dir, owner(300), alive([300]));
  assert.deepEqual(readRunOwner(dir), owner(300));
});

test('a damaged owner.json is stale too', () => {
  const dir = folder();
  writeFileSync(join(dir, RUN_FILES.owner), '{"pid": ');
  claimRunFolder(dir, owner(400), alive([400]));
  assert.deepEqual(readRunOwner(dir), owner(400));
});

test('four processes claiming one folder: exactly one gets it', async () => {
  const dir = folder();
  const outcomes = await Promise.allSettled(
    [500, 501, 502, 503].map(async (pid) => claimRunFolder(dir, owner(pid), alive([500, 501, 502, 503]))),
  );
  assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
});

test("release removes only the releasing owner's claim", () => {
  const dir = folder();
  claimRunFolder(dir, owner(600), alive([600]));
  releaseRunFolder(dir, 601);
  assert.ok(existsSync(join(dir, RUN_FILES.owner)), 'another process cannot release it');
  releaseRunFolder(dir, 600);
  assert.equal(existsSync(join(dir, RUN_FILES.owner)), false);
});
