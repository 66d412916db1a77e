// Opens workspace files the way a user does from the Explorer. Quick Open (Ctrl+P) caches
// the workspace's file list at its first search and may not list a file written later,
// so specs that create files open them here.
import type { Page } from 'playwright-core';
import { runCommand } from './browser';
import { scrollToRow } from './lists';

/** Opens `fileName` (a file at the workspace root) from the Explorer, in the active editor group. */
export async function openFromExplorer(page: Page, fileName: string): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  const list = page.locator('.explorer-folders-view .monaco-scrollable-element').first();
  await (await scrollToRow(page, list, item)).click();
}
