// Bad model descriptions fail at compile time with an error naming the layer (index and type) and the problem.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Layer } from '../../../src/contract/experiment';
import { compileModel, ModelError, type ModelDescription } from '../../../src/engine';
import { options } from './fixtures';

async function compileError(model: ModelDescription): Promise<ModelError> {
  try {
    const compiled = await compileModel(options(model));
    await compiled.dispose();
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('the model compiled');
}

const image = (layers: Layer[]): ModelDescription => ({ inputShape: [1, 8, 8], inputKind: 'float', layers });

test('shape mismatch between layers names the layer and the shapes', async () => {
  const pool = await compileError(
    image([
      { type: 'conv2d', filters: 2, kernel: 3 },
      { type: 'maxpool2d', size: 8 },
    ]),
  );
  assert.equal(
    pool.message,
    'layer 1 (maxpool2d): MaxPool: window 8x8 does not fit the input (input shapes [16, 2, 6, 6])',
  );
  assert.deepEqual([pool.layerIndex, pool.layerType], [1, 'maxpool2d']);

  const noFlatten = await compileError(
    image([
      { type: 'conv2d', filters: 2, kernel: 3 },
      { type: 'dense', units: 3 },
    ]),
  );
  assert.match(
    noFlatten.message,
    /^layer 1 \(dense\): gets images \[channels, height, width\]: add a flatten layer/,
  );

  const conv = await compileError({
    inputShape: [4],
    inputKind: 'float',
    layers: [{ type: 'conv2d', filters: 2, kernel: 3 }],
  });
  assert.match(
    conv.message,
    /^layer 0 \(conv2d\): expects images \[channels, height, width\] .* got shape \[4\]/,
  );

  const heads = await compileError({
    inputShape: [5],
    inputKind: 'tokens',
    layers: [
      { type: 'embedding', vocabSize: 9, dim: 8 },
      { type: 'attention', heads: 3 },
    ],
  });
  assert.equal(heads.message, 'layer 1 (attention): heads (3) must divide the feature size 8');
});

test('unknown layer types and misplaced embeddings are named', async () => {
  const unknown = await compileError(image([{ type: 'flatten' }, { type: 'capsule' } as unknown as Layer]));
  assert.equal(unknown.message, 'layer 1 (capsule): the engine does not support this layer type yet');
  const embedding = await compileError({
    inputShape: [4],
    inputKind: 'float',
    layers: [{ type: 'embedding', vocabSize: 3, dim: 2 }],
  });
  assert.match(embedding.message, /^layer 0 \(embedding\): needs token ids/);
  const empty = await compileError(image([]));
  assert.equal(empty.message, 'the model has no layers');
});
