/**
 * "Model Lab: New Experiment…": pick a template, a folder and a name, write
 * the files, then open the experiment file with its README beside it.
 * Arguments (all optional) skip the matching prompt — for tests and links:
 * `modelLab.newExperiment(templateId, parentFolderUri, name)`.
 */
import * as vscode from 'vscode';
import { readTemplateCatalog, type TemplateInfo } from './templateCatalog';
import { uriExists } from './experimentFiles';
import { EXPERIMENT_NAME_PATTERN, scaffoldTemplate } from './scaffold';

async function pickTemplate(templates: TemplateInfo[], id?: string): Promise<TemplateInfo | undefined> {
  if (id !== undefined) {
    const template = templates.find((t) => t.id === id);
    if (!template)
      throw new Error(
        vscode.l10n.t(
          'Model Lab has no template "{0}"; templates: {1}',
          id,
          templates.map((t) => t.id).join(', '),
        ),
      );
    return template;
  }
  const picked = await vscode.window.showQuickPick(
    templates.map((template) => ({
      label: template.title,
      description: template.description,
      detail: template.detail,
      template,
    })),
    {
      title: vscode.l10n.t('New Experiment: choose a template'),
      placeHolder: vscode.l10n.t('What should the model learn?'),
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  return picked?.template;
}

async function pickParentFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) {
    return (
      await vscode.window.showWorkspaceFolderPick({
        placeHolder: vscode.l10n.t('Workspace folder for the new experiment'),
      })
    )?.uri;
  }
  const [chosen] =
    (await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Create Experiment Here'),
      title: vscode.l10n.t('New Experiment: choose a folder'),
    })) ?? [];
  return chosen;
}

async function askName(template: TemplateInfo, parent: vscode.Uri): Promise<string | undefined> {
  const suggested = template.experimentFile.replace(/\.experiment\.json$/, '');
  return vscode.window.showInputBox({
    title: vscode.l10n.t('New Experiment: name'),
    prompt: vscode.l10n.t(
      'Folder and experiment name, created in {0}',
      vscode.workspace.asRelativePath(parent, true),
    ),
    value: suggested,
    validateInput: (value) =>
      EXPERIMENT_NAME_PATTERN.test(value)
        ? undefined
        : vscode.l10n.t("Use letters, digits, '.', '_' and '-' (no spaces or slashes)."),
  });
}

/** Returns the new experiment file, or undefined when the user cancelled. */
export async function newExperiment(
  extensionUri: vscode.Uri,
  templateId?: string,
  parentFolder?: vscode.Uri,
  experimentName?: string,
): Promise<vscode.Uri | undefined> {
  const template = await pickTemplate(await readTemplateCatalog(extensionUri), templateId);
  if (!template) return undefined;
  const parent = parentFolder ?? (await pickParentFolder());
  if (!parent) return undefined;
  const name = experimentName ?? (await askName(template, parent));
  if (!name) return undefined;
  if (!EXPERIMENT_NAME_PATTERN.test(name))
    throw new Error(vscode.l10n.t('"{0}" is not a valid experiment name', name));

  const target = vscode.Uri.joinPath(parent, name);
  if (await uriExists(target)) {
    const overwrite = vscode.l10n.t('Overwrite');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('The folder "{0}" already exists.', vscode.workspace.asRelativePath(target, true)),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Overwrite the files of the "{0}" template in it? Other files stay untouched.',
          template.title,
        ),
      },
      overwrite,
    );
    if (answer !== overwrite) return undefined;
  }
  const result = await scaffoldTemplate(extensionUri, template, parent, name);
  const experimentEditor = await vscode.window.showTextDocument(result.experimentFile, {
    viewColumn: vscode.ViewColumn.One,
  });
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', result.readme);
  } catch {
    await vscode.window.showTextDocument(result.readme, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
  }
  // The preview takes focus; give it back to the file the user edits next.
  await vscode.window.showTextDocument(experimentEditor.document, {
    viewColumn: experimentEditor.viewColumn,
  });
  return result.experimentFile;
}
