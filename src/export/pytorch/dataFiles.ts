/**
 * data/ of an exported project: the examples exactly as Model Lab loaded them (scaling,
 * vocabulary and splits applied) as little-endian binary arrays, indexed by meta.json.
 * data.py reads them and draws the same batches with the same seeded order, so the
 * project trains on what Model Lab trains on, whatever the source (built-in, CSV, text,
 * image folder). A text file or CSV table of the user's is not copied: meta.json's `read`
 * names it with the settings that cut and scale it, and data.py reads it as Model Lab does
 * (the vocabulary, classes and input shape recorded here tell it when the file has changed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { DataSection, Task } from '../../contract/experiment';
import type { Dataset } from '../../data/api';
import { pixelValues } from '../../data/exampleRows';

/** The user's own source file, when data.py reads it instead of a copy: a .txt corpus or a CSV table. */
export interface SourceFile {
  path: string;
  kind: 'text' | 'csv';
  data: DataSection;
  task: Task;
}

/** meta.json's `read`: the file, relative to data/, and what data.py needs to load it as Model Lab does. */
function readSettings(dir: string, { path, kind, data, task }: SourceFile): Record<string, unknown> {
  // Relative to data/ when the file is in the project's folder or next to it (the project then
  // moves with its workspace), absolute when it is further away.
  const near = relative(dir, path);
  const file = near.split(sep).filter((part) => part === '..').length <= 2 ? near : path;
  if (kind === 'text') return { file, splits: data.splits };
  const { splits, seed, header, target, columns, categorical, missing, normalize } = data;
  return { file, splits, seed, header, target, columns, categorical, missing, normalize, task };
}

type Typed = Float32Array | BigInt64Array | Int32Array;

const dtypeOf = (array: Typed): string =>
  array instanceof Float32Array ? 'float32' : array instanceof BigInt64Array ? 'int64' : 'int32';

export function writeDataFiles(
  dir: string,
  dataset: Dataset,
  modelLabVersion: string,
  sourceFile?: SourceFile,
): void {
  mkdirSync(dir, { recursive: true });
  const arrays: Record<string, { file: string; dtype: string }> = {};
  const put = (name: string, array: Typed | undefined): void => {
    if (!array) return;
    const file = `${name}.bin`;
    writeFileSync(join(dir, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    arrays[name] = { file, dtype: dtypeOf(array) };
  };
  const loaded = dataset.arrays();
  const common: Record<string, unknown> = {
    modelLab: modelLabVersion,
    source: dataset.source,
    inputShape: dataset.inputShape,
    outputShape: dataset.outputShape,
    classes: dataset.classes,
    vocab: dataset.vocab?.tokens,
    targetScaling: dataset.targetScaling,
  };
  if (sourceFile) common.read = readSettings(dir, sourceFile);
  if (loaded.kind === 'text') {
    if (!sourceFile) put('ids', loaded.ids);
    const stretches = sourceFile ? undefined : loaded.stretches;
    const meta = { kind: 'text', ...common, contextLength: loaded.contextLength, stretches, arrays };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
    return;
  }
  if (!sourceFile) {
    // The project's data.py reads floats: an image folder's pixels are written as the model reads them.
    put('x', loaded.x instanceof Uint8Array ? pixelValues(loaded.x) : loaded.x);
    put('labels', loaded.labels);
    put('targets', loaded.targets);
    for (const [split, rows] of Object.entries(loaded.splits)) put(`split-${split}`, rows);
  }
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ kind: 'rows', ...common, count: loaded.count, arrays }, null, 2),
  );
}
