import type { Page } from 'playwright-core';
import { runCommand } from './browser';

/** The Runs view's row of a run (its label is the run id), once the view shows it. */
export async function runsViewRowOf(page: Page, runId: string, timeoutMs = 30_000) {
  await runCommand(page, 'Model Lab: Focus on Runs View');
  const row = page
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: runId }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
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
