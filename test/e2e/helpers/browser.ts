// Drives code-server's workbench with playwright-core and Debian's Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, type FrameLocator, type Page, chromium } from 'playwright-core';
import type { Scratch } from './scratch';
import { chromiumPath } from './tools';

export const artifactsDir = join(__dirname, '..', '..', '..', 'test-artifacts');
export const extensionId = 'modellab.model-lab';

/**
 * A headless Chromium with a fresh profile inside the scratch folder; its
 * environment points XDG dirs there too, so its crash-report database does not
 * land in ~/.config.
 */
export function launchBrowser(scratch: Scratch): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(scratch.root, 'chromium'), {
    env: { ...process.env, ...scratch.env },
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The workbench URL for a folder, with optional `payload` entries (e.g. extension test paths). */
export function workbenchUrl(serverUrl: string, folder: string, payload?: [string, string][]): string {
  const url = new URL(serverUrl);
  url.searchParams.set('folder', folder);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** Opens the workbench and waits until it has rendered. */
export async function openWorkbench(context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Runs a command from the palette by its full title ("Model Lab: Check Engine").
 * Commands appear only once the extension host is up, so this retries until the
 * title shows in the list (up to `timeoutMs`).
 */
export async function runCommand(page: Page, title: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (;;) {
    try {
      // A notification or panel taking focus can close the palette as it opens: start over.
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      // Click the row with this title: Enter would run the palette's top entry, which may be
      // a recently used neighbour ("Model Lab: Stop Training" for "Model Lab: Train").
      await row.click();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline)
        throw new Error(`Command "${title}" never appeared in the palette: ${String(error)}`);
      await page.waitForTimeout(1000);
    }
  }
}

/**
 * The content document of a Model Lab webview panel. Webviews are not in the
 * editor's DOM: an outer iframe (tagged with the extension id) holds the
 * `active-frame` iframe with the panel's own HTML.
 */
export function webviewFrame(page: Page, id = extensionId): FrameLocator {
  return page
    .frameLocator(`iframe.webview.ready[src*="extensionId=${id}"]`)
    .frameLocator('iframe#active-frame');
}

/** Saves a full-window screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
