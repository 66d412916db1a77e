/** The experiment the sweep tests sweep: a small digits MLP that validates as it is. */
import type { Experiment, SweepSection } from '../../../../src/contract/experiment';
import { quickTraining } from '../../../fixtures/experimentParts';

export function sweptExperiment(sweep: SweepSection | object): Experiment {
  return {
    name: 'sweep',
    task: 'classification',
    data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
    model: {
      input: { shape: [64] },
      layers: [
        { type: 'dense', units: 32 },
        { type: 'dense', units: 10 },
      ],
    },
    training: quickTraining(),
    metrics: ['accuracy'],
    sweep: sweep as SweepSection,
  };
}
