/** Pieces of ONNX graphs written by hand in tests: deterministic float weights and typed graph inputs / outputs. */
import { strict as assert } from 'node:assert';
import { onnx } from 'onnx-proto';
import type { CompatibilityReport } from '../../../src/engine/onnx/compatibility';

export const FLOAT = onnx.TensorProto.DataType.FLOAT;

export const weights = (name: string, dims: number[], seed: number): onnx.ITensorProto => {
  const count = dims.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: count }, (_, i) => Math.sin(seed + i * 1.7) * 0.6);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer) };
};

/** A Constant node holding one float, its output named `name`. */
export const scalarConstant = (name: string, value: number): onnx.INodeProto => ({
  name,
  opType: 'Constant',
  output: [name],
  attribute: [
    {
      name: 'value',
      type: onnx.AttributeProto.AttributeType.TENSOR,
      t: { dims: [], dataType: FLOAT, floatData: [value] },
    },
  ],
});

/** A node named after its one output, as exporters name them. */
export const namedNode = (
  opType: string,
  input: string[],
  output: string,
  attribute: onnx.IAttributeProto[] = [],
): onnx.INodeProto => ({ name: output, opType, input, output: [output], attribute });

export const tensorInfo = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});

/** act = Tanh(input) → Flatten (axis 1) → · head → y: the classifier end of the hand-written conv graphs. */
export const tanhFlattenHead = (input: string): onnx.INodeProto[] => [
  { name: 'act', opType: 'Tanh', input: [input], output: ['t'] },
  {
    name: 'flat',
    opType: 'Flatten',
    input: ['t'],
    output: ['f'],
    attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
  },
  { name: 'fc', opType: 'MatMul', input: ['f', 'head'], output: ['y'] },
];

export const encodeModel = (graph: onnx.IGraphProto, opset = 14): Uint8Array =>
  onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: opset }], graph }),
  ).finish();

/** The check's verdict on a hand-written graph: trainable, the forward equal to onnxruntime's, the gradients of `parameters` equal to finite differences. */
export function assertChecksOut(report: CompatibilityReport, parameters?: string[]): void {
  assert.equal(report.verdict, 'trainable', report.problems.join('; '));
  assert.ok((report.forwardDifference ?? Infinity) < 1e-5, `forward difference ${report.forwardDifference}`);
  if (parameters)
    assert.deepEqual(
      report.gradientChecks?.map((g) => g.parameter),
      parameters,
    );
  assert.ok(report.gradientChecks!.every((g) => g.relativeError !== null && g.relativeError < 2e-2));
}

/** c = Conv(x, filters, bias) with `attribute`, and the initializers filters, bias and head [headRows, 2] it and tanhFlattenHead read. */
export const convLayer = (filterDims: number[], headRows: number, attribute: onnx.IAttributeProto[]) => ({
  initializer: [
    weights('filters', filterDims, 1),
    weights('bias', [filterDims[0]], 2),
    weights('head', [headRows, 2], 3),
  ],
  node: {
    name: 'conv',
    opType: 'Conv',
    input: ['x', 'filters', 'bias'],
    output: ['c'],
    attribute,
  } as onnx.INodeProto,
});
