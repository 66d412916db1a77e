/**
 * Writes a template into a new experiment folder with `vscode.workspace.fs`:
 * every file of `templates/<id>/` (of its translated READMEs only the display
 * language's), the experiment file renamed to `<name>.experiment.json` with its
 * `name` field set. Plain text edits keep the template's layout and comments.
 */
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import { EXPERIMENT_SUFFIX } from './experimentFiles';
import { templatesFolder, type TemplateInfo } from './templateCatalog';
import { copiedFor, readmeFor } from './templateReadme';

export interface ScaffoldResult {
  folder: vscode.Uri;
  experimentFile: vscode.Uri;
  readme: vscode.Uri;
}

export const EXPERIMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

async function filesUnder(folder: vscode.Uri, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(folder)) {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (type & vscode.FileType.Directory)
      files.push(...(await filesUnder(vscode.Uri.joinPath(folder, name), relative)));
    else files.push(relative);
  }
  return files;
}

export async function scaffoldTemplate(
  extensionUri: vscode.Uri,
  template: TemplateInfo,
  parent: vscode.Uri,
  name: string,
): Promise<ScaffoldResult> {
  const source = vscode.Uri.joinPath(templatesFolder(extensionUri), template.id);
  const folder = vscode.Uri.joinPath(parent, name);
  const experimentName = `${name}${EXPERIMENT_SUFFIX}`;
  await vscode.workspace.fs.createDirectory(folder);
  const language = vscode.env.language;
  const files = (await filesUnder(source)).filter((file) => copiedFor(language, file));
  for (const relative of files) {
    let bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(source, relative));
    let target = relative;
    if (relative === template.experimentFile) {
      const text = new TextDecoder().decode(bytes);
      const edits = modify(text, ['name'], name, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
      bytes = new TextEncoder().encode(applyEdits(text, edits));
      target = experimentName;
    }
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, target), bytes);
  }
  return {
    folder,
    experimentFile: vscode.Uri.joinPath(folder, experimentName),
    readme: vscode.Uri.joinPath(folder, readmeFor(language, files)),
  };
}
