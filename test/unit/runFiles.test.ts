import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RUN_FILES } from '../../src/runs/runFiles';

test('run folder names the files of the contract', () => {
  assert.deepEqual(Object.values(RUN_FILES).sort(), [
    'attention',
    'checkpoints',
    'dynamics.jsonl',
    'eval.json',
    'log.txt',
    'metrics.jsonl',
    'model.onnx',
    'owner.json',
    'run.json',
    'run.json.lock',
  ]);
});
