/**
 * Which SQL cells a report leaves out: those whose result a grid cell of the same notebook shows
 * (with its formats and columns). Without this the report printed each such table twice, once
 * raw under its SQL cell and once formatted by its grid. Bad grid specs hide nothing.
 */
import { gridSpecSchema, readSpec, type NotebookDocument } from '@almready/notebooks';

export function sqlCellsShownByGrids(doc: NotebookDocument): Set<string> {
  const shown = new Set<string>();
  for (const cell of doc.cells) {
    if (cell.kind !== 'grid') continue;
    const spec = readSpec('grid', gridSpecSchema, cell.source);
    if (spec.ok) shown.add(spec.spec.data);
  }
  return new Set(doc.cells.filter((c) => c.kind === 'sql' && c.name && shown.has(c.name)).map((c) => c.id));
}
