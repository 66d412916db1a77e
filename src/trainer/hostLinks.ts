/**
 * The editor windows a training process reports to. The window that forked
 * it is the first (its IPC channel); after a reload, the new window attaches
 * through the run's endpoint. When the last one goes, the run keeps training
 * for a grace period (a reload takes seconds); if no window comes back by
 * then, `onAbandoned` asks the run to stop with a checkpoint. With
 * `graceMs` undefined (the keepRunningWithoutWindow setting) it trains on.
 */
export interface HostLink {
  send(message: unknown): void;
  close(): void;
}

export class HostLinks {
  private readonly links = new Set<HostLink>();
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly graceMs: number | undefined,
    private readonly onAbandoned: () => void,
  ) {}

  get count(): number {
    return this.links.size;
  }

  attach(link: HostLink, replay: unknown[] = []): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.links.add(link);
    for (const message of replay) link.send(message);
  }

  /** A window went away (reload, crash, close); with none left, the grace period starts. */
  detach(link: HostLink): void {
    if (!this.links.delete(link) || this.links.size > 0 || this.graceMs === undefined) return;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined;
      this.onAbandoned();
    }, this.graceMs);
  }

  broadcast(message: unknown): void {
    for (const link of this.links) link.send(message);
  }

  /** At the end of the run: no more grace timer, every window let go. */
  closeAll(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    for (const link of this.links) link.close();
    this.links.clear();
  }
}

/**
 * The window that forked this process, through its IPC channel. A send that
 * races the window going away fails with EPIPE: that error is dropped (the
 * 'disconnect' that follows detaches the window) instead of ending training.
 */
export function ipcParentLink(): HostLink | undefined {
  if (!process.send) return undefined;
  return {
    send: (message) => {
      if (process.connected) process.send?.(message, undefined, {}, () => undefined);
    },
    close: () => {
      if (process.connected) process.disconnect();
    },
  };
}
