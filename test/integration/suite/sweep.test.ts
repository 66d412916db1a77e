import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activatedExtension } from './extensionUnderTest';

const workspaceRoot = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;

/** One epoch (89 paced steps) of a small digits classifier per trial, three learning rates, two at a time. */
async function writeSweepExperiment(name: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), `${name}.experiment.json`);
  const experiment = {
    name,
    task: 'classification',
    data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
    model: { input: { shape: [64] }, layers: [{ type: 'dense', units: 10 }] },
    training: {
      epochs: 1,
      batchSize: 16,
      optimizer: { type: 'adam', learningRate: 0.01 },
      loss: 'cross-entropy',
      device: 'cpu',
      seed: 1,
    },
    metrics: ['accuracy'],
    sweep: {
      method: 'grid',
      parameters: { 'training.optimizer.learningRate': [0.003, 0.01, 0.03] },
      parallel: 2,
      metric: 'accuracy',
    },
  };
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(experiment, null, 2)));
  return uri;
}

interface SweepResult {
  id: string;
  cancelled: boolean;
  trials: { dir: string; index: number; status: string }[];
}

suite('Sweeps', () => {
  suiteSetup(() => activatedExtension());

  test('an experiment with a sweep has a Run Sweep lens; Run Sweep trains every trial as a run of its own', async () => {
    const uri = await writeSweepExperiment('digits-sweep');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    const runSweep = lenses.find((lens) => lens.command?.command === 'modelLab.runSweep');
    assert.equal(runSweep?.command?.title, '▶ Run Sweep');

    const result = await vscode.commands.executeCommand<SweepResult | undefined>('modelLab.runSweep', uri);
    assert.ok(result, 'Run Sweep returned nothing');
    assert.equal(result.cancelled, false);
    assert.deepEqual(
      result.trials.map((trial) => [trial.index, trial.status]),
      [
        [0, 'completed'],
        [1, 'completed'],
        [2, 'completed'],
      ],
    );
    const rates = [0.003, 0.01, 0.03];
    for (const trial of result.trials) {
      assert.ok(trial.dir.startsWith(join(workspaceRoot().fsPath, '.modellab', 'runs', 'digits-sweep')));
      const info = JSON.parse(readFileSync(join(trial.dir, 'run.json'), 'utf8'));
      assert.deepEqual(info.sweep, {
        id: result.id,
        index: trial.index,
        values: { 'training.optimizer.learningRate': rates[trial.index] },
      });
      assert.equal(info.config.training.optimizer.learningRate, rates[trial.index]);
      assert.equal(info.config.sweep, undefined);
      assert.equal(info.step, 89);
    }
    // The Runs view lists the three trials as completed runs of the experiment.
    const view =
      await vscode.commands.executeCommand<{ experiment: string; runs: { status?: string }[] }[]>(
        'modelLab.refreshRuns',
      );
    const experiment = view?.find((entry) => entry.experiment === 'digits-sweep');
    assert.deepEqual(
      experiment?.runs.map((run) => run.status),
      ['completed', 'completed', 'completed'],
    );

    // Run Sweep again finds the finished sweep: nothing trains, the same folders come back.
    const again = await vscode.commands.executeCommand<SweepResult | undefined>('modelLab.runSweep', uri);
    assert.deepEqual(
      again?.trials.map((trial) => trial.dir),
      result.trials.map((trial) => trial.dir),
    );
  });
});
