/** The templates shipped in `templates/` (listed by templates/manifest.json). */
import * as vscode from 'vscode';

export interface TemplateInfo {
  id: string;
  title: string;
  description: string;
  /** The target it reaches ("Target: ≥ 98 % test accuracy…"), the picker's second line: a long first line is cut off. */
  detail: string;
  experimentFile: string;
}

function isTemplateInfo(value: unknown): value is TemplateInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['id', 'title', 'description', 'detail', 'experimentFile'].every(
    (key) => typeof v[key] === 'string',
  );
}

export function templatesFolder(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'templates');
}

export async function readTemplateCatalog(extensionUri: vscode.Uri): Promise<TemplateInfo[]> {
  const bytes = await vscode.workspace.fs.readFile(
    vscode.Uri.joinPath(templatesFolder(extensionUri), 'manifest.json'),
  );
  const manifest = JSON.parse(new TextDecoder().decode(bytes)) as { templates?: unknown };
  if (!Array.isArray(manifest.templates) || !manifest.templates.every(isTemplateInfo)) {
    throw new Error(vscode.l10n.t('templates/manifest.json is malformed; reinstall Model Lab'));
  }
  return manifest.templates;
}
