/**
 * `model-lab onnx evaluate`: the model as it is scored on every example of a data file, headless,
 * with the scores onnxruntime gives the original file; a model or data that cannot be used exits
 * 2 naming the file and what to do.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { classificationScores } from '../../fixtures/classificationScores';
import { modelLab } from '../../fixtures/modelLabCli';
import { modelPath } from '../engine/onnxFixtures';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-evaluate-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const GPT2 = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'gpt2-style-opset17.onnx');

describe('model-lab onnx evaluate', () => {
  it("prints the loss and accuracy onnxruntime gives the original file on the table's rows", async () => {
    const rows = Array.from({ length: 30 }, (_, r) => ({
      x: Array.from({ length: 64 }, (_, i) => ((r * 11 + i * 5) % 17) / 8),
      label: (r * 5) % 3,
    }));
    const data = join(root, 'pixels.csv');
    const header = [...Array.from({ length: 64 }, (_, i) => `p${i}`), 'label'].join(',');
    writeFileSync(data, [header, ...rows.map((row) => [...row.x, row.label].join(','))].join('\n') + '\n');

    const session = await ort.InferenceSession.create(modelPath('cnn'));
    const input = new ort.Tensor('float32', Float32Array.from(rows.flatMap((row) => row.x)), [30, 1, 8, 8]);
    const logits = (await session.run({ input })).output.data as Float32Array;
    await session.release();
    const expected = classificationScores(
      logits,
      rows.map((row) => row.label),
      3,
    );

    const json = modelLab('onnx', 'evaluate', modelPath('cnn'), data, '--json');
    assert.equal(json.status, 0, json.stderr);
    const printed = JSON.parse(json.stdout);
    assert.equal(printed.task, 'classification');
    assert.equal(printed.count, 30);
    assert.ok(
      Math.abs(printed.values.loss - expected.loss) < 1e-5,
      `${printed.values.loss} vs ${expected.loss}`,
    );
    assert.equal(printed.values.accuracy, expected.accuracy);

    // Per class: each of the three labels ten times.
    assert.deepEqual(
      printed.classes.map((c: { support: number }) => c.support),
      [10, 10, 10],
    );

    const text = modelLab('onnx', 'evaluate', modelPath('cnn'), data);
    assert.equal(text.status, 0, text.stderr);
    const [scores, , titles, rule, ...classRows] = text.stdout.split('\n');
    assert.match(scores, /model\.onnx on .*pixels\.csv \(30 examples\): loss \d\.\d+, accuracy [\d.]+$/);
    assert.match(titles, /^class\s+precision\s+recall\s+f1\s+support$/);
    assert.match(rule, /^─+ {2}─+/);
    assert.deepEqual(
      classRows.filter(Boolean).map((row) => row.split(/\s+/).at(-1)),
      ['10', '10', '10'],
    );
  });

  it('asks for the length of an axis the export left open as --size, then scores windows of that length', () => {
    const data = join(root, 'story.txt');
    writeFileSync(data, 'a cab bade a bad face; ace fed a dab. '.repeat(6));
    const open = modelLab('onnx', 'evaluate', GPT2, data);
    assert.equal(open.status, 2);
    assert.match(
      open.stderr,
      /^error: .*gpt2-style-opset17\.onnx: input input_ids has shape \[batch, sequence\], and the file does not say how long sequence is: give --size sequence=n\n$/,
    );
    const sized = modelLab('onnx', 'evaluate', GPT2, data, '--size', 'sequence=10', '--json');
    assert.equal(sized.status, 0, sized.stderr);
    const printed = JSON.parse(sized.stdout);
    assert.equal(printed.task, 'language-model');
    // 228 characters: 22 windows of 10 with the next character after each.
    assert.equal(printed.count, 22);
    assert.ok(printed.values.perplexity > 1);
  });

  it('reads a data path relative to where it is run, not to the model', () => {
    const data = relative(process.cwd(), join(root, 'pixels.csv'));
    assert.ok(!data.startsWith('/'));
    const scored = modelLab('onnx', 'evaluate', modelPath('cnn'), data, '--json');
    assert.equal(scored.status, 0, scored.stderr);
    assert.equal(JSON.parse(scored.stdout).count, 30);
  });

  it('exits 2 naming a data file that does not exist', () => {
    const missing = modelLab('onnx', 'evaluate', modelPath('cnn'), join(root, 'absent.csv'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^error: .*absent\.csv: the data file or folder does not exist\n$/);
  });
});
