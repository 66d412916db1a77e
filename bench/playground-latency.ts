/**
 * Playground latency per template: the time the inference process's model takes to answer one
 * request (a drawn digit, a table row; one generated character for the language model), the
 * median of 50 after 5 warm-ups, against the 100 ms a request may take. Each template trains a
 * few steps first (model-lab train) so a checkpoint exists. The IPC hop to the panel adds well
 * under a millisecond and is not included.
 *
 *   npx tsx bench/playground-latency.ts
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaygroundSession } from '../src/trainer/playground';
import { createTrainerDeps } from '../src/trainer/trainerModules';
import { modelLab } from '../test/fixtures/modelLabCli';

const BUDGET_MS = 100;
const TEMPLATES = [
  { name: 'digits-cnn', file: 'templates/cnn-digits/digits-cnn.experiment.json' },
  { name: 'wine-mlp', file: 'templates/mlp-wine/wine-mlp.experiment.json' },
  {
    name: 'shakespeare-transformer',
    file: 'templates/transformer-shakespeare/shakespeare-transformer.experiment.json',
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const runsDir = mkdtempSync(join(tmpdir(), 'model-lab-playground-bench-'));
  try {
    for (const { name, file } of TEMPLATES) {
      const train = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '10');
      if (train.status !== 0) throw new Error(`${name}: ${train.stderr}`);
      const runDir = join(runsDir, name, readdirSync(join(runsDir, name))[0]);
      const session = await PlaygroundSession.open(runDir, createTrainerDeps());
      const size = session.info.inputShape.reduce((a, b) => a * b, 1);
      const request =
        session.info.kind === 'text'
          ? () =>
              session.generate(
                'ROMEO:',
                { temperature: 0.8, topK: 10, length: 1, random: Math.random },
                () => undefined,
              )
          : () => session.classify(Array.from({ length: size }, () => Math.random()));
      const times: number[] = [];
      for (let i = 0; i < 55; i++) {
        const started = performance.now();
        await request();
        if (i >= 5) times.push(performance.now() - started);
      }
      await session.dispose();
      const ms = median(times);
      const what = session.info.kind === 'text' ? 'per generated character' : 'per classification';
      console.log(
        `${name.padEnd(26)} ${ms.toFixed(2).padStart(7)} ms ${what}  (${(ms / BUDGET_MS).toFixed(3)} of the ${BUDGET_MS} ms budget)`,
      );
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

void main();
