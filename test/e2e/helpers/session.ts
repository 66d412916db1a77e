// The one code-server and browser of a UI test run, started by test/e2e/runE2e.mjs
// before the specs load and shared by every spec (one server start per layer).
import type { BrowserContext, Page } from 'playwright-core';
import { openWorkbench, runCommand, workbenchUrl } from './browser';

export interface E2eSession {
  /** code-server's base URL. */
  readonly serverUrl: string;
  /** The scratch copy of the sample workspace the workbench has open (tests may write here). */
  readonly workspace: string;
  /** Where code-server installed the packaged .vsix. */
  readonly installedExtensionDir: string;
  readonly browser: BrowserContext;
}

let session: E2eSession | undefined;
let page: Promise<Page> | undefined;

export function setE2eSession(value: E2eSession): void {
  session = value;
}

export function e2eSession(): E2eSession {
  if (!session) throw new Error('UI specs run through test/e2e/runE2e.mjs, which starts code-server first');
  return session;
}

/**
 * The workbench page, opened on first use and shared by all specs (a fresh
 * workbench costs ~10 s). Specs start from a clean editor area.
 */
export async function workbench(): Promise<Page> {
  const { browser, serverUrl, workspace } = e2eSession();
  page ??= openWorkbench(browser, workbenchUrl(serverUrl, workspace));
  const shared = await page;
  await runCommand(shared, 'View: Close All Editors');
  return shared;
}
