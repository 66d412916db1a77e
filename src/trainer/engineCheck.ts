// The engine self-check: proves that onnxruntime-node loads in this process and
// runs a graph we serialized ourselves, by comparing its answer with the same
// formula computed in plain JavaScript. Shown by "Model Lab: Check Engine".
import { onnx } from 'onnx-proto';
import type { EngineCheckReport, TensorValues } from '../protocol/engineCheck';

/** Known, tie-free inputs: A is 2×3, B is 3×2, C (a bias initializer) broadcasts over rows. */
export const engineCheckInputs = {
  A: { dims: [2, 3], data: [1, 2, 3, 4, 5, 6] },
  B: { dims: [3, 2], data: [0.5, -1, 2, 0.25, -1.5, 3] },
  C: { dims: [2], data: [0.125, -2] },
} as const satisfies Record<string, TensorValues>;

const { FLOAT } = onnx.TensorProto.DataType;

function floatValueInfo(name: string, dims: readonly number[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  };
}

/** Y = MatMul(A, B) + C as a serialized ONNX model (IR 8, opset 17); C is an initializer. */
export function buildEngineCheckModel(): Uint8Array {
  const { A, B, C } = engineCheckInputs;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'model-lab',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'engine_check',
      node: [
        { opType: 'MatMul', input: ['A', 'B'], output: ['AB'], name: 'matmul' },
        { opType: 'Add', input: ['AB', 'C'], output: ['Y'], name: 'add_bias' },
      ],
      initializer: [{ name: 'C', dims: [...C.dims], dataType: FLOAT, floatData: [...C.data] }],
      input: [floatValueInfo('A', A.dims), floatValueInfo('B', B.dims)],
      output: [floatValueInfo('Y', [A.dims[0], B.dims[1]])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The reference: A·B + C in plain JavaScript, rounded to float32 like the runtime. */
export function referenceOutput(): TensorValues {
  const { A, B, C } = engineCheckInputs;
  const [rows, inner] = A.dims;
  const cols = B.dims[1];
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += A.data[r * inner + k] * B.data[k * cols + c];
      data.push(Math.fround(sum + C.data[c]));
    }
  }
  return { dims: [rows, cols], data };
}

/** Loads onnxruntime-node (lazily, so a broken install becomes a reported failure) and runs the check. */
export async function runEngineCheck(): Promise<EngineCheckReport> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(buildEngineCheckModel(), { executionProviders: ['cpu'] });
  try {
    const { A, B } = engineCheckInputs;
    const feeds = {
      A: new ort.Tensor('float32', Float32Array.from(A.data), [...A.dims]),
      B: new ort.Tensor('float32', Float32Array.from(B.data), [...B.dims]),
    };
    const results = await session.run(feeds);
    const y = results.Y;
    const output: TensorValues = { dims: [...y.dims], data: Array.from(y.data as Float32Array) };
    const expected = referenceOutput();
    const maxAbsError = output.data.reduce(
      (max, value, i) => Math.max(max, Math.abs(value - expected.data[i])),
      0,
    );
    return {
      ortVersion: ort.env.versions.node ?? ort.env.versions.common,
      nodeVersion: process.versions.node,
      device: 'cpu',
      graph: 'Y = MatMul(A, B) + C',
      inputs: engineCheckInputs,
      output,
      expected,
      maxAbsError: output.dims.join() === expected.dims.join() ? maxAbsError : Number.MAX_VALUE,
    };
  } finally {
    await session.release();
  }
}
