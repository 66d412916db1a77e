// VS Code's own folder dialog in code-server is a quick input holding a path.
import type { Page } from 'playwright-core';

/** Answers an open-folder dialog with `folder`. */
export async function openThroughDialog(page: Page, folder: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const opened = Date.now() + 15_000;
  while (!(await input.inputValue().catch(() => '')).startsWith('/')) {
    if (Date.now() > opened) throw new Error('no folder dialog opened');
    await page.waitForTimeout(200);
  }
  // The dialog completes what is typed asynchronously: Enter once the box holds `folder/` steadily.
  for (let steady = 0; steady < 2;) {
    if ((await input.inputValue()) === `${folder}/`) steady++;
    else {
      steady = 0;
      await input.fill(`${folder}/`);
    }
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Enter');
  // Enter on a folder path either accepts it or goes into it; then the dialog's button accepts.
  const widget = page.locator('.quick-input-widget');
  await page.waitForTimeout(1000);
  if (await widget.isVisible())
    await widget.locator('.monaco-button', { hasText: 'Open Run Folder' }).click({ timeout: 15_000 });
}
