import { strict as assert } from 'node:assert';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns, readEvalReport, readMetrics, readRunInfo } from '../../../src/runs/runReader';
import { runNodeScript } from '../../fixtures/unprivileged';
import { quickTraining } from '../../fixtures/experimentParts';
import { CLI_ENTRY, modelLab } from '../../fixtures/modelLabCli';
import { readingLines } from '../../../src/cli/readingLines';

const wine = resolve(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
const root = mkdtempSync(join(tmpdir(), 'modellab-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** `train` arguments for a short CPU run of the wine template. */
function wineArgs(runsDir: string, maxSteps: number): string[] {
  return ['train', wine, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', String(maxSteps)];
}

test('model-lab train trains a template headless into the run folder the editor uses, exit 0', () => {
  const runsDir = join(root, 'runs');
  const result = modelLab(...wineArgs(runsDir, 20));
  assert.equal(result.status, 0, result.stderr);
  const [run] = listRuns(runsDir, 'wine-mlp');
  assert.equal(run.info?.status, 'completed');
  assert.equal(run.info?.device?.chosen, 'cpu');
  assert.equal(run.info?.step, 20);
  const losses = readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'loss');
  assert.deepEqual(
    losses.map((r) => r.step),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.ok(readMetrics(run.dir).some((r) => r.split === 'validation' && r.name === 'accuracy'));
  const report = readEvalReport(run.dir);
  assert.equal(report?.classes?.length, 3);
  assert.equal(
    report?.confusion?.flat().reduce((a, b) => a + b, 0),
    report?.count,
  );
  assert.ok(existsSync(join(run.dir, RUN_FILES.model)));
  assert.equal(loadCheckpoint(run.dir, 'last').position.step, 20);
  assert.match(result.stderr, /Training finished after 20 steps\./);

  // --resume continues the run from its last checkpoint in a new folder that carries its metrics.
  const resumed = modelLab(...wineArgs(runsDir, 30), '--resume', run.dir);
  assert.equal(resumed.status, 0, resumed.stderr);
  const second = listRuns(runsDir, 'wine-mlp').find((entry) => entry.dir !== run.dir);
  assert.equal(second?.info?.resumedFrom, run.dir);
  assert.deepEqual(
    readMetrics(second!.dir)
      .filter((r) => r.split === 'train' && r.name === 'loss')
      .map((r) => r.step),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
});

test("--resume trains with the run's saved config, not the file as it is now", () => {
  const folder = join(root, 'edited');
  mkdirSync(folder);
  const file = join(folder, 'wine-mlp.experiment.json');
  copyFileSync(wine, file);
  copyFileSync(join(dirname(wine), 'wine.csv'), join(folder, 'wine.csv'));
  const runsDir = join(folder, 'runs');
  const first = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '4');
  assert.equal(first.status, 0, first.stderr);
  const [run] = listRuns(runsDir, 'wine-mlp');
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  // The learning rate changes in the file after the run.
  writeFileSync(
    file,
    JSON.stringify({
      ...saved,
      training: { ...saved.training, optimizer: { type: 'adam', learningRate: 0.5 } },
    }),
  );
  const resumed = modelLab(
    'train',
    file,
    '--runs-dir',
    runsDir,
    '--device',
    'cpu',
    '--max-steps',
    '8',
    '--resume',
    run.dir,
  );
  assert.equal(resumed.status, 0, resumed.stderr);
  const second = listRuns(runsDir, 'wine-mlp').find((entry) => entry.dir !== run.dir)!;
  assert.deepEqual(second.info?.config, saved, 'run.json records the config that trained');
  const rates = readMetrics(second.dir).filter((r) => r.split === 'train' && r.name === 'lr');
  assert.ok(
    rates.some((r) => r.step > 4),
    'steps after the resume recorded their learning rate',
  );
  assert.deepEqual([...new Set(rates.map((r) => r.value))], [0.005]);
});

test('an invalid experiment exits 2 with file:line messages and creates no run', () => {
  const file = join(root, 'broken.experiment.json');
  writeFileSync(file, '{\n  "name": "broken",\n  "task": "classification",\n  "data": 3\n}\n');
  const runsDir = join(root, 'broken-runs');
  const result = modelLab('train', file, '--runs-dir', runsDir);
  assert.equal(result.status, 2);
  assert.match(result.stderr, new RegExp(`^${file}:4:\\d+: error: `, 'm'));
  assert.equal(existsSync(runsDir), false);
});

test('an error only the data shows (a ragged CSV row) exits 2 naming the data file and row, before any run folder', () => {
  const folder = join(root, 'ragged');
  mkdirSync(folder);
  writeFileSync(join(folder, 'data.csv'), 'a,b,label\n1,2,x\n3,4,y\n5,6\n7,8,x\n');
  const file = join(folder, 'ragged.experiment.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        name: 'ragged',
        task: 'classification',
        data: {
          source: 'data.csv',
          target: 'label',
          header: true,
          splits: { train: 0.5, validation: 0.25, test: 0.25 },
          seed: 1,
        },
        model: { input: { shape: [2] }, layers: [{ type: 'dense', units: 2 }] },
        training: {
          epochs: 1,
          batchSize: 1,
          optimizer: { type: 'sgd', learningRate: 0.1 },
          loss: 'cross-entropy',
          seed: 1,
        },
      },
      null,
      2,
    ),
  );
  const runsDir = join(root, 'ragged-runs');
  const result = modelLab('train', file, '--runs-dir', runsDir);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(
    result.stderr,
    `${file}:5:15: error: ${join(folder, 'data.csv')}:4: row has 2 cells, expected 3 like the first row\n`,
  );
  assert.equal(existsSync(runsDir), false, 'no run folder');
});

test('a missing experiment file and a bad flag are clear errors', () => {
  const missing = modelLab('train', join(root, 'nope.experiment.json'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.experiment\.json: the experiment file does not exist/);
  const badFlag = modelLab('train', wine, '--max-steps', 'lots');
  assert.equal(badFlag.status, 2);
  assert.match(badFlag.stderr, /--max-steps <n>' argument 'lots' is invalid\. expected a whole number ≥ 1\./);
});

test('a read-only runs folder exits 2 (nothing ran) with a message naming the folder', () => {
  const runsDir = join(root, 'read-only');
  mkdirSync(runsDir);
  chmodSync(root, 0o755);
  chmodSync(runsDir, 0o555);
  const result = runNodeScript([CLI_ENTRY, ...wineArgs(runsDir, 2)]);
  assert.equal(result.status, 2, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `Cannot write the run folder ${runsDir}/wine-mlp: permission denied — make the folder writable or choose another runs folder\\.`,
    ),
  );
  assert.equal(readRunInfo(join(runsDir, 'wine-mlp')), undefined);
});

test('model-lab train on a table with gaps: data.missing "drop" trains on the complete rows and logs how many it left out', () => {
  const dir = mkdtempSync(join(root, 'gaps-'));
  // Rows 1, 6, 11… have no age, rows 2, 9, 16… no port, row 33 no label: 20 incomplete rows of 60.
  const rows = Array.from({ length: 60 }, (_, i) => {
    const age = i % 5 === 1 ? '' : String(20 + (i % 30));
    const port = i % 7 === 2 ? '' : ['S', 'C'][i % 2];
    return `${i},${i === 33 ? '' : i % 2},${age},${port}`;
  });
  writeFileSync(join(dir, 'titanic.csv'), ['PassengerId,Survived,Age,Embarked', ...rows].join('\n') + '\n');
  const experiment = {
    name: 'gaps',
    task: 'classification',
    data: {
      source: 'titanic.csv',
      target: 'Survived',
      columns: ['Age', 'Embarked'],
      categorical: ['Embarked'],
      missing: 'drop',
      splits: { train: 0.6, validation: 0.2, test: 0.2 },
      seed: 2,
    },
    model: { input: { shape: [3] }, layers: [{ type: 'dense', units: 2 }] },
    training: quickTraining({ epochs: 2, batchSize: 4 }),
  };
  const experimentFile = join(dir, 'gaps.experiment.json');
  writeFileSync(experimentFile, JSON.stringify(experiment));
  const runsDir = join(dir, 'runs');
  const result = modelLab('train', experimentFile, '--runs-dir', runsDir, '--device', 'cpu');
  assert.equal(result.status, 0, result.stderr);
  const note = 'data.missing "drop" left out 20 of 60 rows: they have a missing value.';
  assert.ok(result.stderr.includes(note), result.stderr);
  const [run] = listRuns(runsDir, 'gaps');
  assert.equal(run.info?.status, 'completed');
  assert.ok(readFileSync(join(run.dir, RUN_FILES.log), 'utf8').includes(note), 'the run’s log says so too');
  assert.equal(readEvalReport(run.dir)?.count, 8, 'the test split of the 40 complete rows');
});

test('model-lab train says when reading an image folder has lasted a second, and when it ended; a quick read says nothing', async () => {
  const lines: string[] = [];
  let clock = 0;
  const slow = readingLines(
    (line) => lines.push(line),
    () => clock,
  );
  for (const [done, at] of [
    [0, 0],
    [40, 250],
    [90, 600],
    [150, 1100],
    [300, 2400],
    [400, 3000],
  ]) {
    clock = at;
    slow({ type: 'reading', done, total: 400 });
  }
  assert.deepEqual(lines, ['Reading the 400 images of the data…', 'Read the 400 images.']);

  // Through the CLI, ten small PNGs read at once: its output is the run's alone.
  const dir = mkdtempSync(join(root, 'images-'));
  for (const [k, name] of ['dark', 'light'].entries()) {
    mkdirSync(join(dir, 'images', name), { recursive: true });
    for (let i = 0; i < 5; i++) {
      const image = new PNG({ width: 6, height: 6 });
      image.data.fill(40 + 150 * k + i);
      writeFileSync(join(dir, 'images', name, `${i}.png`), PNG.sync.write(image));
    }
  }
  const experiment = {
    name: 'shades',
    task: 'classification',
    data: { source: 'images', splits: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 1 },
    model: { input: { shape: [1, 6, 6] }, layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }] },
    training: quickTraining({ batchSize: 2 }),
  };
  const experimentFile = join(dir, 'shades.experiment.json');
  writeFileSync(experimentFile, JSON.stringify(experiment));
  const result = modelLab('train', experimentFile, '--runs-dir', join(dir, 'runs'), '--device', 'cpu');
  assert.equal(result.status, 0, result.stderr);
  assert.ok(result.stderr.startsWith('Run folder:'), result.stderr);
});
