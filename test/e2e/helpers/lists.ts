// VS Code's lists and trees render only the rows in sight: a row further down is not in the DOM
// until the list is scrolled to it.
import type { Locator, Page } from 'playwright-core';

/** Scrolls `list` (a .monaco-scrollable-element) down and back up until `row` is rendered and visible. */
export async function scrollToRow(
  page: Page,
  list: Locator,
  row: Locator,
  timeoutMs = 30_000,
): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  const offset = () =>
    list.evaluate((element) => element.querySelector('.monaco-list-rows')?.getAttribute('style') ?? '');
  for (let downward = true; ;) {
    if (await row.isVisible()) return row;
    if (Date.now() > deadline) break;
    // Sweep top to bottom and back while the row is not rendered (or not written yet).
    const before = await offset();
    await list.hover();
    await page.mouse.wheel(0, downward ? 200 : -10_000);
    await page.waitForTimeout(100);
    if ((await offset()) === before) downward = !downward;
  }
  await row.waitFor({ state: 'visible', timeout: 1 });
  return row;
}
