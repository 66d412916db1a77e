/** A minimal typed event (VS Code's `Event<T>` shape) usable in plain Node, so the run manager tests without VS Code. */
import type { IDisposable } from '../lifecycle';

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
