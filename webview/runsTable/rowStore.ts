/** The rows the table webview holds: all of them on load, then the host's changes applied by folder. */
import type { RunRow } from '../../src/contract/runTable/runRow';

export class RowStore {
  private rows = new Map<string, RunRow>();

  replace(rows: readonly RunRow[]): void {
    this.rows = new Map(rows.map((row) => [row.runDir, row]));
  }

  apply(changed: readonly RunRow[], removed: readonly string[]): void {
    for (const runDir of removed) this.rows.delete(runDir);
    for (const row of changed) this.rows.set(row.runDir, row);
  }

  get(runDir: string): RunRow | undefined {
    return this.rows.get(runDir);
  }

  all(): RunRow[] {
    return [...this.rows.values()];
  }
}
