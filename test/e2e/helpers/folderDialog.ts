// VS Code's own open dialogs in code-server are a quick input holding a path.
import type { Page } from 'playwright-core';

/** Waits for an open dialog, then types `path` until the box holds it steadily (the dialog completes what is typed). */
async function typeIntoDialog(page: Page, path: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const opened = Date.now() + 15_000;
  while (!(await input.inputValue().catch(() => '')).startsWith('/')) {
    if (Date.now() > opened) throw new Error('no open dialog showed');
    await page.waitForTimeout(200);
  }
  for (let steady = 0; steady < 2;) {
    if ((await input.inputValue()) === path) steady++;
    else {
      steady = 0;
      await input.fill(path);
    }
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Enter');
}

/** Answers an open-folder dialog with `folder`; `accept` is the dialog's button. */
export async function openThroughDialog(
  page: Page,
  folder: string,
  accept = 'Open Run Folder',
): Promise<void> {
  await typeIntoDialog(page, `${folder}/`);
  // Enter on a folder path either accepts it or goes into it; then the dialog's button accepts.
  const widget = page.locator('.quick-input-widget');
  await page.waitForTimeout(1000);
  if (await widget.isVisible())
    await widget.locator('.monaco-button', { hasText: accept }).click({ timeout: 15_000 });
}

/**
 * Answers an open-file (or save-file) dialog with `file` and waits for it to close, or to give
 * way to the next question in the same quick input (one that does not hold a path).
 */
export async function openFileThroughDialog(page: Page, file: string): Promise<void> {
  await typeIntoDialog(page, file);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const closed = Date.now() + 15_000;
  while ((await input.isVisible()) && (await input.inputValue().catch(() => '')).startsWith('/')) {
    if (Date.now() > closed) throw new Error(`the open dialog did not close on ${file}`);
    await page.waitForTimeout(200);
  }
}
