/**
 * Where a table output's rows come from: the page route of the cell that owns the stored table
 * (an SQL cell's result, or one of a ts cell's tables by `?table=`), found by the table's id — a
 * grid or chart cell only holds the handle of the result it names. And the CSV a grid exports.
 */
import type { CellOutput, TableHandle } from '@almready/notebooks';
import type { IGetRowsParams } from 'ag-grid-community';

export interface TableSource { cellId: string; table?: string }

export function tableSource(handle: TableHandle, outputs: Readonly<Record<string, CellOutput | null | undefined>>): TableSource | null {
  for (const [cellId, output] of Object.entries(outputs)) {
    if (output?.kind === 'sql' && output.table.id === handle.id) return { cellId };
  }
  for (const [cellId, output] of Object.entries(outputs)) {
    if (output?.kind !== 'ts') continue;
    for (const [name, t] of Object.entries(output.tables)) if (t.id === handle.id) return { cellId, table: name };
  }
  return null;
}

export interface PageQuery { version: number; parameters?: Record<string, unknown> | undefined; datasetId?: string | null | undefined }

/** `…/outputs/:cellId/page?…` for a block of rows with the grid's sort and filter. */
export function pageUrl(notebookUrl: string, source: TableSource, query: PageQuery, params: Pick<IGetRowsParams, 'startRow' | 'endRow' | 'sortModel' | 'filterModel'>): string {
  const search = new URLSearchParams({ version: String(query.version), startRow: String(params.startRow), endRow: String(params.endRow) });
  if (source.table !== undefined) search.set('table', source.table);
  if (query.datasetId) search.set('datasetId', query.datasetId);
  if (query.parameters && Object.keys(query.parameters).length > 0) search.set('parameters', JSON.stringify(query.parameters));
  if (params.sortModel.length > 0) search.set('sortModel', JSON.stringify(params.sortModel.map((s) => ({ colId: s.colId, sort: s.sort }))));
  if (params.filterModel && Object.keys(params.filterModel as object).length > 0) search.set('filterModel', JSON.stringify(params.filterModel));
  return `${notebookUrl}/outputs/${encodeURIComponent(source.cellId)}/page?${search.toString()}`;
}

/** One CSV field: quoted when needed, formula-like text neutralised with a leading ' (as the server's exports do). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[-+]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
