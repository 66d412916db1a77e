// The disposable pattern of VS Code's own `src/vs/base/common/lifecycle.ts`, cut to
// what Model Lab needs: long-lived objects extend `Disposable` and `_register` what
// they own, so disposing the owner disposes everything it created, once, in reverse
// order. Kept free of the `vscode` import so it can be unit-tested in plain Node;
// `vscode.Disposable` instances satisfy `IDisposable` structurally.

export interface IDisposable {
  dispose(): void;
}

/** Wraps a cleanup function as a disposable that runs it at most once. */
export function toDisposable(cleanup: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      cleanup();
    },
  };
}

/**
 * Disposes every item even when some throw, then rethrows the first error, so
 * one faulty listener cannot leak the rest.
 */
export function disposeAll(items: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      item.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/** A bag of disposables; items added after disposal are disposed at once (never leaked). */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.add(item);
    }
    return item;
  }

  /** Disposes the items owned so far, and keeps the store usable. */
  clear(): void {
    const items = [...this.items].reverse();
    this.items.clear();
    disposeAll(items);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Base class for objects that own disposables: `this._register(x)` and forget about it. */
export abstract class Disposable implements IDisposable {
  private readonly store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this.store.isDisposed;
  }

  protected _register<T extends IDisposable>(item: T): T {
    return this.store.add(item);
  }

  dispose(): void {
    this.store.dispose();
  }
}
