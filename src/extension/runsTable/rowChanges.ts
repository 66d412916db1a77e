/**
 * What the runs table webview needs to hear after a re-read: the rows that are new or
 * changed and the folders that went. At 2,000 runs a live run changes one row a second;
 * sending only that row keeps the table responsive. Plain Node.
 */
import type { RunRow } from '../../contract/runTable/runRow';

export class RowChangeTracker {
  /** Each row as last sent, serialised, by folder. */
  private sent = new Map<string, string>();

  /** Every row, remembered as sent. */
  all(rows: readonly RunRow[]): RunRow[] {
    this.sent = new Map(rows.map((row) => [row.runDir, JSON.stringify(row)]));
    return [...rows];
  }

  /** The rows that differ from what was sent, and the folders sent before but gone now. */
  changes(rows: readonly RunRow[]): { changed: RunRow[]; removed: string[] } {
    const next = new Map(rows.map((row) => [row.runDir, JSON.stringify(row)]));
    const changed = rows.filter((row) => this.sent.get(row.runDir) !== next.get(row.runDir));
    const removed = [...this.sent.keys()].filter((runDir) => !next.has(runDir));
    this.sent = next;
    return { changed, removed };
  }

  /** Whether the table lists this folder: the webview may act only on those. */
  has(runDir: string): boolean {
    return this.sent.has(runDir);
  }
}
