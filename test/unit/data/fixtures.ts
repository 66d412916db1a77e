/** Builders for experiments and scratch files: each test states only what it cares about. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quickTraining } from '../../fixtures/experimentParts';
import { DataError } from '../../../src/data/api';
import type { DataSection, Experiment, Layer, LayersModelSection } from '../../../src/contract/experiment';

/** An experiment with a built-in (layers) model, whose input shape a test may set. */
export type LayersExperiment = Experiment & { model: LayersModelSection };

export function experimentWith(
  data: Partial<DataSection>,
  overrides: Partial<LayersExperiment> = {},
): LayersExperiment {
  return {
    name: 'test',
    task: 'classification',
    data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1, ...data },
    model: { input: { shape: [] }, layers: [] as Layer[] },
    training: quickTraining({ batchSize: 32 }),
    ...overrides,
  };
}

/** A fresh folder holding the given files (name → contents). */
export function scratchFolder(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-data-'));
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(dir, name), contents);
  return dir;
}

/** The DataError a load rejects with (fails the test when it resolves or throws anything else). */
export async function dataError(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the load to fail');
}
