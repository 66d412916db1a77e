/**
 * How a table's feature columns become a model's input row: its numeric columns as they are (the
 * model scales them itself), then each categorical column one-hot encoded, one position per
 * category in the order listed. A value the training split never had encodes as all zeros.
 * With data.missing "fill", `fill` holds what an empty cell of each feature column becomes before
 * that: the training split's mean of a numeric column, its most frequent value of a categorical one.
 */
export interface InputEncoding {
  numeric: string[];
  categorical: { column: string; categories: string[] }[];
  fill?: Record<string, number | string>;
}
