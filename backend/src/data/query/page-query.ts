/**
 * Grid pages on one connection: grouped pages carry their group count in a last column,
 * unsorted pages read straight through, sorted pages sort narrow keys first and fetch the page's
 * full rows by row number afterwards (late materialisation, page-sql.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeColumns, toJsonRows } from './json-values.ts';
import { readJsonRows } from './result-budget.ts';
import type { PageRequest, PageResult } from './page-request.ts';
import { limitSql, ROW_NUMBER, rowSetSql, rowsByNumberSql, type TableSource } from './page-sql.ts';
import type { WorkspaceInstance } from './workspace-instance.ts';

/**
 * The requested page first, then up to `ahead` following pages of the same size for sorted
 * requests: the row-number fetch scans the file once whatever the number of rows, so the next
 * blocks a scrolling grid asks for come almost free (the caller keeps them in its page cache).
 */
export async function pagesOf(instance: WorkspaceInstance, conn: DuckDBConnection, source: TableSource, req: PageRequest, asOf: string | null, ahead = 0): Promise<PageResult[]> {
  const set = rowSetSql(source, await instance.columns(conn, source), req, asOf);
  // DuckDB holds the page until it is converted; a page of huge cells stops at the byte budget.
  const budget = { maxBytes: instance.maxResultBytes };
  if (set.countedSql !== undefined) {
    const reader = await conn.run(limitSql(set.countedSql, req.startRow, req.endRow), set.params);
    const rows = await readJsonRows(reader, budget, 'This page');
    const names = reader.columnNames().slice(0, -1);
    const types = reader.columnTypes().slice(0, -1);
    // A page past the last group has no row to carry the count: ask for it separately.
    const rowCount = rows.length > 0 ? Number(rows[0]?.at(-1)) : await instance.count(conn, source, set.countSql, set.params);
    return [{ columns: describeColumns(names, types), rows: toJsonRows(names, types, rows), rowCount }];
  }
  const rowCount = await instance.count(conn, source, set.countSql, set.params);
  if (set.keysSql === undefined) {
    const reader = await conn.run(limitSql(set.sql, req.startRow, req.endRow), set.params);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return [{ columns: describeColumns(names, types), rows: toJsonRows(names, types, await readJsonRows(reader, budget, 'This page')), rowCount }];
  }
  const size = req.endRow - req.startRow;
  const blocks = size === 0 ? 1 : 1 + Math.max(0, Math.min(ahead, Math.ceil((rowCount - req.endRow) / size)));
  const keys = await conn.runAndReadAll(limitSql(set.keysSql, req.startRow, req.startRow + size * blocks), set.params);
  const order = keys.getRowsJson().map((r) => Number(r[0]));
  const reader = await conn.run(rowsByNumberSql(source, order));
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const numberAt = names.indexOf(ROW_NUMBER);
  const position = new Map(order.map((n, i) => [n, i]));
  const rows = (await readJsonRows(reader, { maxBytes: budget.maxBytes * blocks }, 'This page')).sort((a, b) => (position.get(Number(a[numberAt])) ?? 0) - (position.get(Number(b[numberAt])) ?? 0));
  const keep = names.map((_, i) => i).filter((i) => i !== numberAt);
  const pick = <T>(xs: T[]) => keep.map((i) => xs[i] as T);
  const columns = describeColumns(pick(names), pick(types));
  const all = toJsonRows(pick(names), pick(types), rows.map(pick));
  return Array.from({ length: blocks }, (_, b) => ({ columns, rows: all.slice(b * size, (b + 1) * size), rowCount }));
}
