// Pure formatting for the Check Engine panel, kept apart from the DOM so it is unit-tested.
import type { TensorValues } from '../../src/protocol/engineCheck';

/** A tensor as rows of values, e.g. "[[1, 2], [3, 4]]"; rank 1 as one row. */
export function formatTensor(tensor: TensorValues): string {
  const format = (value: number) => String(Number(value.toPrecision(6)));
  if (tensor.dims.length !== 2) return `[${tensor.data.map(format).join(', ')}]`;
  const [rows, cols] = tensor.dims;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++)
    lines.push(
      `[${tensor.data
        .slice(r * cols, (r + 1) * cols)
        .map(format)
        .join(', ')}]`,
    );
  return `[${lines.join(', ')}]`;
}

export function formatShape(dims: readonly number[]): string {
  return dims.join('×');
}
