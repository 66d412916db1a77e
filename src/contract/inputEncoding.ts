/**
 * How a table's feature columns become a model's input row: its numeric columns as they are (the
 * model scales them itself), then each categorical column one-hot encoded, one position per
 * category in the order listed. A value the training split never had encodes as all zeros.
 * With data.missing "fill", `fill` holds what an empty cell of each feature column becomes before
 * that: the training split's mean of a numeric column, its most frequent value of a categorical one.
 */
import { isFiniteNumber, isRecord, isString } from './guards';

export interface InputEncoding {
  numeric: string[];
  categorical: { column: string; categories: string[] }[];
  fill?: Record<string, number | string>;
}

/** The columns an encoding reads, by name: its numeric ones, then its categorical ones. */
export function encodedColumns({ numeric, categorical }: InputEncoding): string[] {
  return [...numeric, ...categorical.map((c) => c.column)];
}

/** An encoding read back from a model's metadata (`model_lab.input_encoding`), which anyone may have written. */
export function isInputEncoding(value: unknown): value is InputEncoding {
  if (!isRecord(value) || !Array.isArray(value.numeric) || !value.numeric.every(isString)) return false;
  const categorical = value.categorical;
  const fill = value.fill;
  return (
    Array.isArray(categorical) &&
    categorical.every(
      (c) => isRecord(c) && isString(c.column) && Array.isArray(c.categories) && c.categories.every(isString),
    ) &&
    (fill === undefined ||
      (isRecord(fill) && Object.values(fill).every((v) => isString(v) || isFiniteNumber(v))))
  );
}
