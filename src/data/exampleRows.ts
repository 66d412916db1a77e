/**
 * Examples as a dataset keeps them, one row each: floats, token ids, or images' 8-bit pixels. An
 * image's value is its byte / 255 (torchvision's ToTensor of the resized PIL image), so a folder of
 * photos takes a quarter of the memory it would as floats; rows become floats as they are read.
 */
export type ExampleValues = Float32Array | BigInt64Array | Uint8Array;

/** Row `row` (of `size` values) as the model reads it, a copy. */
export function readRow(x: ExampleValues, row: number, size: number): Float32Array | BigInt64Array {
  const values = x.subarray(row * size, (row + 1) * size);
  return values instanceof Uint8Array ? pixelValues(values) : values.slice();
}

/** Copies row `row` (of `size` values) into `out` at `at`, as the model reads it. */
export function copyRow(
  x: ExampleValues,
  row: number,
  size: number,
  out: Float32Array | BigInt64Array,
  at: number,
): void {
  const values = x.subarray(row * size, (row + 1) * size);
  if (values instanceof Uint8Array) {
    const floats = out as Float32Array;
    for (let i = 0; i < size; i++) floats[at + i] = values[i] / 255;
  } else (out as Float32Array).set(values as Float32Array, at);
}

/** Bytes as floats in [0, 1]. */
export function pixelValues(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (byte) => byte / 255);
}
