/** Element types and typed-array storage of graph values (kept apart so shape inference needs no builder). */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
