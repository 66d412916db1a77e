/**
 * Problems found in an experiment file, located by line and column so the
 * editor can underline them and the CLI can print `file:line:col: message`.
 */
import { findNodeAtLocation, type Node, type JSONPath } from 'jsonc-parser';

/** 0-based, like VS Code positions. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

export interface Problem {
  message: string;
  severity: Severity;
  range: Range;
  /**
   * 'syntax': invalid JSON, which VS Code's JSON language service underlines in the editor too;
   * the editor shows that one diagnostic, while the CLI and Train report it themselves.
   */
  origin?: 'syntax';
}

/** `file:line:col: severity: message` with 1-based line and column, one per problem. */
export function formatProblems(file: string, problems: Problem[]): string {
  return problems
    .map(
      (p) => `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`,
    )
    .join('\n');
}

/** Maps offsets in a document to positions, and JSON paths to the ranges worth underlining. */
export class Locator {
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly root: Node | undefined,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.lineStarts[low] };
  }

  range(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + Math.max(length, 1)) };
  }

  /**
   * The value at `path`; when it is missing, the key of the nearest present
   * ancestor (so "data is missing seed" underlines `"data"`); objects and
   * arrays underline their key rather than their whole body.
   */
  rangeOf(path: JSONPath): Range {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.root && findNodeAtLocation(this.root, path.slice(0, depth));
      if (!node) continue;
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      const whole = node.type === 'object' || node.type === 'array';
      if (whole && key) return this.range(key.offset, key.length);
      if (whole) return this.range(node.offset, 1);
      return this.range(node.offset, node.length);
    }
    return this.range(0, Math.min(this.text.length, 1));
  }
}
