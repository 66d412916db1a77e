/**
 * What the training loop needs from the rest of Model Lab. The training
 * process and the CLI pass the real modules; tests pass small fakes.
 */
import type { CompileModel } from '../engine/api';
import type { LoadDataset } from '../data/api';
import type { Experiment } from '../experiment/types';

export interface TrainerDeps {
  /** Reads and validates an experiment file; throws an error that names file and line. */
  readExperiment(file: string): Promise<Experiment>;
  loadDataset: LoadDataset;
  compileModel: CompileModel;
}
