/**
 * ReduceL1, ReduceL2, ReduceSumSquare and ReduceLogSumExp as the ONNX importer composes them
 * (onnx/importOps.ts): each as a one-node model, imported, against onnxruntime running the node
 * itself (forward), and its gradient against finite differences.
 */
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import { Rng } from '../../../src/engine/init';
import { checkImportedNode } from './importedNodeCheck';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const SHAPE = [2, 3, 4];

/** x [2, 3, 4] · w [4] → op (axes as opset 17 writes them, an attribute; opset 18, an input) → y. */
function reductionModel(op: string, axes: number[], keepdims: number, opset: 17 | 18): Uint8Array {
  const axesAttr = { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: axes };
  const graph: onnx.IGraphProto = {
    name: op,
    input: [
      {
        name: 'x',
        type: { tensorType: { elemType: FLOAT, shape: { dim: SHAPE.map((d) => ({ dimValue: d })) } } },
      },
    ],
    output: [{ name: 'y', type: { tensorType: { elemType: FLOAT } } }],
    initializer: [
      { name: 'w', dims: [4], dataType: FLOAT, floatData: [0.9, -1.1, 1.3, 0.7] },
      ...(opset === 18
        ? [{ name: 'axes', dims: [axes.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: axes }]
        : []),
    ],
    node: [
      { opType: 'Mul', input: ['x', 'w'], output: ['h'] },
      {
        opType: op,
        input: opset === 18 ? ['h', 'axes'] : ['h'],
        output: ['y'],
        attribute: [
          { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: keepdims },
          ...(opset === 17 ? [axesAttr] : []),
        ],
      },
    ],
  };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: opset }], graph }),
  ).finish();
}

const rng = new Rng(5);
// Away from 0, where |x| has its kink: values in ±[0.3, 2.3].
const x = Float32Array.from({ length: 24 }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.3 + 2 * rng.uniform()));

for (const op of ['ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp'])
  for (const [axes, keepdims, opset] of [
    [[2], 0, 17],
    [[0, 2], 1, 17],
    [[1], 1, 18],
  ] as const)
    test(`${op} over axes [${axes}], keepdims ${keepdims}, opset ${opset}: onnxruntime's values, finite-difference gradient`, async () => {
      await checkImportedNode(reductionModel(op, [...axes], keepdims, opset), SHAPE, x);
    });
