/**
 * Which README of a template a user reads: `README.<language>.md` when the template has one for
 * VS Code's display language (`README.zh-cn.md` for `zh-cn`), else `README.md`. A scaffolded
 * experiment gets README.md and the one of the display language, not every translation.
 * Plain (no `vscode`), unit-tested.
 */

const TRANSLATED_README = /^README\.([a-z]{2}(?:-[a-z]+)?)\.md$/i;

/** The README to open among a template's `files`, for `language` (e.g. `zh-cn`, `en`). */
export function readmeFor(language: string, files: readonly string[]): string {
  const wanted = `README.${language.toLowerCase()}.md`;
  return files.find((file) => file.toLowerCase() === wanted.toLowerCase()) ?? 'README.md';
}

/** Whether a template file is copied into a new experiment for `language`: translations other than its own stay behind. */
export function copiedFor(language: string, file: string): boolean {
  const translated = TRANSLATED_README.exec(file);
  return !translated || translated[1].toLowerCase() === language.toLowerCase();
}
