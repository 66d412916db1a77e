/**
 * Polls `read` until `done` holds. The extension host learns about tabs, diagnostics and
 * run files asynchronously, so tests wait for the state a user would see instead of
 * asserting on the first read.
 */
export async function eventually<T>(
  read: () => Thenable<T> | T,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
