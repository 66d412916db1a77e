import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { assertOutlasts } from '../../e2e/helpers/stepPace';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

const workspaceRoot = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;

const digitsStepsPerEpoch = 89;
/** Epochs of the runs these tests stop: the host's training steps are paced, so they outlast the tests. */
const longEpochs = 500;

/** A small digits classifier: `epochs` × 89 steps of batch 16 on CPU. */
async function writeExperiment(name: string, epochs: number): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), `${name}.experiment.json`);
  const experiment = {
    name,
    task: 'classification',
    data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
    model: { input: { shape: [64] }, layers: [{ type: 'dense', units: 10 }] },
    training: {
      epochs,
      batchSize: 16,
      optimizer: { type: 'adam', learningRate: 0.01 },
      loss: 'cross-entropy',
      device: 'cpu',
      seed: 1,
    },
    metrics: ['accuracy'],
  };
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(experiment, null, 2)));
  return uri;
}

const readJson = (path: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

const trainLosses = (runDir: string): number =>
  existsSync(join(runDir, 'metrics.jsonl'))
    ? readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"split":"train"') && line.includes('"name":"loss"')).length
    : 0;

interface ViewSnapshot {
  experiment: string;
  runs: { runDir: string; status?: string; description: string }[];
}

const runsView = async (): Promise<ViewSnapshot[]> =>
  (await vscode.commands.executeCommand<ViewSnapshot[]>('modelLab.refreshRuns')) ?? [];

suite('Training runs', () => {
  suiteSetup(() => activatedExtension());

  test('Train streams metrics to the run folder, finishes with eval.json and model.onnx, and shows in the Runs view', async () => {
    const uri = await writeExperiment('digits-quick', 2);
    const runDir = await vscode.commands.executeCommand<string | undefined>('modelLab.train', uri);
    assert.ok(runDir, 'modelLab.train returned no run folder');
    assert.ok(runDir.startsWith(join(workspaceRoot().fsPath, '.modellab', 'runs', 'digits-quick')));
    await eventually(
      () => trainLosses(runDir),
      (n) => n > 0,
      'training losses in metrics.jsonl',
    );
    const info = await eventually(
      () => readJson(join(runDir, 'run.json')),
      (value) => value?.status === 'completed',
      'run.json to say completed',
    );
    assert.equal((info?.device as { chosen: string }).chosen, 'cpu');
    assert.equal(trainLosses(runDir), 178);
    assert.ok(existsSync(join(runDir, 'eval.json')));
    assert.ok(existsSync(join(runDir, 'model.onnx')));
    const view = await runsView();
    const shown = view
      .find((entry) => entry.experiment === 'digits-quick')
      ?.runs.find((run) => run.runDir === runDir);
    assert.equal(shown?.status, 'completed');
    assert.match(shown?.description ?? '', /^completed · test acc \d/);
  });

  test('Stop ends a run early: it is marked stopped with its checkpoint saved', async function () {
    assertOutlasts(longEpochs * digitsStepsPerEpoch, this.timeout());
    const uri = await writeExperiment('digits-long', longEpochs);
    const runDir = await vscode.commands.executeCommand<string | undefined>('modelLab.train', uri);
    assert.ok(runDir);
    await eventually(
      () => trainLosses(runDir),
      (n) => n >= 20,
      'some training steps',
    );
    const view = await runsView();
    assert.equal(view.find((entry) => entry.experiment === 'digits-long')?.runs[0].status, 'running');
    await vscode.commands.executeCommand('modelLab.stop', { runDir });
    const info = await eventually(
      () => readJson(join(runDir, 'run.json')),
      (value) => value?.status === 'stopped',
      'run.json to say stopped',
    );
    assert.ok((info?.step as number) < longEpochs * digitsStepsPerEpoch);
    assert.ok(existsSync(join(runDir, 'checkpoints', 'last', 'checkpoint.json')));
  });

  test('a second Train of the same experiment while it runs is refused; the first run is untouched', async function () {
    assertOutlasts(longEpochs * digitsStepsPerEpoch, this.timeout());
    const uri = await writeExperiment('digits-twice', longEpochs);
    const first = await vscode.commands.executeCommand<string | undefined>('modelLab.train', uri);
    assert.ok(first);
    const second = await vscode.commands.executeCommand<string | undefined>('modelLab.train', uri);
    assert.equal(second, undefined);
    await vscode.commands.executeCommand('modelLab.stop', { runDir: first });
    await eventually(
      () => readJson(join(first, 'run.json')),
      (value) => value?.status === 'stopped',
      'the first run to stop',
    );
  });
});
