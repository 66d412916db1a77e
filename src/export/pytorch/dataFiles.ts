/**
 * data/ of an exported project: the examples exactly as Model Lab loaded them (scaling,
 * vocabulary and splits applied) as little-endian binary arrays, indexed by meta.json.
 * data.py reads them and draws the same batches with the same seeded order, so the
 * project trains on what Model Lab trains on, whatever the source (built-in, CSV, text,
 * image folder). A text file of the user's is not copied: meta.json names it, with the
 * splits, and data.py reads it as Model Lab does (the vocabulary recorded here tells it
 * when the text has changed since).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SplitFractions } from '../../contract/experiment';
import type { Dataset } from '../../data/api';

/** The user's own source file, when the project reads it instead of a copy. */
export interface SourceFile {
  path: string;
  splits: SplitFractions;
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
  const common = {
    modelLab: modelLabVersion,
    source: dataset.source,
    inputShape: dataset.inputShape,
    outputShape: dataset.outputShape,
    classes: dataset.classes,
    vocab: dataset.vocab?.tokens,
    targetScaling: dataset.targetScaling,
  };
  if (loaded.kind === 'text') {
    const read = sourceFile
      ? { textFile: relative(dir, sourceFile.path), splits: sourceFile.splits }
      : { stretches: loaded.stretches };
    if (!sourceFile) put('ids', loaded.ids);
    const meta = { kind: 'text', ...common, contextLength: loaded.contextLength, ...read, arrays };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
    return;
  }
  put('x', loaded.x);
  put('labels', loaded.labels);
  put('targets', loaded.targets);
  for (const [split, rows] of Object.entries(loaded.splits)) put(`split-${split}`, rows);
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ kind: 'rows', ...common, count: loaded.count, arrays }, null, 2),
  );
}
