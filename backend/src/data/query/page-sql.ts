/**
 * SQL of a grid request: the filtered (and optionally grouped) row set, its ordering, a page of
 * it and its size. Every identifier is checked against the table's real columns before it is
 * quoted; every user value is a parameter (filter-sql.ts).
 */
import type { SqlParam } from '../duckdb.ts';
import { filterToSql, isNumericType, type ColumnTypes } from './filter-sql.ts';
import { quoteIdent } from '../sql-quote.ts';
import type { ExportRequest, FilterModel } from './page-request.ts';
import { QueryError } from './query-error.ts';

export const GROUP_AGGREGATES = ['count', 'sum_notional', 'wavg_rate', 'wavg_maturity_years'] as const;

export interface RowSetSql {
  /** Ordered rows (or groups), no paging. */
  sql: string;
  /** Number of rows (or groups) of the same set. */
  countSql: string;
  params: SqlParam[];
  /**
   * For a sorted, ungrouped request over a table with row numbers: the row numbers of a page in
   * order. Sorting narrow keys and fetching the page's full rows afterwards (late
   * materialisation) avoids carrying every column of every matching row through the sort.
   */
  keysSql?: string;
  /**
   * For a grouped request: `sql` plus the number of groups as a last column, so a page costs one
   * aggregation instead of two (the count over few groups is cheap next to grouping the rows).
   */
  countedSql?: string;
}

export const GROUP_COUNT = '__group_count';

/**
 * Where a table is read from: `from` is its view (quoted, schema-qualified SQL), `numbered` the
 * view's twin with Parquet row numbers (null when the file has its own file_row_number column),
 * `file` the Parquet file behind both, which keys every cache.
 */
export interface TableSource { name: string; from: string; numbered: string | null; file: string }
export const ROW_NUMBER = 'file_row_number';

/**
 * @param asOf the dataset's analysis date (yyyy-mm-dd, already validated) for maturity years, or
 *   null when unknown — the column is then NULL rather than a guess.
 */
export function rowSetSql(source: TableSource, columns: ColumnTypes, request: ExportRequest, asOf: string | null): RowSetSql {
  const groupBy = request.groupBy ?? [];
  const filters = request.filterModel ?? {};
  const from = source.from;
  if (groupBy.length === 0) {
    const where = filterToSql(filters, columns);
    if (source.numbered === null) {
      return {
        sql: `SELECT * FROM ${from} WHERE ${where.sql}${orderBy(request, columns, [...columns.keys()].slice(0, 1))}`,
        countSql: `SELECT count(*) AS n FROM ${from} WHERE ${where.sql}`,
        params: where.params,
      };
    }
    // File order is the natural order and the tie-break of any sort, so pages never overlap.
    const numbered = source.numbered;
    const sorted = (request.sortModel ?? []).length > 0;
    const order = sorted ? `${orderBy(request, columns, [])}, ${quoteIdent(ROW_NUMBER)}` : '';
    return {
      sql: `SELECT * EXCLUDE (${quoteIdent(ROW_NUMBER)}) FROM ${numbered} WHERE ${where.sql}${order}`,
      countSql: `SELECT count(*) AS n FROM ${numbered} WHERE ${where.sql}`,
      params: where.params,
      ...(sorted ? { keysSql: `SELECT ${quoteIdent(ROW_NUMBER)} FROM ${numbered} WHERE ${where.sql}${order}` } : {}),
    };
  }
  for (const g of groupBy) requireColumn(columns, g, 'group by');
  if (new Set(groupBy).size !== groupBy.length) throw new QueryError('bad_request', 'groupBy lists a column twice.');
  const aggregateTypes = new Map<string, string>([['count', 'BIGINT'], ['sum_notional', 'DOUBLE'], ['wavg_rate', 'DOUBLE'], ['wavg_maturity_years', 'DOUBLE']]);
  const groupedTypes = new Map<string, string>([...groupBy.map((g): [string, string] => [g, columns.get(g) ?? 'VARCHAR']), ...aggregateTypes]);
  // Filters on an aggregate apply to the groups; any other filter applies to the rows before grouping.
  const rowFilters: FilterModel = {};
  const groupFilters: FilterModel = {};
  for (const [colId, f] of Object.entries(filters)) (aggregateTypes.has(colId) ? groupFilters : rowFilters)[colId] = f;
  const where = filterToSql(rowFilters, columns);
  const having = filterToSql(groupFilters, groupedTypes);
  const keys = groupBy.map(quoteIdent).join(', ');
  const inner = `SELECT ${keys}, ${aggregateSelect(columns, asOf)} FROM ${from} WHERE ${where.sql} GROUP BY ${keys}`;
  const order = orderBy(request, groupedTypes, groupBy);
  return {
    sql: `SELECT * FROM (${inner}) AS groups WHERE ${having.sql}${order}`,
    countedSql: `SELECT *, count(*) OVER () AS ${quoteIdent(GROUP_COUNT)} FROM (${inner}) AS groups WHERE ${having.sql}${order}`,
    countSql: `SELECT count(*) AS n FROM (${inner}) AS groups WHERE ${having.sql}`,
    params: [...where.params, ...having.params],
  };
}

/** Both bounds are validated non-negative integers, so inlining them is safe. */
export function limitSql(sql: string, startRow: number, endRow: number): string {
  return `${sql} LIMIT ${endRow - startRow} OFFSET ${startRow}`;
}

/** Full rows of a page whose row numbers `keysSql` found; the caller restores their order. */
export function rowsByNumberSql(source: TableSource, rowNumbers: number[]): string {
  const list = rowNumbers.map((n) => String(Math.trunc(n))).join(', ');
  return `SELECT * FROM ${source.numbered ?? source.from} WHERE ${quoteIdent(ROW_NUMBER)} IN (${list || 'NULL'})`;
}

/**
 * Notional-weighted averages (weights = notional; rows without the averaged value are left out of
 * both numerator and denominator). Maturity years are ACT/365F from the as-of date
 * (methodology.md §2); non-maturing rows have no maturity_date and are left out.
 */
function aggregateSelect(columns: ColumnTypes, asOf: string | null): string {
  const numeric = (c: string) => isNumericType(columns.get(c) ?? '');
  const hasNotional = numeric('notional');
  const sumNotional = hasNotional ? 'sum("notional")' : 'CAST(NULL AS DOUBLE)';
  const wavgRate = hasNotional && numeric('rate')
    ? 'sum("notional" * "rate") / nullif(sum("notional") FILTER (WHERE "rate" IS NOT NULL), 0)'
    : 'CAST(NULL AS DOUBLE)';
  // Date minus date is whole days in DuckDB, and much cheaper than date_diff over a million rows.
  const years = `(CAST("maturity_date" AS DATE) - DATE '${asOf}') / 365.0`;
  const wavgYears = hasNotional && asOf !== null && /^(DATE|TIMESTAMP)/.test(columns.get('maturity_date') ?? '')
    ? `sum("notional" * ${years}) / nullif(sum("notional") FILTER (WHERE "maturity_date" IS NOT NULL), 0)`
    : 'CAST(NULL AS DOUBLE)';
  return `count(*) AS "count", CAST(${sumNotional} AS DOUBLE) AS "sum_notional", CAST(${wavgRate} AS DOUBLE) AS "wavg_rate", CAST(${wavgYears} AS DOUBLE) AS "wavg_maturity_years"`;
}

function orderBy(request: ExportRequest, columns: ColumnTypes, tieBreak: string[]): string {
  const sort = request.sortModel ?? [];
  const parts = sort.map((s) => `${quoteIdent(requireColumn(columns, s.colId, 'sort by'))} ${s.sort === 'desc' ? 'DESC' : 'ASC'}`);
  if (parts.length === 0 && (request.groupBy ?? []).length === 0) return '';
  // A tie-break keeps pages from overlapping when the sort key has equal values.
  for (const t of tieBreak) if (!sort.some((s) => s.colId === t)) parts.push(`${quoteIdent(t)} ASC`);
  return parts.length > 0 ? ` ORDER BY ${parts.join(', ')}` : '';
}

function requireColumn(columns: ColumnTypes, name: string, what: string): string {
  if (!columns.has(name)) throw new QueryError('bad_request', `Cannot ${what} unknown column "${name}"; available: ${[...columns.keys()].join(', ')}.`);
  return name;
}
