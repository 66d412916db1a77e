import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { twoFeatureCsv, twoFeatureExperiment } from '../../fixtures/experimentParts';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

const workspaceRoot = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;

async function writeFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

suite('Bad input in the editor', () => {
  suiteSetup(() => activatedExtension());

  test('a model too large for one ONNX file is underlined on its largest layer before Train', async () => {
    await writeFile(
      'too-large.csv',
      twoFeatureCsv((i) => (i % 2 ? 'odd' : 'even')),
    );
    const experiment = twoFeatureExperiment('too-large', [
      { type: 'dense', units: 30000 },
      { type: 'dense', units: 30000 },
      { type: 'dense', units: 2 },
    ]);
    const uri = await writeFile('too-large.experiment.json', JSON.stringify(experiment, null, 2));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Model Lab');
    const [diagnostic] = await eventually(ours, (d) => d.length > 0, 'a Model Lab diagnostic');
    const text = document.getText();
    const secondLayer = text.indexOf('30000', text.indexOf('30000') + 1);
    assert.equal(diagnostic.range.start.line, document.positionAt(secondLayer).line);
    assert.equal(
      diagnostic.message,
      'the model has 900,180,002 parameters, 3.6 GB of weights: more than the 2.1 GB one ONNX file can hold, so it could not be trained or saved as model.onnx; use fewer or smaller layers (layer 2 (dense) holds the most, 900,030,000)',
    );
  });

  test('Train on data with a single class is refused before any run folder exists', async () => {
    await writeFile(
      'one-class.csv',
      twoFeatureCsv(() => 'even'),
    );
    const uri = await writeFile(
      'one-class.experiment.json',
      JSON.stringify(twoFeatureExperiment('one-class', [{ type: 'dense', units: 2 }]), null, 2),
    );
    const runDir = await vscode.commands.executeCommand<string | undefined>('modelLab.train', uri);
    assert.equal(runDir, undefined, 'Train refused (the notification names the data file)');
    assert.equal(existsSync(join(workspaceRoot().fsPath, '.modellab', 'runs', 'one-class')), false);
  });
});
