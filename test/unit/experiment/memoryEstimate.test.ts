import { strict as assert } from 'node:assert';
import { totalmem } from 'node:os';
import { test } from 'node:test';
import { estimateMemory, formatBytes, layerCost } from '../../../src/experiment/memoryEstimate';
import { validateExperimentText } from '../../../src/experiment/validate';
import type { Experiment } from '../../../src/contract/experiment';
import { quickTraining } from '../../fixtures/experimentParts';

test('parameter counts per layer match the engine layers (weights and biases)', () => {
  assert.equal(layerCost({ type: 'dense', units: 16 }, [13], [16]).parameters, 13 * 16 + 16);
  assert.equal(
    layerCost({ type: 'conv2d', filters: 8, kernel: 3 }, [1, 8, 8], [8, 8, 8]).parameters,
    8 * 9 + 8,
  );
  assert.equal(
    layerCost({ type: 'embedding', vocabSize: 65, dim: 32 }, [64], [64, 32]).parameters,
    65 * 32 + 64 * 32,
  );
  assert.equal(layerCost({ type: 'lstm', units: 4 }, [10, 3], [4]).parameters, 16 * (3 + 4) + 32);
  assert.equal(layerCost({ type: 'layernorm' }, [5, 6], [5, 6]).parameters, 12);
});

test('the estimate counts Adam state and the batch of activations', () => {
  const estimate = estimateMemory([{ type: 'dense', units: 10 }], [5], [[10]], 4, {
    type: 'adam',
    learningRate: 0.001,
  });
  assert.equal(estimate.parameters, 60);
  assert.equal(estimate.parameterCopies, 7);
  assert.equal(estimate.parameterBytes, 60 * 4 * 7);
  assert.equal(estimate.activationBytes, (5 + 10) * 4 * 4 * 2);
  assert.equal(
    estimateMemory([{ type: 'dense', units: 10 }], [5], [[10]], 4, { type: 'sgd', learningRate: 0.1 })
      .parameterCopies,
    3,
  );
});

test('a batch too large for this machine is refused on training.batchSize with the estimate and the fix', () => {
  const experiment: Experiment = {
    name: 'huge-batch',
    task: 'classification',
    data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
    model: {
      input: { shape: [64] },
      layers: [
        { type: 'dense', units: 2_000_000 },
        { type: 'dense', units: 10 },
      ],
    },
    training: quickTraining({ batchSize: 65536 }),
  };
  const text = JSON.stringify(experiment, null, 2);
  const { problems } = validateExperimentText(text, '.');
  const activations = (64 + 2_000_000 + 10) * 65536 * 4 * 2;
  const parameters = 64 * 2_000_000 + 2_000_000 + 2_000_000 * 10 + 10;
  const total = parameters * 4 * 7 + activations;
  assert.deepEqual(
    problems.map((p) => [p.range.start.line + 1, p.message]),
    [
      [
        text.split('\n').findIndex((line) => line.includes('65536')) + 1,
        `training would need about ${formatBytes(total)} of memory, more than the ${formatBytes(totalmem() * 0.8)} Model Lab allows (80% of this machine's ${formatBytes(totalmem())}): ` +
          `parameters ${formatBytes(parameters * 28)} (${parameters.toLocaleString('en-US')} parameters held 7× for weights, gradients and adam state), ` +
          `activations ${formatBytes(activations)} (a batch of 65536); lower training.batchSize or make the layers narrower`,
      ],
    ],
  );
});
