/**
 * `model-lab onnx check`: every stored PyTorch case is trainable with a faithful forward and
 * gradients; unsupported ops are listed by node (exit 3); integer-only and multi-output graphs
 * get an answer, not a crash; an unreadable file exits 2.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { CASES, modelPath } from '../engine/onnxFixtures';
import { modelLab } from '../../fixtures/modelLabCli';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-check-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** x [2, 4] → tanh(x·w) → Tan (no gradient rule in Model Lab). */
function withUnsupportedOp(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 4]);
  const h = b.unary(
    'Tanh',
    b.matmul(x, b.initializer('w', 'float32', [4, 3], new Float32Array(12).fill(0.1))),
  );
  b.output(b.op('Tan', [h], {}, { types: [{ dtype: 'float32', shape: h.shape }] })[0], 'y');
  return serializeModel(b);
}

/** A Loop (its body is a subgraph attribute) applying tanh twice to x·w. */
function withLoop(): Uint8Array {
  const b = new GraphBuilder();
  const w = b.initializer('w', 'float32', [3, 3], new Float32Array(9).fill(0.2));
  const y = b.matmul(b.input('x', 'float32', [2, 3]), w);
  const body = b.subgraph('body');
  body.input('i', 'int64', []);
  const cond = body.input('cond', 'bool', []);
  const carried = body.input('h', 'float32', [2, 3]);
  body.output(cond, 'cond_out');
  body.output(body.unary('Tanh', carried), 'h_out');
  const [out] = b.op(
    'Loop',
    [b.scalar(2, 'int64'), b.constant(Uint8Array.from([1]), [], 'bool'), y],
    { body },
    {
      types: [{ dtype: 'float32', shape: [2, 3] }],
    },
  );
  b.output(out, 'y');
  return serializeModel(b);
}

/** Token ids → rows of an int64 table, cast to float: nothing to train. */
function integerOnly(): Uint8Array {
  const b = new GraphBuilder();
  const ids = b.input('ids', 'int64', [2, 3]);
  const table = b.initializer(
    'table',
    'int64',
    [5, 2],
    BigInt64Array.from({ length: 10 }, (_, i) => BigInt(i)),
  );
  b.output(b.cast(b.op('Gather', [table, ids])[0], 'float32'), 'y');
  return serializeModel(b);
}

/** x [2, 3] · w, with two outputs: the scores and their ReLU. */
function twoOutputs(): Uint8Array {
  const b = new GraphBuilder();
  const w = b.initializer(
    'w',
    'float32',
    [3, 4],
    Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)),
  );
  const y = b.matmul(b.input('x', 'float32', [2, 3]), w);
  b.output(y, 'scores');
  b.output(b.relu(y), 'features');
  return serializeModel(b);
}

/** x [2, 4] · w → Sqrt: half of the random inputs give NaN outputs, which no numeric check passes. */
function notFiniteOnRandomInputs(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 4]);
  const w = b.initializer(
    'w',
    'float32',
    [4, 3],
    Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)),
  );
  b.output(b.unary('Sqrt', b.matmul(x, w)), 'y');
  return serializeModel(b);
}

describe('onnx check answers whether Model Lab can train a model', () => {
  for (const name of CASES) {
    it(`${name}: trainable, forward equal to onnxruntime, gradients equal to finite differences`, async () => {
      const report = await checkCompatibility(readOnnxModel(readFileSync(modelPath(name))));
      assert.equal(report.verdict, 'trainable', report.problems.join('; '));
      assert.ok(report.ops.every((op) => op.supported));
      assert.ok(report.forwardDifference! < 1e-5, `forward difference ${report.forwardDifference}`);
      assert.ok(report.gradientChecks!.length >= 2);
      assert.ok(report.gradientChecks!.every((g) => g.relativeError !== null && g.relativeError < 2e-2));
    });
  }

  it('an unsupported op: listed with its node, the others supported', async () => {
    const report = await checkCompatibility(readOnnxModel(withUnsupportedOp()));
    assert.equal(report.verdict, 'unsupported');
    const tan = report.ops.find((op) => op.opType === 'Tan');
    assert.deepEqual(tan, {
      opType: 'Tan',
      supported: false,
      nodes: ['Tan'],
      reason: 'no importer or gradient rule for this op',
    });
    assert.ok(report.ops.filter((op) => op.opType !== 'Tan').every((op) => op.supported));
    assert.match(
      report.problems[0],
      /Tan \(node Tan, 3 of 4\): no importer or gradient rule for this op\. To fine-tune it, build those layers in PyTorch from layers whose ops are supported, or export again with another opset_version \(7 to 25\), then import the new file\. Supported ops: .*LayerNormalization/,
    );
  });

  it('a control-flow op with a subgraph is refused by name, not a crash', async () => {
    const report = await checkCompatibility(readOnnxModel(withLoop()));
    assert.equal(report.verdict, 'unsupported');
    assert.deepEqual(
      report.ops.filter((op) => !op.supported).map((op) => op.opType),
      ['Loop'],
    );
  });

  it('an integer-only graph: nothing to train, said without a crash', async () => {
    const report = await checkCompatibility(readOnnxModel(integerOnly()));
    assert.equal(report.verdict, 'unsupported');
    assert.match(report.problems[0], /no float initializers/);
  });

  it('a graph with two outputs is checked on the first, or on the one named', async () => {
    const model = readOnnxModel(twoOutputs());
    const first = await checkCompatibility(model);
    assert.equal(first.verdict, 'trainable', first.problems.join('; '));
    assert.equal(first.output, 'scores');
    const named = await checkCompatibility(model, { output: 'features' });
    assert.equal(named.verdict, 'trainable', named.problems.join('; '));
    assert.equal(named.output, 'features');
  });

  it('the command line: exit 0 with a JSON report, 3 with the unsupported list, 1 when a numeric check fails, 2 for a corrupt file', () => {
    const ok = modelLab('onnx', 'check', modelPath('lstm'), '--json');
    assert.equal(ok.status, 0, ok.stderr);
    const report = JSON.parse(ok.stdout) as { verdict: string; ops: { opType: string }[] };
    assert.equal(report.verdict, 'trainable');
    assert.ok(report.ops.some((op) => op.opType === 'LSTM'));

    const unsupported = join(root, 'tan.onnx');
    writeFileSync(unsupported, withUnsupportedOp());
    const refused = modelLab('onnx', 'check', unsupported);
    assert.equal(refused.status, 3, refused.stderr);
    assert.match(refused.stdout, /✗ Tan ×1 \(Tan\): no importer or gradient rule for this op/);
    assert.match(refused.stdout, /✓ MatMul ×1/);
    assert.match(refused.stdout, /Model Lab cannot train this model\./);

    const notFinite = join(root, 'sqrt.onnx');
    writeFileSync(notFinite, notFiniteOnRandomInputs());
    const failed = modelLab('onnx', 'check', notFinite);
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stdout, /Forward vs onnxruntime \(random inputs, batch 2\): largest difference NaN/);
    assert.match(failed.stdout, /Problem: the imported forward differs from onnxruntime by up to NaN/);
    const failedJson = modelLab('onnx', 'check', notFinite, '--json');
    assert.equal(failedJson.status, 1);
    const failedReport = JSON.parse(failedJson.stdout) as { verdict: string; forwardDifference: unknown };
    assert.equal(failedReport.verdict, 'numeric-check-failed');
    assert.equal(failedReport.forwardDifference, null, 'NaN is written as JSON null');

    const corrupt = join(root, 'corrupt.onnx');
    writeFileSync(corrupt, readFileSync(modelPath('cnn')).subarray(0, 500));
    const unreadable = modelLab('onnx', 'check', corrupt);
    assert.equal(unreadable.status, 2);
    assert.match(unreadable.stderr, /corrupt\.onnx: error: the file is not a valid ONNX model/);
  });
});
