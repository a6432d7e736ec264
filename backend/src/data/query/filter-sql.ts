/**
 * AG Grid Community filter model → a parameterised SQL predicate. User values only ever travel
 * as `?` parameters; column names are checked against the table's real columns by the caller
 * and quoted here. Semantics follow AG Grid's own client-side filters: text matching is
 * case-insensitive, `inRange` excludes both bounds, blanks pass `notEqual`/`notContains`.
 */
import type { SqlParam } from '../duckdb.ts';
import type { ColumnFilter, FilterModel } from './page-request.ts';
import { QueryError } from './query-error.ts';
import { quoteIdent } from '../sql-quote.ts';

export interface Predicate { sql: string; params: SqlParam[] }
export type ColumnTypes = ReadonlyMap<string, string>;

/** AND of every column's filter; `TRUE` when the model is empty. */
export function filterToSql(model: FilterModel, columns: ColumnTypes): Predicate {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [colId, filter] of Object.entries(model)) {
    const type = columns.get(colId);
    if (type === undefined) throw new QueryError('bad_request', `Cannot filter on unknown column "${colId}"; available: ${[...columns.keys()].join(', ')}.`);
    const p = columnFilterSql(quoteIdent(colId), colId, type, filter);
    parts.push(`(${p.sql})`);
    params.push(...p.params);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params };
}

type Condition = { type: string; filter?: unknown; filterTo?: unknown; dateFrom?: unknown; dateTo?: unknown };

function columnFilterSql(col: string, colId: string, type: string, filter: ColumnFilter): Predicate {
  if (filter.filterType === 'set') return setSql(col, filter.values);
  const kind = filter.filterType;
  if (kind === 'number' && !isNumericType(type)) throw new QueryError('bad_request', `Column "${colId}" is ${type}, not a number; use a text filter.`);
  if (kind === 'date' && !isDateType(type)) throw new QueryError('bad_request', `Column "${colId}" is ${type}, not a date; use a text filter.`);
  if ('operator' in filter) {
    const conditions: Condition[] = filter.conditions ?? [filter.condition1, filter.condition2].filter((c): c is NonNullable<typeof c> => c != null);
    if (conditions.length === 0) throw new QueryError('bad_request', `The ${filter.operator} filter on "${colId}" has no conditions.`);
    const parts = conditions.map((c) => conditionSql(col, colId, kind, c));
    return { sql: parts.map((p) => `(${p.sql})`).join(` ${filter.operator} `), params: parts.flatMap((p) => p.params) };
  }
  return conditionSql(col, colId, kind, filter);
}

function conditionSql(col: string, colId: string, kind: 'text' | 'number' | 'date', c: Condition): Predicate {
  if (c.type === 'blank') return { sql: kind === 'text' ? `${col} IS NULL OR trim(CAST(${col} AS VARCHAR)) = ''` : `${col} IS NULL`, params: [] };
  if (c.type === 'notBlank') return { sql: kind === 'text' ? `${col} IS NOT NULL AND trim(CAST(${col} AS VARCHAR)) <> ''` : `${col} IS NOT NULL`, params: [] };
  if (kind === 'text') return textSql(col, colId, c.type, c.filter);
  if (kind === 'number') return rangeSql(col, c.type, requireNumber(colId, c.filter), () => requireNumber(colId, c.filterTo), '?');
  return rangeSql(col, c.type, requireDate(colId, c.dateFrom), () => requireDate(colId, c.dateTo), 'CAST(? AS DATE)', `CAST(${col} AS DATE)`);
}

function textSql(col: string, colId: string, type: string, value: unknown): Predicate {
  if (value === null || value === undefined || value === '') throw new QueryError('bad_request', `The "${type}" text filter on "${colId}" needs a value.`);
  const v = String(value);
  const text = `lower(CAST(${col} AS VARCHAR))`;
  switch (type) {
    case 'contains': return { sql: `contains(${text}, lower(?))`, params: [v] };
    case 'notContains': return { sql: `${col} IS NULL OR NOT contains(${text}, lower(?))`, params: [v] };
    case 'equals': return { sql: `${text} = lower(?)`, params: [v] };
    case 'notEqual': return { sql: `${col} IS NULL OR ${text} <> lower(?)`, params: [v] };
    case 'startsWith': return { sql: `starts_with(${text}, lower(?))`, params: [v] };
    case 'endsWith': return { sql: `ends_with(${text}, lower(?))`, params: [v] };
    default: throw new QueryError('bad_request', `Unknown text filter type "${type}".`);
  }
}

function rangeSql(col: string, type: string, from: SqlParam, to: () => SqlParam, placeholder: string, lhs = col): Predicate {
  const ops: Record<string, string> = { equals: '=', lessThan: '<', lessThanOrEqual: '<=', greaterThan: '>', greaterThanOrEqual: '>=' };
  const op = ops[type];
  if (op !== undefined) return { sql: `${lhs} ${op} ${placeholder}`, params: [from] };
  if (type === 'notEqual') return { sql: `${lhs} IS DISTINCT FROM ${placeholder}`, params: [from] };
  if (type === 'inRange') return { sql: `${lhs} > ${placeholder} AND ${lhs} < ${placeholder}`, params: [from, to()] };
  throw new QueryError('bad_request', `Unknown filter type "${type}".`);
}

function setSql(col: string, values: (string | number | boolean | null)[]): Predicate {
  const present = values.filter((v): v is string | number | boolean => v !== null).map(String);
  const parts: string[] = [];
  if (present.length > 0) parts.push(`CAST(${col} AS VARCHAR) IN (${present.map(() => '?').join(', ')})`);
  if (present.length < values.length) parts.push(`${col} IS NULL`);
  return { sql: parts.length > 0 ? parts.join(' OR ') : 'FALSE', params: present };
}

function requireNumber(colId: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new QueryError('bad_request', `The number filter on "${colId}" needs a finite number.`);
  return value;
}

function requireDate(colId: string, value: unknown): string {
  const day = typeof value === 'string' ? value.slice(0, 10) : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new QueryError('bad_request', `The date filter on "${colId}" needs a date as yyyy-mm-dd.`);
  }
  return day;
}

export function isNumericType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL|VARINT|BIGNUM)/.test(type);
}

export function isDateType(type: string): boolean {
  return /^(DATE|TIMESTAMP)/.test(type);
}
