import type { Page } from 'playwright-core';
import { runCommand } from './browser';

/**
 * The Runs view's row of a run (its label is the run id), once the view shows it. The view's list
 * renders only the rows in sight: with many runs the row is scrolled to first.
 */
export async function runsViewRowOf(page: Page, runId: string, timeoutMs = 30_000) {
  await runCommand(page, 'Model Lab: Focus on Runs View');
  const row = page
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: runId }) })
    .first();
  const deadline = Date.now() + timeoutMs;
  const list = page.locator('.part.sidebar .monaco-list .monaco-scrollable-element').first();
  for (let downward = true; ;) {
    if (await row.isVisible()) return row;
    if (Date.now() > deadline) break;
    // Sweep the list from top to bottom and back while the row is not rendered (or not written yet).
    const before = await list.evaluate((element) =>
      element.querySelector('.monaco-list-rows')?.getAttribute('style'),
    );
    await list.hover();
    await page.mouse.wheel(0, downward ? 200 : -10_000);
    await page.waitForTimeout(100);
    const after = await list.evaluate((element) =>
      element.querySelector('.monaco-list-rows')?.getAttribute('style'),
    );
    if (before === after) downward = !downward;
  }
  await row.waitFor({ state: 'visible', timeout: 1 });
  return row;
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
  await page.locator('.context-view .monaco-menu .action-label', { hasText: title }).first().click();
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 10_000 });
}
