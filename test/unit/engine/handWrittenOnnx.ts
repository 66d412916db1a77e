/** Pieces of ONNX graphs written by hand in tests: deterministic float weights and typed graph inputs / outputs. */
import { onnx } from 'onnx-proto';

export const FLOAT = onnx.TensorProto.DataType.FLOAT;

export const weights = (name: string, dims: number[], seed: number): onnx.ITensorProto => {
  const count = dims.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: count }, (_, i) => Math.sin(seed + i * 1.7) * 0.6);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer) };
};

export const tensorInfo = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name,
  type: {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});
