/**
 * Where the maps of one layer (or the filters) go in the one canvas that shows them: each map
 * scaled up by a whole number (nearest neighbour, so every value stays a sharp square) to
 * about `target` pixels on its longer side, in as many columns as fit `maxWidth`, `gap`
 * pixels apart. Pure arithmetic, tested in plain Node.
 */

export interface GridRequest {
  /** Maps in the grid. */
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** Widest the canvas may be, in pixels. */
  readonly maxWidth: number;
  /** Pixels between neighbouring maps. */
  readonly gap: number;
  /** About how large a map is drawn on its longer side, in pixels. */
  readonly target: number;
}

export interface GridLayout {
  readonly columns: number;
  readonly rows: number;
  /** Canvas pixels per map value, on both axes. */
  readonly scale: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  readonly gap: number;
  readonly canvasWidth: number;
  readonly canvasHeight: number;
}

export function gridLayout(request: GridRequest): GridLayout {
  const { count, height, width, gap } = request;
  const maxWidth = Math.max(width, request.maxWidth);
  // Large maps are never shrunk below one pixel per value; small ones grow to about `target`,
  // but never wider than the canvas may be.
  const scale = Math.max(
    1,
    Math.min(Math.floor(request.target / Math.max(height, width)), Math.floor(maxWidth / width)),
  );
  const cellWidth = width * scale;
  const cellHeight = height * scale;
  const columns = Math.max(1, Math.min(count, Math.floor((maxWidth + gap) / (cellWidth + gap))));
  const rows = Math.ceil(count / columns);
  return {
    columns,
    rows,
    scale,
    cellWidth,
    cellHeight,
    gap,
    canvasWidth: columns * cellWidth + (columns - 1) * gap,
    canvasHeight: rows * cellHeight + (rows - 1) * gap,
  };
}

/** The top-left canvas pixel of map `index` (row by row). */
export function cellOrigin(layout: GridLayout, index: number): { x: number; y: number } {
  return {
    x: (index % layout.columns) * (layout.cellWidth + layout.gap),
    y: Math.floor(index / layout.columns) * (layout.cellHeight + layout.gap),
  };
}

/** The map under canvas pixel (x, y), or undefined in a gap or past the last map. */
export function cellAt(layout: GridLayout, count: number, x: number, y: number): number | undefined {
  const column = Math.floor(x / (layout.cellWidth + layout.gap));
  const row = Math.floor(y / (layout.cellHeight + layout.gap));
  if (x < 0 || y < 0 || column >= layout.columns || row >= layout.rows) return undefined;
  if (x - column * (layout.cellWidth + layout.gap) >= layout.cellWidth) return undefined;
  if (y - row * (layout.cellHeight + layout.gap) >= layout.cellHeight) return undefined;
  const index = row * layout.columns + column;
  return index < count ? index : undefined;
}
