import type { Page } from 'playwright-core';
import { runCommand } from './browser';
import { scrollToRow } from './lists';

/**
 * The Runs view's row of a run (its label is the run id), once the view shows it. The view's list
 * renders only the rows in sight: with many runs the row is scrolled to first.
 */
export async function runsViewRowOf(page: Page, runId: string, timeoutMs = 30_000) {
  await runCommand(page, 'Model Lab: Focus on Runs View');
  const row = page
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: runId }) })
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

/** Clicks an entry of the open context menu and waits for the menu to close (the click took). */
export async function chooseFromContextMenu(page: Page, title: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  // A click that lands while the menu still lays out is lost: click again until the menu closes.
  for (let attempt = 1; ; attempt++) {
    await menu.locator('.action-label', { hasText: title }).first().click();
    try {
      await menu.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (error) {
      if (!(await menu.isVisible())) return;
      if (attempt === 3) throw error;
    }
  }
}
