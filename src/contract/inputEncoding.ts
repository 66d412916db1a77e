/**
 * How a table's feature columns become a model's input row: its numeric columns as they are (the
 * model scales them itself), then each categorical column one-hot encoded, one position per
 * category in the order listed. A value the training split never had encodes as all zeros.
 */
export interface InputEncoding {
  numeric: string[];
  categorical: { column: string; categories: string[] }[];
}
