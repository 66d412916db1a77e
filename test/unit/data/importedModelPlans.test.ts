/**
 * The plans of an experiment's imported model are made once per file version and options: an
 * experiment with newHead is planned with the file's own last layer (before its data is read)
 * and with the new one in every validation, so both are kept, and reading the file again is
 * left to a changed file.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importPlanFor } from '../../../src/data/importedModel';
import { modelPath } from '../engine/onnxFixtures';

test('the file-own and the new-head plans are both kept; a changed file is planned again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-plans-'));
  copyFileSync(modelPath('cnn'), join(dir, 'cnn.onnx'));
  const model = { onnx: 'cnn.onnx', newHead: true };
  const head = { outputs: 2, seed: 1 };
  const own = importPlanFor(model, dir);
  const headed = importPlanFor(model, dir, head);
  assert.notEqual(own, headed);
  assert.deepEqual(own.output.dims.slice(1), [3]);
  assert.deepEqual(headed.output.dims.slice(1), [2]);
  assert.equal(importPlanFor(model, dir), own, 'the first is still kept');
  assert.equal(importPlanFor(model, dir, head), headed);
  // Without newHead the data's size changes nothing.
  assert.equal(importPlanFor({ onnx: 'cnn.onnx' }, dir, head).output.dims[1], 3);

  utimesSync(join(dir, 'cnn.onnx'), new Date(), new Date(Date.now() + 5000));
  assert.notEqual(importPlanFor(model, dir), own, 'a new version of the file is read again');
});
