/**
 * Model Lab's one event style: a typed event with VS Code's `Event<T>` shape, usable in plain
 * Node (so the run manager tests without VS Code) and accepted wherever the API wants an
 * `Event` (a tree's onDidChangeTreeData, a CodeLens provider's onDidChangeCodeLenses). The
 * owner keeps the Emitter private, exposes `.event` as `onDidX`, and disposes it with itself.
 */
import type { IDisposable } from './lifecycle';

export type Listener<T> = (value: T) => void;

export class Emitter<T> implements IDisposable {
  private readonly listeners = new Set<Listener<T>>();

  readonly event = (listener: Listener<T>): IDisposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
