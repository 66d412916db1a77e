// Helpers for specs that drive Model Lab's run panels (several webviews may be open).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { e2eSession } from './session';

/** Picks the QuickPick entry matching `text` (the palette command just opened it). */
export async function pickQuickItem(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  // The picker may replace the palette's input just after it opens: type again until the entry shows.
  for (let attempt = 0; ; attempt++) {
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      break;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
  await page.keyboard.press('Enter');
}

/** The webview document (of several open panels) that contains `selector`. */
export async function panelWith(page: Page, selector: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Switches the colour theme through the workspace settings (the workbench applies
 * them live), then waits until `panel` has re-rendered in that theme's kind.
 */
export async function setColorTheme(panel: Frame, theme: 'Dark Modern' | 'Light Modern'): Promise<void> {
  const file = join(e2eSession().workspace, '.vscode', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  const settings: Record<string, unknown> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
  await panel.waitForSelector(theme === 'Dark Modern' ? 'body.vscode-dark' : 'body.vscode-light');
  // The panel re-colours its canvases on the body class change; give it a frame.
  await panel.waitForTimeout(300);
}
