/**
 * One-hot encoding of a table's categorical columns (data.categorical), as scikit-learn's
 * OneHotEncoder(handle_unknown="ignore") does it: the categories are the distinct values of the
 * training rows, sorted (numbers in numeric order), and a value the training rows never had
 * encodes as all zeros, so validation and test rows cannot add inputs the model does not have.
 */
import type { CsvRecord } from './csv';
import { sortLabels } from './csv';

/** Each column's categories: the distinct trimmed values of the training rows, sorted. */
export function categoriesOf(records: CsvRecord[], columns: number[], trainRows: Int32Array): string[][] {
  return columns.map((c) =>
    sortLabels([...new Set(Array.from(trainRows, (r) => records[r].cells[c].trim()))]),
  );
}

/**
 * The model's input rows: the `numeric` values (rows × numericWidth), then one position per
 * category of each categorical column, 1 where the row holds that category.
 */
export function oneHotRows(
  numeric: Float32Array,
  numericWidth: number,
  records: CsvRecord[],
  columns: number[],
  categories: string[][],
): Float32Array {
  const width = numericWidth + categories.reduce((sum, list) => sum + list.length, 0);
  const x = new Float32Array(records.length * width);
  const positions = categories.map((list) => new Map(list.map((category, i) => [category, i])));
  records.forEach((record, r) => {
    x.set(numeric.subarray(r * numericWidth, (r + 1) * numericWidth), r * width);
    let offset = r * width + numericWidth;
    columns.forEach((c, i) => {
      const position = positions[i].get(record.cells[c].trim());
      if (position !== undefined) x[offset + position] = 1;
      offset += categories[i].length;
    });
  });
  return x;
}
