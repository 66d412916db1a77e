/**
 * Model Lab's strings outside the extension host (the training process and the CLI) come from
 * the same l10n bundles VS Code loads for the host (`l10n/bundle.l10n.<language>.json`), through
 * `@vscode/l10n`. With no bundle (English), `l10n.t` returns the English source text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as l10n from '@vscode/l10n';

/** Uses the translations in `bundleFile`; English when undefined. */
export function useTranslations(bundleFile: string | undefined): void {
  if (!bundleFile) return;
  l10n.config({ contents: JSON.parse(readFileSync(bundleFile, 'utf8')) as Record<string, string> });
}

/** The `l10n/` folder of this installation: beside dist/ when bundled, at the repository root from sources. */
export function l10nFolder(from = __dirname): string | undefined {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'l10n', 'bundle.l10n.json'))) return join(dir, 'l10n');
  }
  return undefined;
}

/**
 * The bundle for a language tag such as `zh-CN`, `zh_CN.UTF-8` or `zh`: the exact language first,
 * then any bundle of the same base language; undefined for English or a language Model Lab lacks.
 */
export function bundleFor(language: string, folder = l10nFolder()): string | undefined {
  const tag = language.split('.')[0].replace(/_/g, '-').toLowerCase();
  const base = tag.split('-')[0];
  if (!folder || !base || base === 'en' || base === 'c' || base === 'posix') return undefined;
  const exact = join(folder, `bundle.l10n.${tag}.json`);
  if (existsSync(exact)) return exact;
  const sameBase = join(folder, `bundle.l10n.${base === 'zh' ? 'zh-cn' : base}.json`);
  return existsSync(sameBase) ? sameBase : undefined;
}
