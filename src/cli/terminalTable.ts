/**
 * A table for terminals: columns as wide as their widest cell (wide characters counted twice,
 * so Chinese headers line up), two spaces between them, a rule under the header.
 */
import { textWidth } from '../contract/runTable/textWidth';

export function terminalTable(header: string[], body: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(textWidth(title), ...body.map((cells) => textWidth(cells[i]))),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell + ' '.repeat(widths[i] - textWidth(cell)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...body.map(line), ''].join('\n');
}
