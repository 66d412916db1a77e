// Feature maps of a CNN against a direct convolution of its weights, written here from the
// definition (loops over output pixels, filters, channels and kernel taps, in float64),
// with the weights of a saved checkpoint: what the CNN inside view shows.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Layer } from '../../../src/contract/experiment';
import { compileModel } from '../../../src/engine';
import { Rng } from '../../../src/engine/init';
import { loadCheckpoint, saveCheckpoint } from '../../../src/runs/checkpoints';
import { barImages, options } from './fixtures';

interface Maps {
  channels: number;
  height: number;
  width: number;
  values: Float64Array;
}

/** relu(conv(x, w) + b) with zero padding `pad` on every side, stride 1. */
function convolve(
  x: Maps,
  w: Float32Array,
  bias: Float32Array,
  filters: number,
  k: number,
  pad: number,
): Maps {
  const height = x.height + 2 * pad - k + 1;
  const width = x.width + 2 * pad - k + 1;
  const values = new Float64Array(filters * height * width);
  for (let f = 0; f < filters; f++)
    for (let i = 0; i < height; i++)
      for (let j = 0; j < width; j++) {
        let sum = bias[f];
        for (let c = 0; c < x.channels; c++)
          for (let a = 0; a < k; a++)
            for (let b = 0; b < k; b++) {
              const [r, s] = [i + a - pad, j + b - pad];
              if (r < 0 || s < 0 || r >= x.height || s >= x.width) continue;
              sum += w[((f * x.channels + c) * k + a) * k + b] * x.values[(c * x.height + r) * x.width + s];
            }
        values[(f * height + i) * width + j] = Math.max(0, sum);
      }
  return { channels: filters, height, width, values };
}

/** 2×2 max pooling, stride 2. */
function maxPool(x: Maps): Maps {
  const [height, width] = [Math.floor(x.height / 2), Math.floor(x.width / 2)];
  const values = new Float64Array(x.channels * height * width);
  for (let c = 0; c < x.channels; c++)
    for (let i = 0; i < height; i++)
      for (let j = 0; j < width; j++) {
        const at = (r: number, s: number) => x.values[(c * x.height + r) * x.width + s];
        values[(c * height + i) * width + j] = Math.max(
          at(2 * i, 2 * j),
          at(2 * i, 2 * j + 1),
          at(2 * i + 1, 2 * j),
          at(2 * i + 1, 2 * j + 1),
        );
      }
  return { channels: x.channels, height, width, values };
}

const layers: Layer[] = [
  { type: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'relu' },
  { type: 'maxpool2d', size: 2 },
  { type: 'conv2d', filters: 3, kernel: 3, padding: 'valid', activation: 'relu' },
  { type: 'flatten' },
  { type: 'dense', units: 3 },
];

test("feature maps of every conv layer equal a direct convolution of the checkpoint's weights", async () => {
  const compile = () =>
    compileModel(options({ inputShape: [1, 8, 8], inputKind: 'float', layers }, { batchSize: 8 }));
  const trained = await compile();
  const data = barImages(16, 2);
  const batch = (i: number) => ({
    x: data.x.subarray(i * 8 * 64, (i + 1) * 8 * 64),
    y: data.y.subarray(i * 8, (i + 1) * 8),
  });
  await trained.train([batch(0), batch(1), batch(0)], [0.01, 0.01, 0.01]);
  // Through a checkpoint on disk, as the inside view reads the live run's.
  const runDir = mkdtempSync(join(tmpdir(), 'modellab-feature-maps-'));
  try {
    saveCheckpoint(runDir, 'best', {
      state: await trained.getState(),
      position: { step: 3, epoch: 0, batchInEpoch: 3, validationsWithoutImprovement: 0 },
    });
    const { state } = loadCheckpoint(runDir, 'best');
    const model = await compile();
    await model.setState(state);
    const rng = new Rng(4);
    const x = Float32Array.from({ length: 64 }, () => rng.normal());
    const maps = await model.featureMaps(x);
    assert.deepEqual(
      maps.map((m) => [m.layer, m.channels, m.height, m.width]),
      [
        [0, 4, 8, 8],
        [2, 3, 2, 2],
      ],
    );
    const w = (name: string) => state.tensors[name].data;
    const first = convolve(
      { channels: 1, height: 8, width: 8, values: Float64Array.from(x) },
      w('layer0.conv2d.weight'),
      w('layer0.conv2d.bias'),
      4,
      3,
      1,
    );
    const second = convolve(maxPool(first), w('layer2.conv2d.weight'), w('layer2.conv2d.bias'), 3, 3, 0);
    for (const [got, expected] of [
      [maps[0], first],
      [maps[1], second],
    ] as const) {
      const scale = Math.max(...expected.values.map(Math.abs));
      assert.ok(scale > 0, 'the maps are not all zero');
      got.values.forEach((v, i) =>
        assert.ok(
          Math.abs(v - expected.values[i]) <= 1e-5 * scale,
          `layer ${got.layer} value ${i}: ${v} vs ${expected.values[i]}`,
        ),
      );
    }
    await Promise.all([trained.dispose(), model.dispose()]);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

test('feature maps refuse a model that does not read images', async () => {
  const model = await compileModel(
    options({ inputShape: [4], inputKind: 'float', layers: [{ type: 'dense', units: 3 }] }),
  );
  await assert.rejects(model.featureMaps(new Float32Array(4)), /images \[channels, height, width\]/);
  await model.dispose();
});
