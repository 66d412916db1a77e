/**
 * The experiment command group: New Experiment, Import ONNX Model, diagnostics and the Train
 * CodeLens on experiment files.
 */
import * as vscode from 'vscode';
import { ExperimentCodeLensProvider } from './experimentCodeLens';
import { ExperimentDiagnostics } from './experimentDiagnostics';
import { EXPERIMENT_GLOB } from './experimentFiles';
import { IMPORT_ONNX_COMMAND, importOnnxModel } from './importOnnx';
import { newExperiment } from './newExperiment';

export const NEW_EXPERIMENT_COMMAND = 'modelLab.newExperiment';

export function registerExperimentCommands(extensionUri: vscode.Uri): vscode.Disposable[] {
  const diagnostics = new ExperimentDiagnostics();
  const lenses = new ExperimentCodeLensProvider(diagnostics.onDidValidate, (uri) =>
    diagnostics.errorCount(uri),
  );
  return [
    diagnostics,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: EXPERIMENT_GLOB }, lenses),
    vscode.commands.registerCommand(
      NEW_EXPERIMENT_COMMAND,
      async (templateId?: string, parentFolder?: vscode.Uri, name?: string) => {
        try {
          return await newExperiment(extensionUri, templateId, parentFolder, name);
        } catch (error) {
          void vscode.window.showErrorMessage(
            `New Experiment failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return undefined;
        }
      },
    ),
    vscode.commands.registerCommand(IMPORT_ONNX_COMMAND, (model?: vscode.Uri) => importOnnxModel(model)),
  ];
}
