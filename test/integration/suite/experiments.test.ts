import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { quickTraining } from '../../fixtures/experimentParts';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

const workspaceRoot = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;

async function writeExperiment(name: string, experiment: object): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), `${name}.experiment.json`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(experiment, null, 2)));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

function digitsExperiment(splits = { train: 0.8, validation: 0.1, test: 0.1 }): object {
  return {
    name: 'digits',
    task: 'classification',
    data: { source: 'builtin:digits', splits, seed: 1 },
    model: { input: { shape: [64] }, layers: [{ type: 'dense', units: 10 }] },
    training: quickTraining(),
  };
}

const lineOf = (document: vscode.TextDocument, needle: string): number =>
  document.positionAt(document.getText().indexOf(needle)).line;

suite('Experiment files', () => {
  suiteSetup(() => activatedExtension());

  test('a broken experiment file gets a Model Lab diagnostic on the offending line, cleared once fixed', async () => {
    const document = await writeExperiment(
      'broken',
      digitsExperiment({ train: 0.8, validation: 0.3, test: 0.1 }),
    );
    const ours = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Model Lab');
    const [diagnostic] = await eventually(ours, (d) => d.length > 0, 'a Model Lab diagnostic');
    assert.equal(diagnostic.message, 'split fractions sum to 1.2; they must sum to 1');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.range.start.line, lineOf(document, '"splits"'));
    const titles = async () =>
      (
        await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          document.uri,
        )
      ).map((lens) => lens.command?.title);
    const broken = await titles();
    assert.ok(broken.includes('$(error) 1 problem to fix before training'));
    assert.ok(!broken.some((t) => t?.includes('parameters')), 'no model summary of a file with errors');

    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('0.3');
    edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 3)), '0.1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await eventually(ours, (d) => d.length === 0, 'the diagnostic to clear after the fix');
    // Fixed: the error lens is gone and the model summary's totals sit above "model".
    const fixed = await titles();
    assert.deepEqual(
      fixed.filter((t) => !t?.includes('parameters')),
      ['▶ Train', 'Open Runs'],
    );
    assert.ok(
      fixed.some((t) =>
        /^\$\(symbol-structure\) [\d,]+ parameters · .+ FLOPs per example · about .+ to train at batch \d+$/.test(
          t ?? '',
        ),
      ),
      JSON.stringify(fixed),
    );
  });

  const errors = (document: vscode.TextDocument) =>
    vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  const lensTitles = async (document: vscode.TextDocument) =>
    (
      await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)
    ).map((lens) => lens.command?.title);

  test('one diagnostic per problem: invalid JSON by the JSON service, a wrong type by Model Lab naming the layer', async () => {
    const experiment = digitsExperiment() as { model: { layers: { units: unknown }[] } };
    experiment.model.layers[0].units = '10';
    const valid = JSON.stringify(experiment, null, 2);
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'one-each.experiment.json');
    // First a missing comma: only the JSON service reports it; the CodeLens counts it as the tab badge does.
    const unclosed = valid.replace('"task": "classification",', '"task": "classification"');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(unclosed));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await eventually(
      () => lensTitles(document),
      (list) => list.includes('$(error) 1 problem to fix before training'),
      'the CodeLens to count the syntax error',
    );
    const [syntax, ...others] = errors(document);
    assert.deepEqual(others, []);
    assert.notEqual(syntax.source, 'Model Lab');
    assert.equal(syntax.range.start.line, lineOf(document, '"data"'));
    // Then the comma is back: the JSON service clears its error, having validated the file again with the
    // schema it got for hints only, and says nothing about the wrong type Model Lab reports.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(unclosed.length)), valid);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [diagnostic, ...more] = await eventually(
      async () => vscode.languages.getDiagnostics(uri),
      (list) => list.length > 0 && list.every((d) => d.source === 'Model Lab'),
      "the JSON service's error to clear and Model Lab's to show",
    );
    assert.deepEqual(
      more.map((d) => `${d.source}: ${d.message}`),
      [],
      `one diagnostic, not ${more.length + 1}`,
    );
    assert.equal(diagnostic.message, 'model.layers[0].units must be a whole number');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.range.start.line, lineOf(document, '"units": "10"'));
    const titles = await eventually(
      () => lensTitles(document),
      (list) => list.includes('$(error) 1 problem to fix before training'),
      'the CodeLens to count the one error',
    );
    assert.ok(titles.includes('▶ Train'));
  });

  test('the JSON Schema is associated: completion offers experiment fields and hover shows their docs', async () => {
    const document = await writeExperiment('schema', digitsExperiment());
    const inTraining = document.positionAt(document.getText().indexOf('"epochs"'));
    const labels = await eventually(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          inTraining,
        );
        return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      },
      (items) => items.some((label) => label.includes('clipNorm')),
      'schema completions inside "training"',
    );
    assert.ok(
      labels.some((label) => label.includes('earlyStopping')),
      labels.join(', '),
    );

    const onEpochs = document.positionAt(document.getText().indexOf('"epochs"') + 2);
    const hovers = await eventually(
      () =>
        vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, onEpochs),
      (list) => list.length > 0,
      'a hover on "epochs"',
    );
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n');
    assert.match(text, /Passes over the training split/);
  });

  test('New Experiment writes a template beside its data, opens it with its README and shows a Train CodeLens', async () => {
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'modelLab.newExperiment',
      'mlp-wine',
      workspaceRoot(),
      'my-wine',
    );
    assert.ok(created, 'the command returns the new experiment file');
    assert.ok(created.path.endsWith('/my-wine/my-wine.experiment.json'), created.path);
    const files = (
      await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceRoot(), 'my-wine'))
    ).map(([name]) => name);
    assert.deepEqual(files.sort(), ['README.md', 'my-wine.experiment.json', 'wine.csv']);
    const document = await vscode.workspace.openTextDocument(created);
    assert.equal((JSON.parse(document.getText()) as { name: string }).name, 'my-wine');
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
    assert.ok(tabs.includes('my-wine.experiment.json'), tabs.join(', '));
    assert.ok(
      tabs.some((label) => label.includes('README.md')),
      tabs.join(', '),
    );

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      created,
    );
    const train = lenses.find((lens) => lens.command?.command === 'modelLab.train');
    assert.equal(train?.command?.title, '▶ Train');
    assert.equal((train?.command?.arguments?.[0] as vscode.Uri).toString(), created.toString());
    // The scaffolded wine.csv is read relative to the experiment: a wrong target column is reported.
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('"cultivar"');
    edit.replace(created, new vscode.Range(document.positionAt(at), document.positionAt(at + 10)), '"grape"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [diagnostic] = await eventually(
      () => vscode.languages.getDiagnostics(created),
      (d) => d.length > 0,
      'a diagnostic for the unknown target column',
    );
    assert.match(diagnostic.message, /wine\.csv:1: no column named "grape"; columns: alcohol, /);
  });

  /** The wine template scaffolded into `folder`, open and validated clean, and its Model Lab diagnostics. */
  async function cleanWine(folder: string) {
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'modelLab.newExperiment',
      'mlp-wine',
      workspaceRoot(),
      folder,
    );
    assert.ok(created);
    const document = await vscode.workspace.openTextDocument(created);
    const ours = () => vscode.languages.getDiagnostics(created).filter((d) => d.source === 'Model Lab');
    await eventually(ours, (d) => d.length === 0, 'the scaffolded experiment to validate clean');
    return { created, document, ours };
  }

  test('the data file moved away and back: its diagnostic appears, then clears without touching the experiment', async () => {
    const { ours } = await cleanWine('wine-later');
    const csv = vscode.Uri.joinPath(workspaceRoot(), 'wine-later', 'wine.csv');
    const aside = vscode.Uri.joinPath(workspaceRoot(), 'wine-aside.csv');
    await vscode.workspace.fs.rename(csv, aside);
    const [missing] = await eventually(ours, (d) => d.length > 0, 'a diagnostic for the missing data file');
    assert.match(missing.message, /wine\.csv/);
    await vscode.workspace.fs.rename(aside, csv);
    await eventually(ours, (d) => d.length === 0, 'the diagnostic to clear once the file is back');
  });

  test('a data.columns entry that names no column of the table is underlined on its own line', async () => {
    const { created, document, ours } = await cleanWine('wine-columns');
    const edit = new vscode.WorkspaceEdit();
    const at = document.positionAt(document.getText().indexOf('"header"'));
    edit.insert(created, at, '"columns": [\n      "alcohol",\n      "acidity"\n    ],\n    ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [diagnostic] = await eventually(ours, (d) => d.length > 0, 'a diagnostic for the unknown column');
    assert.equal(diagnostic.range.start.line, lineOf(document, '"acidity"'));
    assert.match(diagnostic.message, /wine\.csv:1: no column named "acidity"; columns: alcohol, /);
  });
});

suite('Importing ONNX models', () => {
  const fixture = async (name: string): Promise<Uint8Array> => {
    const extension = await activatedExtension();
    return vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', 'onnx', name, 'model.onnx'),
    );
  };

  test('Import ONNX Model writes an experiment beside a trainable model and opens it', async () => {
    const model = vscode.Uri.joinPath(workspaceRoot(), 'pixels-cnn.onnx');
    await vscode.workspace.fs.writeFile(model, await fixture('cnn'));
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'modelLab.importOnnxModel',
      model,
    );
    assert.ok(created, 'the command returns the experiment file');
    assert.ok(created.path.endsWith('/pixels-cnn.experiment.json'), created.path);
    const experiment = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(created))) as {
      task: string;
      model: { onnx: string };
    };
    assert.equal(experiment.model.onnx, 'pixels-cnn.onnx');
    assert.equal(experiment.task, 'classification');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), created.toString());
  });

  test('a model that cannot be imported writes nothing', async () => {
    const model = vscode.Uri.joinPath(workspaceRoot(), 'not-a-model.onnx');
    await vscode.workspace.fs.writeFile(model, new TextEncoder().encode('this is not an ONNX model'));
    const created = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'modelLab.importOnnxModel',
      model,
    );
    assert.equal(created, undefined);
    const files = (await vscode.workspace.fs.readDirectory(workspaceRoot())).map(([name]) => name);
    assert.ok(!files.includes('not-a-model.experiment.json'), files.join(', '));
  });
});
