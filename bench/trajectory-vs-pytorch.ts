/**
 * Development cross-check (not a test): trains an MLP, a small CNN and a tiny transformer with
 * the engine and, from the same initial weights, batches and learning rates, with PyTorch
 * (bench/pytorch/trajectory.py, Debian's torch at /usr/bin/python3). Prints both loss
 * trajectories' largest difference per model.
 *
 *   npx tsx bench/trajectory-vs-pytorch.ts
 */
import { spawnSync } from 'node:child_process';
import { compileModel, type Batch, type CompileOptions } from '../src/engine';
import { Rng } from '../src/engine/init';

const STEPS = 20;

const models: Record<string, Omit<CompileOptions, 'seed' | 'device'>> = {
  mlp: {
    model: {
      inputShape: [10],
      inputKind: 'float',
      layers: [
        { type: 'dense', units: 32, activation: 'relu' },
        { type: 'dense', units: 16, activation: 'tanh' },
        { type: 'dense', units: 3 },
      ],
    },
    loss: 'cross-entropy',
    optimizer: { type: 'adam', learningRate: 0.01 },
    batchSize: 16,
  },
  cnn: {
    model: {
      inputShape: [1, 8, 8],
      inputKind: 'float',
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'maxpool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
    },
    loss: 'cross-entropy',
    optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3 },
    batchSize: 16,
  },
  transformer: {
    model: {
      inputShape: [8],
      inputKind: 'tokens',
      layers: [
        { type: 'embedding', vocabSize: 11, dim: 16 },
        { type: 'transformer', heads: 2, ffDim: 32, causal: true },
        { type: 'layernorm' },
        { type: 'dense', units: 11 },
      ],
    },
    loss: 'cross-entropy',
    labelSmoothing: 0.1,
    optimizer: { type: 'adamw', learningRate: 0.003, weightDecay: 0.01 },
    clipNorm: 1,
    batchSize: 8,
  },
};

function batches(options: Omit<CompileOptions, 'seed' | 'device'>, rng: Rng): Batch[] {
  const { inputShape, inputKind, layers } = options.model;
  const n = options.batchSize * inputShape.reduce((a, b) => a * b, 1);
  const classes = (layers[layers.length - 1] as { units: number }).units;
  const targets = inputKind === 'tokens' ? n : options.batchSize;
  return Array.from({ length: STEPS }, () => ({
    x:
      inputKind === 'tokens'
        ? BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rng.uniform() * 11)))
        : Float32Array.from({ length: n }, () => rng.normal()),
    y: BigInt64Array.from({ length: targets }, () => BigInt(Math.floor(rng.uniform() * classes))),
  }));
}

async function main() {
  for (const [name, spec] of Object.entries(models)) {
    const options: CompileOptions = { ...spec, seed: 3, device: 'cpu' };
    const model = await compileModel(options);
    const state = await model.getState();
    const data = batches(spec, new Rng(17));
    const lrs = data.map((_, i) => spec.optimizer.learningRate * (i < 5 ? (i + 1) / 5 : 1));
    const engine = await model.train(data, lrs);
    await model.dispose();
    const job = {
      layers: spec.model.layers,
      inputShape: [spec.batchSize, ...spec.model.inputShape],
      inputKind: spec.model.inputKind,
      loss: spec.loss,
      labelSmoothing: spec.labelSmoothing,
      clipNorm: spec.clipNorm,
      optimizer: spec.optimizer,
      weights: Object.fromEntries(
        Object.entries(state.tensors)
          .filter(([k]) => !/\.(m|v|velocity)$/.test(k))
          .map(([k, t]) => [k, { dims: t.dims, data: Array.from(t.data) }]),
      ),
      batches: data.map((b) => ({ x: Array.from(b.x, Number), y: Array.from(b.y, Number) })),
      lrs,
    };
    const py = spawnSync('/usr/bin/python3', ['bench/pytorch/trajectory.py'], {
      input: JSON.stringify(job),
      encoding: 'utf8',
    });
    if (py.status !== 0) throw new Error(py.stderr);
    const torch = JSON.parse(py.stdout) as number[];
    const diff = Math.max(...engine.map((l, i) => Math.abs(l - torch[i])));
    console.log(
      `${name.padEnd(12)} ${STEPS} steps  loss ${engine[0].toFixed(4)} → ${engine[STEPS - 1].toFixed(4)} (torch ${torch[0].toFixed(4)} → ${torch[STEPS - 1].toFixed(4)})  max |Δloss| ${diff.toExponential(2)}`,
    );
  }
}

void main();
