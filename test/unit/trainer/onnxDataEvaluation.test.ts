/**
 * "Evaluate on data…": the model as it is, on every row of a CSV (read unscaled and row-major
 * into its input), every image of a folder by class, or every window of a text, as training data
 * is declared. The scores equal onnxruntime running the original file on the same examples; data
 * that does not fit the model is refused naming the file and what does not fit.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { isOnnxEvaluateReply, type OnnxEvaluateReply } from '../../../src/protocol/onnxEvaluate';
import { evaluateOnnxOnData } from '../../../src/trainer/onnxDataEvaluation';
import { isOnnxEvaluation } from '../../../src/protocol/onnxEvaluate';
import { handleOnnxEvaluateMessage } from '../../../src/trainer/onnxEvaluateHandler';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { classificationScores } from '../../fixtures/classificationScores';
import { modelPath } from '../engine/onnxFixtures';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-evaluate-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * 50 rows of 64 pixels in [0, 3) (far from standardized) and a class 0–2, in `target` (last
 * column): the rows whose class `keep` keeps, each class written as `labelOf` writes it.
 */
function pixels(
  target: string,
  keep = (_label: number) => true,
  labelOf = (label: number, _row: number): string | number => label,
) {
  const rows = Array.from({ length: 50 }, (_, r) => ({
    x: Array.from({ length: 64 }, (_, i) => ((r * 13 + i * 7) % 30) / 10),
    label: (r * 7) % 3,
  })).filter((row) => keep(row.label));
  const header = [...Array.from({ length: 64 }, (_, i) => `p${i}`), target].join(',');
  const lines = rows.map((row, r) => [...row.x, labelOf(row.label, r)].join(','));
  return { rows, text: [header, ...lines].join('\n') + '\n' };
}

/** Mean cross-entropy and accuracy of the original file under onnxruntime, on the raw rows. */
async function reference(rows: { x: number[]; label: number }[], model = modelPath('cnn')) {
  const session = await ort.InferenceSession.create(model);
  const input = new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r.x)), [
    rows.length,
    1,
    8,
    8,
  ]);
  const logits = (await session.run({ input })).output.data as Float32Array;
  await session.release();
  return classificationScores(
    logits,
    rows.map((row) => row.label),
    3,
  );
}

/** The CNN scored on `data` (a CSV or an image folder) as onnxruntime scores it on `rows`. */
async function assertScoresLikeOnnxruntime(
  data: string,
  rows: { x: number[]; label: number }[],
  model = modelPath('cnn'),
) {
  const result = await evaluateOnnxOnData(model, data, createTrainerDeps());
  const expected = await reference(rows, model);
  assert.equal(result.task, 'classification');
  assert.equal(result.count, rows.length);
  assert.ok(
    Math.abs((result.values.loss ?? NaN) - expected.loss) < 1e-5,
    `${result.values.loss} vs ${expected.loss}`,
  );
  assert.equal(result.values.accuracy, expected.accuracy);
  assert.ok(isOnnxEvaluation(JSON.parse(JSON.stringify(result))));
  // Per class: the classes the rows hold, each with its count, and none the rows do not hold
  // unless predicted; recall weighted by support is the accuracy.
  const classes = result.classes ?? [];
  const held = new Set(rows.map((row) => row.label));
  assert.equal(classes.filter((c) => c.support > 0).length, held.size);
  assert.equal(
    classes.reduce((sum, c) => sum + c.support, 0),
    rows.length,
  );
  assert.ok(
    Math.abs(classes.reduce((sum, c) => sum + c.recall * c.support, 0) / rows.length - expected.accuracy) <
      1e-9,
  );
}

/**
 * The language model at `model` scored on every window of `T` characters of a text, as
 * onnxruntime scores the original file on the same windows (`feeds` names its inputs).
 */
async function assertLanguageModelScores(
  model: string,
  T: number,
  sizes: Record<string, number>,
  feeds: (ids: ort.Tensor) => Record<string, ort.Tensor>,
) {
  // The character ids are the text's characters sorted, as for training on a .txt file.
  const text = 'a cab bade a bad face; ace fed a dab. '.repeat(6);
  const data = join(root, 'text.txt');
  writeFileSync(data, text);
  const result = await evaluateOnnxOnData(model, data, createTrainerDeps(), sizes);
  const vocabulary = [...new Set(text)].sort();
  const ids = Array.from(text, (char) => vocabulary.indexOf(char));
  const windows = Math.floor((ids.length - 1) / T);
  assert.equal(result.task, 'language-model');
  assert.equal(result.count, windows);
  // No per-token table; what crosses the process boundary (as JSON) passes the host's guard.
  assert.equal(result.classes, undefined);
  assert.ok(isOnnxEvaluation(JSON.parse(JSON.stringify(result))));
  const session = await ort.InferenceSession.create(model);
  const x = new ort.Tensor('int64', BigInt64Array.from(ids.slice(0, windows * T).map(BigInt)), [windows, T]);
  const logits = Object.values(await session.run(feeds(x)))[0];
  await session.release();
  const V = logits.dims[2];
  const expected = classificationScores(logits.data as Float32Array, ids.slice(1, windows * T + 1), V).loss;
  assert.ok(Math.abs((result.values.loss ?? NaN) - expected) < 1e-5, `${result.values.loss} vs ${expected}`);
}

describe('evaluating an ONNX model on a data file', () => {
  it('scores every row, unscaled, as onnxruntime does on the original file (labels in the last column)', async () => {
    const { rows, text } = pixels('digit');
    const data = join(root, 'pixels.csv');
    writeFileSync(data, text);
    await assertScoresLikeOnnxruntime(data, rows);
  });

  it("scores rows holding only some of its classes, each integer label the model's class of that index", async () => {
    // Classes 0 and 2 of the three: read as 0 and 1 of two classes, they were refused (or misread).
    const { rows, text } = pixels('digit', (label) => label !== 1);
    const data = join(root, 'some-classes.csv');
    writeFileSync(data, text);
    await assertScoresLikeOnnxruntime(data, rows);
  });

  it('reads labels by the class names of the Hugging Face config.json beside the model', async () => {
    const dir = join(root, 'named');
    mkdirSync(dir, { recursive: true });
    copyFileSync(modelPath('cnn'), join(dir, 'model.onnx'));
    const names = ['zero', 'one', 'two'];
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ id2label: Object.fromEntries(names.entries()) }),
    );
    // Only "two" and "zero", whose sorted order is not the model's.
    const { rows, text } = pixels(
      'digit',
      (label) => label !== 1,
      (label) => names[label],
    );
    const data = join(root, 'named.csv');
    writeFileSync(data, text);
    await assertScoresLikeOnnxruntime(data, rows, join(dir, 'model.onnx'));
  });

  it('refuses labels that are not its classes, saying to label the examples with its class indices', async () => {
    const { text } = pixels('digit', undefined, (_label, r) => 'abcd'[r % 4]);
    const data = join(root, 'letters.csv');
    writeFileSync(data, text);
    await assert.rejects(evaluateOnnxOnData(modelPath('cnn'), data, createTrainerDeps()), (error: Error) => {
      assert.match(
        error.message,
        /letters\.csv: output of model\.onnx scores 3 classes, but the data's 4 labels are not all among them: label the examples with its class indices, 0 to 2/,
      );
      assert.doesNotMatch(error.message, /newHead/);
      return true;
    });
  });

  it('scores every image of a folder by class (its classes the sorted subfolders), as onnxruntime does', async () => {
    const folder = join(root, 'images');
    const rows: { x: number[]; label: number }[] = [];
    for (const [label, name] of ['dark', 'grey', 'light'].entries()) {
      mkdirSync(join(folder, name), { recursive: true });
      for (let i = 0; i < 5; i++) {
        const levels = Array.from({ length: 64 }, (_, p) => (p * 37 + i * 53 + label * 71) % 256);
        const image = new PNG({ width: 8, height: 8 });
        levels.forEach((v, p) => image.data.set([v, v, v, 255], p * 4));
        writeFileSync(join(folder, name, `${i}.png`), PNG.sync.write(image));
        rows.push({ x: levels.map((v) => v / 255), label });
      }
    }
    await assertScoresLikeOnnxruntime(folder, rows);
  });

  it("scores a language model on every window of a text, as long as the model's input", async () => {
    await assertLanguageModelScores(modelPath('transformer'), 8, {}, (x) => ({ input: x }));
  });

  it('scores a GPT-2 style export (token ids and an attention mask over [batch, sequence]) in windows of the length given', async () => {
    const gpt2 = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'gpt2-style-opset17.onnx');
    await assertLanguageModelScores(gpt2, 10, { sequence: 10 }, (x) => ({
      input_ids: x,
      attention_mask: new ort.Tensor('int64', new BigInt64Array(x.size).fill(1n), x.dims),
    }));
    // Without a length for the sequence, it is refused naming the axis.
    await assert.rejects(
      evaluateOnnxOnData(gpt2, join(root, 'text.txt'), createTrainerDeps()),
      /does not say how long sequence is/,
    );
  });

  it('refuses a text with more different characters than the model has tokens, naming both counts', async () => {
    const data = join(root, 'wide.txt');
    writeFileSync(data, 'the quick brown fox jumps over the lazy dog. '.repeat(4));
    await assert.rejects(
      evaluateOnnxOnData(modelPath('transformer'), data, createTrainerDeps()),
      /wide\.txt: the text has 28 different characters \(tokens\), but output of model\.onnx knows 11/,
    );
  });

  it('refuses data whose examples do not fit the model, naming the file and both shapes', async () => {
    const data = join(root, 'narrow.csv');
    writeFileSync(data, 'a,b,label\n1,2,0\n3,4,1\n5,6,2\n');
    await assert.rejects(
      evaluateOnnxOnData(modelPath('cnn'), data, createTrainerDeps()),
      /narrow\.csv: the data gives examples of shape \[2\] \(2 values\), but input input of model\.onnx takes \[1, 8, 8\] \(64 values\)/,
    );
  });

  it('the training process answers a request with the scores, or a failure that names the file', async () => {
    const ask = (data: string) =>
      new Promise<unknown>((resolve) =>
        assert.ok(
          handleOnnxEvaluateMessage(
            { type: 'onnxEvaluate/run', model: modelPath('cnn'), data },
            createTrainerDeps(),
            (reply: OnnxEvaluateReply) => resolve(JSON.parse(JSON.stringify(reply))),
          ),
        ),
      );
    const scored = await ask(join(root, 'pixels.csv'));
    assert.ok(isOnnxEvaluateReply(scored) && scored.type === 'onnxEvaluate/report');
    const missing = await ask(join(root, 'absent.csv'));
    assert.ok(isOnnxEvaluateReply(missing) && missing.type === 'onnxEvaluate/failure');
    assert.match(missing.type === 'onnxEvaluate/failure' ? missing.message : '', /absent\.csv/);
  });
});
