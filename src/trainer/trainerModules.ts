/** The real modules behind the training loop, for the training process and the CLI. */
import { compileModel } from '../engine';
import { DatasetCache } from '../experiment/datasetCache';
import { readExperimentFile } from './experimentFile';
import type { TrainerDeps } from './trainerDeps';

export function createTrainerDeps(): TrainerDeps {
  // Validation against the data and training share one load of the dataset.
  const datasets = new DatasetCache(1);
  return {
    readExperiment: (file) => readExperimentFile(file, datasets.load),
    loadDataset: datasets.load,
    compileModel,
  };
}
