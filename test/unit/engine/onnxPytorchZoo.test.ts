/**
 * Models written the way PyTorch tutorials write them and exported as tutorials export them
 * (test/fixtures/onnx-zoo/export.py: eval mode, a dynamic batch axis, PyTorch 1.13's default
 * opset 14 and opset 17). The compatibility check (`model-lab onnx check`) answers for each:
 * the imported forward against onnxruntime on the original file, the gradients against finite
 * differences; a model Model Lab cannot train is refused naming the op, its nodes and what to do.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readOnnxFile } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';

const ZOO = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo');
const OPSETS = [14, 17];
const zooFile = (name: string, opset: number) => join(ZOO, `${name}-opset${opset}.onnx`);

async function assertTrainable(name: string, opset: number, opType: string) {
  const report = await checkCompatibility(readOnnxFile(zooFile(name, opset)));
  assert.equal(report.verdict, 'trainable', report.problems.join('; '));
  assert.equal(report.opset, opset);
  assert.ok(
    report.ops.some((op) => op.opType === opType && op.supported),
    `${opType} among ${report.ops.map((op) => op.opType).join(', ')}`,
  );
  assert.ok((report.forwardDifference ?? Infinity) < 1e-5, `forward difference ${report.forwardDifference}`);
  assert.equal(report.gradientChecks?.length, 3);
}

describe('PyTorch models as people write them', () => {
  for (const opset of OPSETS)
    it(`Conv1d + GELU + LayerNorm at opset ${opset}: trainable, 1-D convolutions as 2-D ones of height 1`, () =>
      assertTrainable('conv1d-gelu-layernorm', opset, 'Conv'));
});
