/**
 * "Model Lab: Export to PyTorch…": the experiment (argument, active editor or a pick), a
 * target folder (an input box, prefilled with `<experiment>-pytorch` beside the experiment
 * file), then src/export/pytorch writes the project. A non-empty folder needs a confirmation;
 * refusals arrive as an error notification naming the file and what to do.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type * as PytorchExport from '../../export/pytorch/exportProject';
import { experimentFileOf, pickExperimentFile } from '../experiments/chooseExperiment';
import { EXPERIMENT_SUFFIX } from '../experiments/experimentFiles';

export const EXPORT_PYTORCH_COMMAND = 'modelLab.exportPytorch';

/**
 * src/export/pytorch, loaded on the first export: it compiles the model for its initial weights,
 * so it carries the graph builder and the autodiff rules, which the editor need not read and
 * compile at startup. The build ships it as a bundle of its own (`dist/pytorch-export.js`,
 * scripts/nodeBundles.mjs) that this `require` reaches.
 */
function pytorchExport(): typeof PytorchExport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  return require('../../export/pytorch/exportProject') as typeof PytorchExport;
}

export function registerExportCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(EXPORT_PYTORCH_COMMAND, async (arg?: unknown, target?: string) => {
      const experimentFile =
        experimentFileOf(arg) ??
        (await pickExperimentFile({
          title: vscode.l10n.t('Export which experiment to PyTorch?'),
          noneMessage: vscode.l10n.t('This workspace has no experiment file (*.experiment.json) to export.'),
        }));
      if (!experimentFile) return undefined;
      const outDir = target ?? (await askFolder(experimentFile));
      if (!outDir) return undefined;
      const force = await confirmNonEmpty(outDir);
      if (force === undefined) return undefined;
      try {
        const result = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Exporting {0} to PyTorch…', basename(experimentFile)),
          },
          () => pytorchExport().exportPytorchProject({ experimentFile, outDir, force }),
        );
        const openReadme = vscode.l10n.t('Open README');
        void vscode.window
          .showInformationMessage(
            vscode.l10n.t(
              'PyTorch project written to {0}. Train with "python train.py" or "torchrun --nproc_per_node N train.py".',
              result.outDir,
            ),
            openReadme,
          )
          .then(async (choice) => {
            if (choice === openReadme)
              await vscode.window.showTextDocument(vscode.Uri.file(join(result.outDir, 'README.md')));
          });
        return result.outDir;
      } catch (error) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            'Export to PyTorch failed: {0}',
            error instanceof Error ? error.message : String(error),
          ),
        );
        return undefined;
      }
    }),
  ];
}

async function askFolder(experimentFile: string): Promise<string | undefined> {
  const base = dirname(experimentFile);
  const suggested = join(base, `${basename(experimentFile, EXPERIMENT_SUFFIX)}-pytorch`);
  const answer = await vscode.window.showInputBox({
    title: vscode.l10n.t('Export to PyTorch: project folder'),
    prompt: vscode.l10n.t('A new or empty folder (relative paths start at the experiment file’s folder)'),
    value: suggested,
    validateInput: (value) =>
      value.trim() === '' ? vscode.l10n.t('Enter a folder for the PyTorch project.') : undefined,
  });
  if (answer === undefined) return undefined;
  const path = answer.trim();
  return isAbsolute(path) ? path : resolve(base, path);
}

/** false: the folder is new or empty; true: the user agreed to overwrite; undefined: cancelled. */
async function confirmNonEmpty(outDir: string): Promise<boolean | undefined> {
  if (!existsSync(outDir) || readdirSync(outDir).length === 0) return false;
  const overwrite = vscode.l10n.t('Overwrite Exported Files');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      '{0} is not empty. Overwrite the exported files there (model.py, train.py, data/…)? Other files stay.',
      outDir,
    ),
    { modal: true },
    overwrite,
  );
  return choice === overwrite ? true : undefined;
}
