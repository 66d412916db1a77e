/**
 * Problems of open experiment files as editor diagnostics: validated on open,
 * on edit (debounced), on save and when a workspace file changes (the data
 * it reads); cleared on close. Results of a validation
 * that finished after a newer one started are dropped.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Experiment } from '../../contract/experiment';
import { loadDatasetFacts } from '../../data/loadDataset';
import { DatasetCache } from '../../experiment/datasetCache';
import { parseExperimentText, validateExperiment, type Problem } from '../../experiment/validate';
import { Emitter } from '../emitter';
import { Disposable, toDisposable } from '../lifecycle';
import { EXPERIMENT_SUFFIX, isExperimentDocument } from './experimentFiles';

const EDIT_DELAY_MS = 300;
/** Files that are never an experiment's data: run folders (written every step while training), git, packages. */
const DATA_FILE_NOISE = /\/(\.modellab|\.git|node_modules)\/|\.experiment\.json$/;

export class ExperimentDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('modelLab'));
  private readonly datasets = new DatasetCache(loadDatasetFacts);
  private readonly latest = new Map<string, number>();
  /** One example's target as each document's data last gave it (a new last layer's size). */
  private readonly outputShapes = new Map<string, number[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly validated = this._register(new Emitter<void>());
  /** Fires each time a document's diagnostics were replaced. */
  readonly onDidValidate = this.validated.event;

  constructor() {
    super();
    // Invalid JSON is underlined by VS Code's JSON service on its own schedule: the error count follows it.
    this._register(
      vscode.languages.onDidChangeDiagnostics(({ uris }) => {
        if (uris.some((uri) => uri.path.endsWith(EXPERIMENT_SUFFIX))) this.validated.fire();
      }),
    );
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.validate(document)));
    this._register(vscode.workspace.onDidSaveTextDocument((document) => this.validate(document)));
    this._register(vscode.workspace.onDidChangeTextDocument(({ document }) => this.validateSoon(document)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.collection.delete(document.uri);
        this.latest.delete(document.uri.toString());
        this.outputShapes.delete(document.uri.toString());
      }),
    );
    this._register(toDisposable(() => this.timers.forEach((timer) => clearTimeout(timer))));
    // A data file that appears, changes or goes away can fix or break an open experiment ("data.csv
    // not found" must clear once the file is copied in), not only an edit of the experiment itself.
    const dataFiles = this._register(vscode.workspace.createFileSystemWatcher('**/*'));
    const onDataFile = (uri: vscode.Uri) => {
      if (!DATA_FILE_NOISE.test(uri.path)) this.revalidateOpenExperiments();
    };
    this._register(dataFiles.onDidCreate(onDataFile));
    this._register(dataFiles.onDidChange(onDataFile));
    this._register(dataFiles.onDidDelete(onDataFile));
    // The experiments already open are checked just after activation, not inside it: a check can read
    // the data and an imported model, and the editor waits for activate() to return.
    const openOnes = setTimeout(() =>
      vscode.workspace.textDocuments.forEach((document) => this.validate(document)),
    );
    this._register(toDisposable(() => clearTimeout(openOnes)));
  }

  private revalidateOpenExperiments(): void {
    for (const document of vscode.workspace.textDocuments) this.validateSoon(document);
  }

  private validateSoon(document: vscode.TextDocument): void {
    if (!isExperimentDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.validate(document);
      }, EDIT_DELAY_MS),
    );
  }

  /** Validates now; resolves once the document's diagnostics are up to date. */
  async validate(document: vscode.TextDocument): Promise<void> {
    if (!isExperimentDocument(document)) return;
    const key = document.uri.toString();
    const ticket = (this.latest.get(key) ?? 0) + 1;
    this.latest.set(key, ticket);
    let problems: Problem[];
    try {
      const parsed = parseExperimentText(document.getText());
      const load = async (experiment: Experiment, dir: string) => {
        const dataset = await this.datasets.load(experiment, dir);
        if (this.latest.get(key) === ticket) this.outputShapes.set(key, dataset.outputShape);
        return dataset;
      };
      problems = (await validateExperiment(parsed, dirname(document.uri.fsPath), load)).problems;
    } catch (error) {
      problems = [
        {
          message: vscode.l10n.t(
            'Model Lab could not check this file: {0}',
            error instanceof Error ? error.message : String(error),
          ),
          severity: 'warning',
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        },
      ];
    }
    if (this.latest.get(key) !== ticket || this.isDisposed) return;
    // One diagnostic per problem: invalid JSON is already underlined by VS Code's JSON service.
    const jsonValidates = vscode.workspace.getConfiguration('json', document).get('validate.enable', true);
    const shown = jsonValidates ? problems.filter((p) => p.origin !== 'syntax') : problems;
    this.collection.set(document.uri, shown.map(toDiagnostic));
    this.validated.fire();
  }

  /** One example's target as the document's data last gave it; undefined before its data was read. */
  outputShapeOf(document: vscode.TextDocument): number[] | undefined {
    return this.outputShapes.get(document.uri.toString());
  }

  /** Errors of every source on the file (invalid JSON's and Model Lab's): what the tab's badge counts. */
  errorCount(uri: vscode.Uri): number {
    return vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
      .length;
  }
}

function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const { start, end } = problem.range;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(start.line, start.character, end.line, end.character),
    problem.message,
    problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Model Lab';
  return diagnostic;
}
