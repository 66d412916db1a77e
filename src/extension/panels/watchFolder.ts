import { watch, type FSWatcher } from 'node:fs';
import { toDisposable, type IDisposable } from '../lifecycle';

/** Coalesces bursts of file events (the trainer appends many lines a second) into one read. */
const SETTLE_MS = 100;
/** fs.watch can miss events (folder created later, network drives): a slow poll backs it up. */
const POLL_MS = 1000;

/**
 * Calls `onChange` after files in `dir` change, at most once per SETTLE_MS, and
 * at least every POLL_MS. Works before the folder exists (the poll keeps trying
 * to attach the watcher), for runs started in the editor or by the CLI alike.
 */
export function watchFolder(dir: string, onChange: () => void): IDisposable {
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      onChange();
    }, SETTLE_MS);
  };
  const attach = () => {
    if (watcher) return;
    try {
      watcher = watch(dir, schedule);
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // folder not there yet
    }
  };
  attach();
  const poll = setInterval(() => {
    attach();
    schedule();
  }, POLL_MS);
  return toDisposable(() => {
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    watcher?.close();
  });
}
