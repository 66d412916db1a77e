import type { Locator } from 'playwright-core';

/**
 * Waits until the locator's text satisfies `expected` and returns it; on timeout
 * the error shows the last text seen, so a failing UI test says what it found.
 */
export async function waitForText(
  locator: Locator,
  expected: RegExp | string,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    last = await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => last);
    const ok = typeof expected === 'string' ? last === expected : last !== null && expected.test(last);
    if (ok && last !== null) return last;
    if (Date.now() > deadline)
      throw new Error(`expected ${String(expected)}, last text seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the locator's attribute `name` equals `expected`; on timeout the error shows the last value. */
export async function waitForAttribute(
  locator: Locator,
  name: string,
  expected: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    last = await locator
      .getAttribute(name, { timeout: Math.max(1, deadline - Date.now()) })
      .catch(() => last);
    if (last === expected) return;
    if (Date.now() > deadline)
      throw new Error(`expected ${name}="${expected}", last value seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until `check` returns (or resolves to) a value other than undefined (a state on disk,
 * counts read from a panel) and returns it; on timeout the error says what was awaited.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
