/**
 * The ONNX importer beyond parity with PyTorch's training (onnxParity.test.ts): eval-mode
 * outputs equal onnxruntime running the original file, the fine-tuned export keeps a symbolic
 * batch, freezing, and every way an import is refused (corrupt file, unsupported ops, nothing
 * to train, a missing external data file, ambiguous inputs / outputs).
 */
import { strict as assert } from 'node:assert';
import type { FillValue } from '../../../src/contract/experiment';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import {
  importOnnxFile,
  OnnxImportError,
  planImport,
  readOnnxFile,
  readOnnxModel,
  type ImportOptions,
} from '../../../src/engine/onnx';
import { batchOf, CASES, compileCase, modelPath, readReference } from './onnxFixtures';
import { idFill } from '../../../src/engine/onnx/importInputs';

const compile = (name: string, options: ImportOptions = readReference(name).import ?? {}) =>
  compileCase(importOnnxFile(modelPath(name), options), readReference(name));

/**
 * Runs an ONNX file's first input → first output with onnxruntime; its other inputs (int64 in the
 * Hugging Face style case) hold their `fill` value at every position of x's shape.
 */
async function runOriginal(
  bytes: Uint8Array,
  x: Float32Array | BigInt64Array,
  dims: number[],
  fill: Record<string, FillValue> = {},
) {
  const session = await ort.InferenceSession.create(bytes);
  const type = x instanceof BigInt64Array ? 'int64' : 'float32';
  // One value everywhere, or computed from the ids: a mask of the padding, a pair's type ids
  // (idFill, held against the tokenizer's own type ids in test/unit/data/textPairs.test.ts).
  const others = Object.entries(fill).map(([name, value]) => [
    name,
    new ort.Tensor(
      'int64',
      typeof value === 'object'
        ? BigInt64Array.from(idFill(value, x as BigInt64Array, dims.at(-1)!), BigInt)
        : new BigInt64Array(x.length).fill(BigInt(value)),
      dims,
    ),
  ]);
  const out = await session.run({
    [session.inputNames[0]]: new ort.Tensor(type, x, dims),
    ...Object.fromEntries(others),
  });
  const data = out[session.outputNames[0]].data as Float32Array;
  await session.release();
  return data;
}

const largestDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

describe('imported models in eval mode and export', () => {
  for (const name of CASES) {
    // A file exported in training mode runs BatchNormalization on batch statistics and drops in
    // onnxruntime: its eval-mode reference is PyTorch's.
    const training = readReference(name).exportedInTrainingMode === true;
    it(`${name}: predictions equal ${training ? "PyTorch's eval mode" : 'onnxruntime running the original file'}`, async () => {
      const ref = readReference(name);
      const model = await compile(name);
      const batch = batchOf(ref, 0);
      const ours = await model.predict(batch.x, ref.batchSize);
      await model.dispose();
      const theirs = training
        ? Float32Array.from(ref.evalOutputBefore!)
        : await runOriginal(
            readFileSync(modelPath(name)),
            batch.x,
            [ref.batchSize, ...ref.input.shape],
            ref.import?.fill,
          );
      assert.equal(ours.length, theirs.length);
      assert.ok(
        largestDifference(ours, theirs) < 1e-5,
        `largest difference ${largestDifference(ours, theirs)}`,
      );
    });
  }

  it('the fine-tuned export runs any batch size and gives the trained predictions', async () => {
    const ref = readReference('transformer');
    const model = await compile('transformer');
    await model.train([batchOf(ref, 0), batchOf(ref, 1)], [0.01, 0.01]);
    const batch = batchOf(ref, 2);
    const trained = await model.predict(batch.x, ref.batchSize);
    const exported = await model.exportOnnx();
    await model.dispose();
    const before = await runOriginal(readFileSync(modelPath('transformer')), batch.x, [8, 8]);
    assert.ok(largestDifference(trained, before) > 1e-3, 'training changed the predictions');
    const three = (batch.x as BigInt64Array).slice(0, 3 * 8);
    const fromExport = await runOriginal(exported, three, [3, 8]);
    assert.ok(largestDifference(fromExport, trained.slice(0, fromExport.length)) < 1e-5);
    const decoded = onnx.ModelProto.decode(exported);
    const names = decoded.graph!.initializer!.map((t) => t.name);
    assert.ok(names.includes('block.ln2.weight'), 'an Identity copy became an initializer of its own');
    assert.equal(decoded.graph!.input![0].type!.tensorType!.shape!.dim![0].dimParam, 'batch');
  });

  it('frozen initializers stay as they were; the others train', async () => {
    const ref = readReference('cnn');
    const plan = importOnnxFile(modelPath('cnn'), { freeze: ['conv'] });
    assert.deepEqual(
      plan.parameters.map((p) => p.onnxName),
      ['fc.weight', 'fc.bias'],
    );
    const model = await compileCase(plan, ref);
    await model.train([batchOf(ref, 0)], [0.1]);
    const exported = onnx.ModelProto.decode(await model.exportOnnx());
    await model.dispose();
    const original = onnx.ModelProto.decode(readFileSync(modelPath('cnn')));
    const raw = (m: onnx.ModelProto, name: string) =>
      Buffer.from(m.graph!.initializer!.find((t) => t.name === name)!.rawData!).toString('hex');
    assert.equal(raw(exported, 'conv1.weight'), raw(original, 'conv1.weight'));
    assert.notEqual(raw(exported, 'fc.weight'), raw(original, 'fc.weight'));
  });
});

const TINY_WEIGHTS = Float32Array.from({ length: 12 }, (_, i) => i / 10);

/** A tiny model built with the engine's own builder: x [2, 3] · w [3, 4], then `tail`. */
function tinyModel(tail?: (b: GraphBuilder, y: ReturnType<GraphBuilder['matmul']>) => void): Uint8Array {
  const b = new GraphBuilder();
  const y = b.matmul(b.input('x', 'float32', [2, 3]), b.initializer('w', 'float32', [3, 4], TINY_WEIGHTS));
  if (tail) tail(b, y);
  else b.output(y, 'y');
  return serializeModel(b);
}

function refusal(run: () => unknown): OnnxImportError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof OnnxImportError, `an OnnxImportError, got ${String(error)}`);
    return error;
  }
  assert.fail('the import was accepted');
}

describe('refused imports say why', () => {
  it('a file that decodes but lacks a value a node reads: the gap is named', () => {
    const model = onnx.ModelProto.decode(tinyModel());
    model.graph!.initializer = [];
    const error = refusal(() => planImport(readOnnxModel(onnx.ModelProto.encode(model).finish())));
    assert.equal(error.kind, 'corrupt');
    assert.match(
      error.message,
      /node MatMul \(MatMul\) reads w, which no input, initializer or earlier node provides/,
    );
  });

  it('a corrupt file', () => {
    const bytes = readFileSync(modelPath('cnn')).subarray(0, 700);
    const error = refusal(() => readOnnxModel(bytes));
    assert.equal(error.kind, 'corrupt');
    assert.match(error.message, /not a valid ONNX model/);
  });

  it('unsupported ops and attributes: every node named, with its place and the supported ops', () => {
    const bytes = tinyModel((b, y) => {
      const c = b.op('Tan', [y], {}, { types: [{ dtype: 'float32', shape: y.shape }] })[0];
      const conv = b.op(
        'ConvTranspose',
        [b.reshape(c, [1, 4, 2, 1]), b.constant(new Float32Array(8), [4, 2, 1, 1])],
        { auto_pad: 'SAME_UPPER' },
        { types: [{ dtype: 'float32', shape: [1, 2, 2, 1] }] },
      )[0];
      b.output(conv, 'y');
    });
    const error = refusal(() => planImport(readOnnxModel(bytes)));
    assert.equal(error.kind, 'unsupported');
    assert.deepEqual(
      error.unsupported.map((u) => u.opType),
      ['Tan', 'ConvTranspose'],
    );
    assert.match(error.message, /Tan \(node Tan, 2 of \d+\): no importer or gradient rule for this op/);
    assert.match(
      error.message,
      /ConvTranspose \(node ConvTranspose, \d+ of \d+\): auto_pad other than NOTSET \(export with explicit pads\)/,
    );
    assert.match(error.message, /Supported ops: .*LSTM.*MatMul/);
  });

  it('a graph with no float initializers has nothing to train', () => {
    const b = new GraphBuilder();
    const ids = b.input('ids', 'int64', [2, 3]);
    const table = b.initializer('table', 'int64', [5, 2], new BigInt64Array(10));
    b.output(b.cast(b.op('Gather', [table, ids])[0], 'float32'), 'y');
    const error = refusal(() => planImport(readOnnxModel(serializeModel(b))));
    assert.equal(error.kind, 'no-parameters');
    assert.match(error.message, /no float initializers/);
  });

  it('an external data file that is missing, and one that is there', () => {
    const folder = mkdtempSync(join(tmpdir(), 'onnx-external-'));
    const model = onnx.ModelProto.decode(tinyModel());
    const w = model.graph!.initializer![0];
    const data = Buffer.from(w.rawData!);
    w.rawData = new Uint8Array();
    w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    w.externalData = [{ key: 'location', value: 'weights.bin' }];
    const path = join(folder, 'model.onnx');
    writeFileSync(path, onnx.ModelProto.encode(model).finish());
    const error = refusal(() => readOnnxFile(path));
    assert.equal(error.kind, 'external-data');
    assert.match(
      error.message,
      /tensor w is stored in the external data file weights\.bin.*keep that file next to the model/,
    );
    writeFileSync(join(folder, 'weights.bin'), data);
    const plan = planImport(readOnnxFile(path));
    assert.deepEqual(Array.from(plan.parameters[0].data), Array.from(TINY_WEIGHTS));
  });

  it('a graph that reads a second input (an attention mask) is fed it from "fill"; without one it is refused saying what to write', () => {
    const twoInputs = (readMask: boolean) => {
      const b = new GraphBuilder();
      const x = b.input('input_ids', 'float32', [2, 3]);
      const mask = b.input('attention_mask', 'float32', [2, 3]);
      const y = b.matmul(readMask ? b.mul(x, mask) : x, b.initializer('w', 'float32', [3, 4], TINY_WEIGHTS));
      b.output(y, 'logits');
      return readOnnxModel(serializeModel(b));
    };
    const error = refusal(() => planImport(twoInputs(true), { input: 'input_ids' }));
    assert.equal(error.kind, 'unsupported');
    assert.match(
      error.message,
      /also reads attention_mask \(float32 \[2, 3\]\), which the data does not feed \(it feeds input_ids\): give it a value for every position in the model section, e\.g\. "fill": \{ "attention_mask": 1 \}/,
    );
    // The fed input is the one "fill" leaves.
    const plan = planImport(twoInputs(true), { fill: { attention_mask: 0.5 } });
    assert.equal(plan.input.name, 'input_ids');
    // Its first axis is a fixed number, so it is one constant of the whole shape.
    assert.deepEqual(plan.filled, [
      { name: 'attention_mask', dtype: 'float32', dims: [2, 3], batched: false, value: 0.5 },
    ]);
    assert.equal(
      planImport(twoInputs(false), { input: 'input_ids' }).input.name,
      'input_ids',
      'an input no node reads',
    );
    // A mask of the padding compares token ids: float features have none.
    assert.match(
      refusal(() => planImport(twoInputs(true), { fill: { attention_mask: { padToken: 0 } } })).message,
      /fill gives attention_mask a padToken, but the data feeds input_ids, which holds float32, not token ids/,
    );
  });

  it('a mask of the padding must have the shape of the ids it masks', () => {
    const b = new GraphBuilder();
    const ids = b.input('input_ids', 'int64', [2, 3]);
    const mask = b.input('attention_mask', 'float32', [2, 1, 3]);
    const y = b.matmul(
      b.mul(b.cast(ids, 'float32'), mask),
      b.initializer('w', 'float32', [3, 4], TINY_WEIGHTS),
    );
    b.output(y, 'logits');
    const model = readOnnxModel(serializeModel(b));
    assert.match(
      refusal(() => planImport(model, { fill: { attention_mask: { padToken: 0 } } })).message,
      /fill gives attention_mask a padToken, but its shape \[2, 1, 3\] is not that of input_ids \[2, 3\], whose ids it masks/,
    );
    assert.equal(planImport(model, { fill: { attention_mask: 1 } }).filled[0].name, 'attention_mask');
  });

  it("a pair's type ids name a separator that is a token id and not the pad token", () => {
    const bert = readOnnxFile(join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'bert-style-opset17.onnx'));
    const plan = (typeIds: FillValue) =>
      planImport(bert, { fill: { attention_mask: 1, token_type_ids: typeIds }, sizes: { sequence: 8 } });
    assert.deepEqual(plan({ padToken: 0, secondTextAfter: 3 }).filled[1].value, {
      padToken: 0,
      secondTextAfter: 3,
    });
    assert.match(
      refusal(() => plan({ padToken: 0, secondTextAfter: 0 })).message,
      /fill gives token_type_ids the same id 0 as padToken and secondTextAfter; the separator between two texts is not the pad token/,
    );
    assert.match(
      refusal(() => plan({ padToken: 0, secondTextAfter: 2.5 })).message,
      /fill gives token_type_ids secondTextAfter 2\.5; a token id is a whole number ≥ 0/,
    );
  });

  describe('a Hugging Face style export (input_ids, attention_mask, token_type_ids over [batch, sequence])', () => {
    const bert = () =>
      readOnnxFile(join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'bert-style-opset17.onnx'));
    const fill = { attention_mask: 1, token_type_ids: 0 };

    it('plans with its ids fed, the others filled and the sequence sized', () => {
      const plan = planImport(bert(), { fill, sizes: { sequence: 12 } });
      assert.equal(plan.input.name, 'input_ids');
      assert.equal(plan.inputKind, 'tokens');
      assert.deepEqual(plan.inputShape, [12]);
      assert.deepEqual(
        plan.filled.map((f) => [f.name, f.dtype, f.dims, f.batched, f.value]),
        [
          ['attention_mask', 'int64', [12], true, 1],
          ['token_type_ids', 'int64', [12], true, 0],
        ],
      );
    });

    for (const [what, options, message] of [
      [
        'three inputs and no choice',
        {},
        /the graph has 3 inputs \(input_ids, attention_mask, token_type_ids\); name the one the data feeds with "input", and give the others a value with "fill"/,
      ],
      [
        'no fill',
        { input: 'input_ids', sizes: { sequence: 12 } },
        /also reads attention_mask \(int64 \[batch, sequence\]\), token_type_ids \(int64 \[batch, sequence\]\).*"fill": \{ "attention_mask": 1, "token_type_ids": 0 \}/,
      ],
      [
        'no size for the sequence',
        { fill },
        /input input_ids has shape \[batch, sequence\], and the file does not say how long sequence is: give its size for one example in the model section, e\.g\. "sizes": \{ "sequence": 128 \}/,
      ],
      [
        'a size for an axis it does not have',
        { fill, sizes: { seq: 12 } },
        /sizes names seq, but no input of the graph has an axis of that name after the batch \(its named axes: sequence\)/,
      ],
      [
        'a size of zero',
        { fill, sizes: { sequence: 0 } },
        /sizes gives sequence 0; a size is a whole number ≥ 1/,
      ],
      [
        'a fill for an input it does not have',
        { fill: { ...fill, mask: 1 }, sizes: { sequence: 12 } },
        /fill names mask, but the graph has no input of that name \(its inputs: input_ids, attention_mask, token_type_ids\)/,
      ],
      [
        'a fraction for integer ids',
        { fill: { ...fill, token_type_ids: 0.5 }, sizes: { sequence: 12 } },
        /fill gives token_type_ids 0\.5, but it holds int64: give a whole number/,
      ],
      [
        'a pad token that is no token id',
        { fill: { ...fill, attention_mask: { padToken: 1.5 } }, sizes: { sequence: 12 } },
        /fill gives attention_mask padToken 1\.5; a token id is a whole number ≥ 0/,
      ],
    ] as const)
      it(`is refused with ${what}, saying what to write`, () => {
        assert.match(refusal(() => planImport(bert(), options)).message, message);
      });
  });

  it('several outputs need "output"; a wrong name lists the real ones', () => {
    const bytes = tinyModel((b, y) => {
      b.output(y, 'scores');
      b.output(b.relu(y), 'features');
    });
    const model = readOnnxModel(bytes);
    assert.match(
      refusal(() => planImport(model)).message,
      /2 outputs \(scores, features\); name the one to use with "output"/,
    );
    assert.match(
      refusal(() => planImport(model, { output: 'logits' })).message,
      /no output named logits; its outputs are: scores, features/,
    );
    assert.equal(planImport(model, { output: 'features' }).output.name, 'features');
  });
});
