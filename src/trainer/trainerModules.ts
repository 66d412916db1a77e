/** The real modules behind the training loop, for the training process and the CLI. */
import { compileModel } from '../engine';
import { loadDataset } from '../data/loadDataset';
import { DatasetCache } from '../experiment/datasetCache';
import type { TrainerDeps } from './trainerDeps';

export function createTrainerDeps(): TrainerDeps {
  // prepareRun's validation (in the CLI) and training share one load of the dataset.
  const datasets = new DatasetCache(loadDataset, 1);
  return {
    loadDataset: datasets.load,
    compileModel,
  };
}
