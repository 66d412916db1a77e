// VS Code's lists and trees render only the rows in sight: a row further down is not in the DOM
// until the list is scrolled to it.
import type { Locator, Page } from 'playwright-core';

/**
 * How far a tree's sticky rows (the parent of the rows under them, pinned at the top while they
 * scroll) cover `row`, in pixels; a click there would land on the sticky row.
 */
async function stickyOverlap(page: Page, row: Locator): Promise<number> {
  const box = await row.boundingBox();
  if (!box) return 0;
  let overlap = 0;
  for (const sticky of await page.locator('.monaco-tree-sticky-container').all()) {
    const pinned = await sticky.boundingBox();
    if (!pinned || pinned.height === 0 || pinned.x >= box.x + box.width || box.x >= pinned.x + pinned.width)
      continue;
    overlap = Math.max(overlap, pinned.y + pinned.height - box.y);
  }
  return overlap;
}

/**
 * Scrolls `list` (a .monaco-scrollable-element) down and back up until `row` is rendered and
 * visible, and not under a tree's sticky rows.
 */
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
    if (await row.isVisible()) {
      const covered = await stickyOverlap(page, row);
      if (covered <= 0) return row;
      if (Date.now() > deadline) break;
      // Scrolled up by what covers it, the row comes out from under the sticky rows.
      await list.hover();
      await page.mouse.wheel(0, -(covered + 24));
      await page.waitForTimeout(100);
      continue;
    }
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
