/**
 * What the training loop needs from the rest of Model Lab. The training
 * process and the CLI pass the real modules; tests pass small fakes.
 */
import type { CompileModel } from '../engine/api';
import type { LoadDataset } from '../data/api';

export interface TrainerDeps {
  loadDataset: LoadDataset;
  compileModel: CompileModel;
}
