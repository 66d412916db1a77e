// Helpers for specs that drive Model Lab's run panels (several webviews may be open).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { screenshot, webviewFrame } from './browser';
import { e2eSession } from './session';
import { waitForText, waitUntil } from './waitFor';

/** Picks the QuickPick entry matching `text` (the palette command just opened it). */
export async function pickQuickItem(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Enter takes the focused row: wait until the filter has made it the one with `text` (before it
  // applies, every row shows and the first one, maybe another run, is focused).
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).first();
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

/**
 * Types `value` into the open input box and presses Enter; with `title`, first waits until the
 * box shows that title (the question asked), and returns the prompt it showed.
 */
export async function answerInputBox(page: Page, value: string, title?: string): Promise<string> {
  const widget = page.locator('.quick-input-widget');
  if (title !== undefined)
    await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 15_000 });
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const prompt = (await widget.locator('.quick-input-message').textContent()) ?? '';
  await input.fill(value);
  await page.keyboard.press('Enter');
  return prompt;
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
export async function setColorTheme(
  panel: Frame,
  theme: 'Dark Modern' | 'Light Modern' | 'Default High Contrast',
): Promise<void> {
  const file = join(e2eSession().workspace, '.vscode', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  const settings: Record<string, unknown> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
  const bodyClass = {
    'Dark Modern': 'vscode-dark',
    'Light Modern': 'vscode-light',
    'Default High Contrast': 'vscode-high-contrast',
  }[theme];
  await panel.waitForSelector(`body.${bodyClass}`);
  // The panel re-colours its canvases on the body class change; give it a frame.
  await panel.waitForTimeout(300);
}

/**
 * Answers the save dialog an export just opened with `path` and waits for the
 * file. code-server's save dialog is a quick input holding a folder path.
 */
export async function saveThroughDialog(page: Page, path: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Wait for the dialog itself (it opens holding a folder path), not a palette that is still closing.
  const opened = Date.now() + 15_000;
  while (!(await input.inputValue().catch(() => '')).startsWith('/')) {
    if (Date.now() > opened) {
      await screenshot(page, 'save-dialog-missing');
      throw new Error(`no save dialog opened for ${path}`);
    }
    await page.waitForTimeout(200);
  }
  // The dialog completes what is typed asynchronously (it may still be filling in the suggested
  // name): Enter only once the box has held exactly `path` for two looks in a row.
  for (let steady = 0; steady < 2;) {
    if ((await input.inputValue()) === path) {
      steady++;
    } else {
      steady = 0;
      await input.fill(path);
    }
    await page.waitForTimeout(300);
  }
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 15_000;
  while (!existsSync(path) && Date.now() < deadline) {
    await page.waitForTimeout(500);
    if (!existsSync(path) && (await input.isVisible())) await page.keyboard.press('Enter');
  }
  if (!existsSync(path)) {
    await screenshot(page, 'save-dialog-stuck');
    throw new Error(`the save dialog did not write ${path}`);
  }
}

/** Points the metrics panel charts (its body's data-points), 0 while it has not drawn. */
export async function pointsShown(page: Page): Promise<number> {
  const value = await webviewFrame(page).locator('body').getAttribute('data-points', { timeout: 5_000 });
  return Number(value ?? 0);
}

/** Waits until the metrics panel charts at least `atLeast` points and returns how many. */
export async function waitForPoints(page: Page, atLeast: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const points = await pointsShown(page).catch(() => 0);
    if (points >= atLeast) return points;
    if (Date.now() > deadline) throw new Error(`chart shows ${points} points, expected at least ${atLeast}`);
    await page.waitForTimeout(200);
  }
}

/** The compare panel's series colours by run short name (legend chip text before " · "), over every chart. */
export async function seriesColoursByRun(compare: Frame): Promise<Map<string, Set<string>>> {
  const colours = await compare.locator('.chart-card .series-toggle').evaluateAll((buttons) =>
    buttons.map((button) => ({
      run: button.textContent!.split(' · ')[0],
      colour: (button.querySelector('.swatch') as HTMLElement).style.borderColor,
    })),
  );
  const byRun = new Map<string, Set<string>>();
  for (const { run, colour } of colours) byRun.set(run, (byRun.get(run) ?? new Set()).add(colour));
  return byRun;
}

/**
 * Clicks a runs-table header until it sorts that way (`▼` descending, `▲` ascending): the table
 * opens with the sort last chosen in the workspace, so the first click may reverse it.
 */
export async function sortTableBy(header: Locator, arrow: '▼' | '▲'): Promise<void> {
  for (let click = 0; click < 2; click++) {
    const before = (await header.textContent()) ?? '';
    if (before.endsWith(arrow)) return;
    await header.click();
    await waitUntil(`${before} to sort again`, async () =>
      (await header.textContent()) !== before ? true : undefined,
    );
  }
  await waitForText(header, new RegExp(`${arrow}$`));
}
