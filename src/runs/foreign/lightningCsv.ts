/**
 * PyTorch Lightning's CSVLogger `metrics.csv` as Model Lab metric records: a header
 * (`epoch`, `step`, then one column per logged metric, e.g. `train_loss`, `val_acc`) and
 * one row per logging call with the metrics of that call filled in and the rest empty.
 * Lightning rewrites the whole file when it flushes, so it is read whole every time.
 * A last line without its newline (a write in progress) and rows whose cell count or
 * numbers do not fit are skipped, never fatal.
 */
import type { MetricRecord } from '../../contract/metricRecord';
import { parseCsv } from '../../data/csv';
import { splitAndName } from './metricNames';

export function lightningCsvRecords(text: string, file: string): MetricRecord[] {
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  let rows;
  try {
    rows = parseCsv(complete, file);
  } catch {
    return []; // an unterminated quote: nothing readable yet
  }
  const [header, ...body] = rows;
  if (!header) return [];
  const columns = header.cells.map((cell) => cell.trim());
  const stepAt = columns.indexOf('step');
  const epochAt = columns.indexOf('epoch');
  const metrics = columns
    .map((column, index) => ({ index, ...splitAndName(column) }))
    .filter(({ index }) => index !== stepAt && index !== epochAt);
  const records: MetricRecord[] = [];
  for (const row of body) {
    if (row.cells.length !== columns.length) continue;
    const number = (index: number): number => (index < 0 ? 0 : Number(row.cells[index]));
    const step = number(stepAt);
    const epoch = number(epochAt);
    if (!Number.isFinite(step) || !Number.isFinite(epoch)) continue;
    for (const { index, split, name } of metrics) {
      const cell = row.cells[index].trim();
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) continue;
      records.push({ step, epoch, time: 0, split, name, value });
    }
  }
  return records;
}
