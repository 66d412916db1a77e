/**
 * Loading a dataset for validation on every keystroke would re-read and
 * re-parse the data file each time; this cache keeps the last datasets by
 * everything that shapes them (data section, task, loss, input shape) and
 * the data file's modification time, so editing a layer re-validates at once
 * and editing the CSV is still noticed. The editor caches facts (`loadDatasetFacts`: an image
 * folder listed, not decoded), the training process and the CLI whole datasets.
 */
import { statSync } from 'node:fs';
import type { DatasetFacts, LoadOptions } from '../data/api';
import { BUILTIN_PREFIX } from '../data/builtins';
import { resolveSource } from '../data/loadDataset';
import { isOnnxModel, isSplitFiles, type Experiment } from '../contract/experiment';

export class DatasetCache<T extends DatasetFacts> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(
    private readonly read: (
      experiment: Experiment,
      experimentDir: string,
      options?: LoadOptions,
    ) => Promise<T>,
    private readonly capacity = 8,
  ) {}

  /** The cached data, or a new load (which alone is read with `options`: its threads, and `reading` told how it goes). */
  load = (experiment: Experiment, experimentDir: string, options?: LoadOptions): Promise<T> => {
    const key = this.keyOf(experiment, experimentDir);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.read(experiment, experimentDir, options);
      // A failed load is not cached: the user is about to fix the file.
      entry.catch(() => this.entries.delete(key));
      this.entries.set(key, entry);
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return entry;
  };

  private keyOf(experiment: Experiment, experimentDir: string): string {
    const { data, task, training, model } = experiment;
    const files = isSplitFiles(data.source) ? Object.values(data.source) : [data.source];
    const modified = files.map((file) => {
      if (file.startsWith(BUILTIN_PREFIX)) return 0;
      try {
        return statSync(resolveSource(file, experimentDir)).mtimeMs;
      } catch {
        return -1;
      }
    });
    // The data's example shape: declared, or read from an imported model's file.
    const shape = isOnnxModel(model) ? [model.onnx, model.input] : model.input.shape;
    return JSON.stringify([experimentDir, data, task, training.loss, shape, modified]);
  }
}
