/**
 * How tall a cell's editor is: its lines at 19 px, at least 3, at most 400 px. A JSON spec (chart,
 * grid, input cells) is often one long line; it wraps in the editor (read whole, not cut at the
 * right edge), so its wrapped lines count — about 130 characters per line at the notebook's width.
 */
export const WRAP_COLUMNS = 130;

export function editorHeight(source: string, wrap: boolean): number {
  const lines = source.split('\n').reduce((n, line) => n + (wrap ? Math.max(1, Math.ceil(line.length / WRAP_COLUMNS)) : 1), 0);
  return Math.min(400, 40 + 19 * Math.max(3, lines));
}
