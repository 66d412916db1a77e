// Host side of the "ready, then flush" handshake (as in vscode-pull-request-github's
// webview.ts): a webview's script may not be listening yet when the host first
// posts, and messages posted then are lost. Each webview posts `ready` once its
// listener is installed; until then the host queues its messages here.

export type PostMessage<T> = (message: T) => unknown;

export class ReadyThenFlushBuffer<T> {
  private queue: T[] = [];
  private ready = false;

  constructor(private readonly post: PostMessage<T>) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** Posts now when the webview is ready, otherwise queues in order. */
  send(message: T): void {
    if (this.ready) {
      this.post(message);
    } else {
      this.queue.push(message);
    }
  }

  /** Call when the webview says `ready`: flushes the queue in order, then posts directly. */
  markReady(): void {
    this.ready = true;
    const pending = this.queue;
    this.queue = [];
    for (const message of pending) this.post(message);
  }

  /** Messages waiting for the next `ready`. */
  get pendingCount(): number {
    return this.queue.length;
  }
}
