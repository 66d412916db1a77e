import type { Locator, Page } from 'playwright-core';
import { runCommand } from './browser';
import { scrollToRow } from './lists';

/**
 * The Runs view's row of a run (its label is the run id), once the view shows it. The view's list
 * renders only the rows in sight: with many runs the row is scrolled to first.
 */
export async function runsViewRowOf(page: Page, runId: string, timeoutMs = 30_000) {
  await runCommand(page, 'Model Lab: Focus on Runs View');
  // In the sidebar: a quick input still closing has list rows of its own.
  const row = page
    .locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: runId }) })
    .first();
  const list = page.locator('.part.sidebar .monaco-list .monaco-scrollable-element').first();
  return scrollToRow(page, list, row, timeoutMs);
}

/** Right-clicks a run in the Runs view and returns the titles its context menu offers (the menu stays open). */
export async function contextMenuOf(page: Page, runId: string): Promise<string[]> {
  const row = await runsViewRowOf(page, runId);
  await row.click({ button: 'right' });
  const items = page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
  await items.first().waitFor({ state: 'visible', timeout: 10_000 });
  return (await items.allTextContents()).map((text) => text.trim()).filter(Boolean);
}

/**
 * Chooses `title` in the open context menu of run `runId` and waits until the menu closes. The
 * entry is chosen with the keyboard, as a mouse click on a menu that has only just opened can be
 * ignored; a menu that closed before the entry was chosen (a notification or a panel took the
 * focus) is opened again first. With `took`, what the entry shows once it ran: a menu that
 * closed without it showing within 15 s had lost the choice, and it is made again (said in the
 * test's output).
 */
export async function chooseFromContextMenu(
  page: Page,
  runId: string,
  title: string,
  took?: Locator,
): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await chooseOnce(page, runId, title);
    if (!took) return;
    try {
      await took.first().waitFor({ state: 'visible', timeout: 15_000 });
      return;
    } catch {
      console.log(
        `      "${title}" in the menu of run ${runId} showed nothing within 15 s: choosing it again`,
      );
    }
  }
  await took?.first().waitFor({ state: 'visible', timeout: 1 });
}

async function chooseOnce(page: Page, runId: string, title: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const focused = menu.locator('.action-item.focused .action-label');
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await menu.isVisible())) await contextMenuOf(page, runId);
    // The pointer still rests where the row was right-clicked, over the menu, and an entry under
    // the pointer takes the focus: move it away before walking the entries.
    await page.mouse.move(0, 0);
    const entries = await menu.locator('.action-item').count();
    for (let press = 0; press <= entries; press++) {
      const label = await focused.textContent({ timeout: 500 }).catch(() => null);
      if (label?.trim() === title) {
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5_000 });
        return;
      }
      if (!(await menu.isVisible())) break;
      await page.keyboard.press('ArrowDown');
    }
  }
  throw new Error(`"${title}" could not be chosen in the context menu of run ${runId}`);
}
