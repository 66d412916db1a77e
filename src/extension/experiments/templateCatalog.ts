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
  return localizeTemplates(manifest.templates, await readTranslations(extensionUri, vscode.env.language));
}

type TemplateTexts = Pick<TemplateInfo, 'title' | 'description' | 'detail'>;

/**
 * `templates/manifest.<language>.json`: each template's title, description and detail in the
 * display language, by id; empty when there is none (English, or a language without one).
 */
async function readTranslations(
  extensionUri: vscode.Uri,
  language: string,
): Promise<Record<string, Partial<TemplateTexts>>> {
  const file = vscode.Uri.joinPath(templatesFolder(extensionUri), `manifest.${language.toLowerCase()}.json`);
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, Partial<TemplateTexts>>)
      : {};
  } catch {
    return {};
  }
}

/** The templates with their texts in the display language where a translation has them. */
export function localizeTemplates(
  templates: TemplateInfo[],
  translations: Record<string, Partial<TemplateTexts>>,
): TemplateInfo[] {
  return templates.map((template) => {
    const texts = Object.hasOwn(translations, template.id) ? translations[template.id] : {};
    const pick = (key: keyof TemplateTexts): string =>
      typeof texts[key] === 'string' ? texts[key] : template[key];
    return { ...template, title: pick('title'), description: pick('description'), detail: pick('detail') };
  });
}
