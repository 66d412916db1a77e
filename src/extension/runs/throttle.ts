/**
 * Runs `update` at most once per `intervalMs`: at once when idle, otherwise once more
 * at the end of the interval. Every status bar or progress change is a message to the
 * workbench; a live run changes them many times a second.
 */
export function throttle(update: () => void, intervalMs = 250): { (): void; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const run = (): void => {
    if (timer) {
      pending = true;
      return;
    }
    update();
    timer = setTimeout(() => {
      timer = undefined;
      if (pending) {
        pending = false;
        run();
      }
    }, intervalMs);
  };
  return Object.assign(run, {
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = false;
    },
  });
}
