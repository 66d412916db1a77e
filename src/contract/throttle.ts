/**
 * Runs `update` at most once per `intervalMs`: at once when idle, otherwise once more
 * at the end of the interval. A live run changes what the editor shows many times a
 * second (the status bar, the progress notification, the metrics panel's charts), and
 * every change is a frame the editor draws. In the contract: the host and the webviews
 * throttle alike.
 */
export function throttle(update: () => void, intervalMs = 250): { (): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
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
