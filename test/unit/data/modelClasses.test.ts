/**
 * An imported classifier that keeps its last layer scores its own classes: the data's labels are
 * read as its class names where it names them, else as its class indices, so data holding only
 * some classes is scored as the model sees it instead of renumbered.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adoptModelClasses, classNamesOf } from '../../../src/data/modelClasses';
import type { OnnxModel } from '../../../src/engine/onnx';
import { CLASSES_KEY } from '../../../src/engine/runtime/exportDoc';

const dir = mkdtempSync(join(tmpdir(), 'modellab-model-classes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const withMetadata = (metadata: Record<string, string>) => ({ metadata }) as OnnxModel;

describe("an imported classifier's classes", () => {
  it('reads integer labels as class indices, whichever of the classes the data holds', () => {
    // The data's sorted labels are "2" and "7": ids 0 and 1 before, the model's 2 and 7 after.
    const adopted = adoptModelClasses(Int32Array.of(1, 0, 1), ['2', '7'], { count: 10 });
    assert.deepEqual([...adopted.labels], [7, 2, 7]);
    assert.deepEqual(adopted.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(adopted.labelsRead, { by: 'indices', held: 2 });
  });

  it("reads labels by the model's class names, and keeps those names", () => {
    const names = ['cat', 'dog', 'frog'];
    const adopted = adoptModelClasses(Int32Array.of(0, 1, 1), ['cat', 'frog'], { count: 3, names });
    assert.deepEqual([...adopted.labels], [0, 2, 2]);
    assert.deepEqual(adopted.classes, names);
    assert.deepEqual(adopted.labelsRead, { by: 'names', held: 2 });
    // Integer labels are still class indices when the model names its classes.
    const byIndex = adoptModelClasses(Int32Array.of(0, 1), ['0', '2'], { count: 3, names });
    assert.deepEqual([...byIndex.labels], [0, 2]);
    assert.deepEqual(byIndex.classes, names);
  });

  it('leaves labels that are neither its names nor its indices as the data numbers them', () => {
    const cases: [string[], { count: number; names?: string[] }][] = [
      [['bird', 'cat'], { count: 3, names: ['cat', 'dog', 'frog'] }],
      [['1', '3'], { count: 3 }],
      [['0.5', '1'], { count: 3 }],
      [['a', 'b', 'c', 'd'], { count: 3 }],
    ];
    for (const [classes, model] of cases) {
      const labels = Int32Array.of(0, 1);
      const adopted = adoptModelClasses(labels, classes, model);
      assert.equal(adopted.labels, labels, classes.join());
      assert.equal(adopted.classes, classes, classes.join());
    }
  });

  it("finds the names in Model Lab's metadata, else in a Hugging Face config.json's id2label beside the model", () => {
    const path = join(dir, 'model.onnx');
    assert.deepEqual(classNamesOf(withMetadata({ [CLASSES_KEY]: '["a","b"]' }), path, 2), ['a', 'b']);
    assert.equal(classNamesOf(withMetadata({}), path, 2), undefined);
    // Names for another count, or not a list of strings, are not the model's.
    assert.equal(classNamesOf(withMetadata({ [CLASSES_KEY]: '["a","b","c"]' }), path, 2), undefined);
    assert.equal(classNamesOf(withMetadata({ [CLASSES_KEY]: 'not json' }), path, 2), undefined);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ id2label: { 1: 'POSITIVE', 0: 'NEGATIVE' } }));
    assert.deepEqual(classNamesOf(withMetadata({}), path, 2), ['NEGATIVE', 'POSITIVE']);
    assert.equal(classNamesOf(withMetadata({}), path, 3), undefined);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ id2label: { 0: 'NEGATIVE', 2: 'POSITIVE' } }));
    assert.equal(classNamesOf(withMetadata({}), path, 2), undefined);
  });
});
