/**
 * The experiment command group: New Experiment, Import ONNX Model, diagnostics, the Train
 * CodeLens, the model summary (hover and CodeLens on `"model"`) and the schema (in the display
 * language) of experiment files.
 */
import * as vscode from 'vscode';
import { ExperimentCodeLensProvider } from './experimentCodeLens';
import { ExperimentDiagnostics } from './experimentDiagnostics';
import { EXPERIMENT_GLOB } from './experimentFiles';
import { registerExperimentSchema } from './experimentSchemaProvider';
import { IMPORT_ONNX_COMMAND, importOnnxModel } from './importOnnx';
import {
  ModelSummaries,
  ModelSummaryCodeLensProvider,
  ModelSummaryHoverProvider,
  SHOW_MODEL_SUMMARY_COMMAND,
  showModelSummary,
} from './modelSummaryHover';
import { newExperiment } from './newExperiment';

export const NEW_EXPERIMENT_COMMAND = 'modelLab.newExperiment';

export function registerExperimentCommands(extensionUri: vscode.Uri): vscode.Disposable[] {
  const diagnostics = new ExperimentDiagnostics();
  const lenses = new ExperimentCodeLensProvider(diagnostics.onDidValidate, (uri) =>
    diagnostics.errorCount(uri),
  );
  const experiments = { scheme: 'file', pattern: EXPERIMENT_GLOB };
  const summaries = new ModelSummaries((document) => diagnostics.outputShapeOf(document));
  return [
    registerExperimentSchema(extensionUri),
    diagnostics,
    vscode.languages.registerCodeLensProvider(experiments, lenses),
    vscode.languages.registerHoverProvider(experiments, new ModelSummaryHoverProvider(summaries)),
    vscode.languages.registerCodeLensProvider(
      experiments,
      new ModelSummaryCodeLensProvider(summaries, diagnostics.onDidValidate),
    ),
    vscode.workspace.onDidCloseTextDocument((document) => summaries.forget(document)),
    vscode.commands.registerCommand(SHOW_MODEL_SUMMARY_COMMAND, showModelSummary),
    vscode.commands.registerCommand(
      NEW_EXPERIMENT_COMMAND,
      async (templateId?: string, parentFolder?: vscode.Uri, name?: string) => {
        try {
          return await newExperiment(extensionUri, templateId, parentFolder, name);
        } catch (error) {
          void vscode.window.showErrorMessage(
            vscode.l10n.t(
              'New Experiment failed: {0}',
              error instanceof Error ? error.message : String(error),
            ),
          );
          return undefined;
        }
      },
    ),
    vscode.commands.registerCommand(IMPORT_ONNX_COMMAND, (model?: vscode.Uri) => importOnnxModel(model)),
  ];
}
