/**
 * A notebook version's outputs as a report (`schema.ts`): pure, so the server's report answer, the
 * HTML export and a headless run build the same document from the same outputs. Source code never
 * enters it: SQL and ts cells contribute only what they produced. Tables carry at most
 * `limits.tableRows` rows (their first page when nothing more was fetched) and always their full
 * row count, so a reader sees "100 of 1,000,000 rows", never a silent cut.
 */
import { assertNever } from '../assert-never.ts';
import type { NotebookCell, NotebookDocument } from '../format/schema.ts';
import { valueRows } from '../runtime/bindings.ts';
import type { CellOutput, CellValue, TableHandle, TsOutput } from '../runtime/outputs.ts';
import { readInputSpec } from '../specs/cell-spec.ts';
import { chartSpecSchema, type GridSpec } from '../specs/view-spec.ts';
import { REPORT_FORMAT, REPORT_VERSION, type Report, type ReportCell, type ReportChart, type ReportMeta, type ReportMetric, type ReportTable } from './schema.ts';

export type ReportRow = Record<string, CellValue>;

/** More of a stored table than its first page (fetched by the caller, already bounded). */
export interface StoredRows {
  rowCount: number;
  columns: { name: string; type: string }[];
  rows: ReportRow[];
}

export interface ReportInput {
  document: NotebookDocument;
  /** each cell's output by cell id; a cell without one is left out */
  outputs: ReadonlyMap<string, CellOutput>;
  /** rows of stored tables by table id (`TableHandle.id`); a table missing here shows its first page */
  tableRows?: ReadonlyMap<string, StoredRows>;
  meta: ReportMeta;
}

export interface ReportLimits {
  tableRows: number;
  chartRows: number;
}

/** The HTML export's bounds: every table's first 1,000 rows, charts of up to 1,000 points. */
export const HTML_REPORT_LIMITS: ReportLimits = { tableRows: 1000, chartRows: 1000 };

export function buildReport(input: ReportInput, limits: ReportLimits = HTML_REPORT_LIMITS): Report {
  const cells: ReportCell[] = [];
  for (const cell of input.document.cells) {
    const output = input.outputs.get(cell.id);
    if (output === undefined || output.kind !== cell.kind) continue;
    cells.push(reportCell(cell, output, input.tableRows ?? new Map(), limits));
  }
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    title: input.document.title,
    description: input.document.description ?? null,
    meta: input.meta,
    cells,
  };
}

/** Every stored table a report of these outputs draws from: what a caller fetches rows of. */
export function reportTableIds(outputs: ReadonlyMap<string, CellOutput>): string[] {
  const ids = new Set<string>();
  for (const output of outputs.values()) {
    switch (output.kind) {
      case 'sql': ids.add(output.table.id); break;
      case 'chart': case 'grid': if ('table' in output.data) ids.add(output.data.table.id); break;
      case 'ts':
        for (const t of Object.values(output.tables)) ids.add(t.id);
        for (const view of output.views) {
          const ref = view.type === 'grid' ? tableRef(view.data) : view.type === 'chart' && isObject(view.spec) ? tableRef(view.spec.data ?? null) : undefined;
          if (ref !== undefined) ids.add(ref);
        }
        break;
      case 'markdown': case 'input': break;
      default: assertNever(output);
    }
  }
  return [...ids];
}

function reportCell(cell: NotebookCell, output: CellOutput, stored: ReadonlyMap<string, StoredRows>, limits: ReportLimits): ReportCell {
  const base = { cellId: cell.id, name: cell.name ?? null };
  const table = (handle: TableHandle, limit: number, formats?: GridSpec['formats']) => fromHandle(handle, stored, limit, formats);
  switch (output.kind) {
    case 'markdown': return { ...base, kind: 'markdown', html: output.html };
    case 'sql': return { ...base, kind: 'sql', table: table(output.table, limits.tableRows) };
    case 'chart': {
      const data = 'table' in output.data ? table(output.data.table, limits.chartRows) : fromRows(output.spec.data, output.data.rows, limits.chartRows);
      return { ...base, kind: 'chart', chart: { spec: output.spec, rows: data.rows, rowCount: data.rowCount } };
    }
    case 'grid': {
      const data = 'table' in output.data ? table(output.data.table, limits.tableRows, output.spec.formats) : fromRows(output.spec.data, output.data.rows, limits.tableRows, output.spec.formats);
      return { ...base, kind: 'grid', spec: output.spec, table: shapeGrid(data, output.spec) };
    }
    case 'input': {
      const spec = readInputSpec({ source: cell.source });
      return { ...base, kind: 'input', spec: spec.ok ? spec.spec : null, value: output.value };
    }
    case 'ts': return tsCell(base, output, stored, limits);
    default: return assertNever(output);
  }
}

function tsCell(base: { cellId: string; name: string | null }, output: TsOutput, stored: ReadonlyMap<string, StoredRows>, limits: ReportLimits): ReportCell {
  const values: { name: string; value: string | number | boolean | null }[] = [];
  const tables: ReportTable[] = Object.values(output.tables).map((h) => fromHandle(h, stored, limits.tableRows));
  const rowValues = new Map<string, ReportRow[]>();
  for (const [name, value] of Object.entries(output.values)) {
    if (value === null || typeof value !== 'object') {
      values.push({ name, value });
      continue;
    }
    const rows = valueRows(value);
    if (rows !== undefined) {
      rowValues.set(name, rows);
      tables.push(fromRows(name, rows, limits.tableRows));
    }
    // other objects (settings, nested results) are data for later cells, not something a reader reads
  }
  const metrics: ReportMetric[] = [];
  const charts: ReportChart[] = [];
  const grids: ReportTable[] = [];
  const problems: string[] = [];
  // what a view's data may name: a table handle (by id or name), a list of rows the cell exported
  const resolve = (data: CellValue | undefined, limit: number, what: string): ReportTable | string => {
    const ref = tableRef(data ?? null);
    if (ref !== undefined) {
      const handle = Object.values(output.tables).find((t) => t.id === ref);
      if (handle !== undefined) return fromHandle(handle, stored, limit);
      const rows = stored.get(ref);
      return rows !== undefined ? fromStored(what, rows, limit) : `${what}: its table is not among the stored results`;
    }
    if (typeof data === 'string') {
      const handle = output.tables[data];
      if (handle !== undefined) return fromHandle(handle, stored, limit);
      const rows = rowValues.get(data);
      return rows !== undefined ? fromRows(data, rows, limit) : `${what}: the cell made no table named "${data}"`;
    }
    const rows = data === undefined ? undefined : valueRows(data);
    if (rows !== undefined) return fromRows(what, rows, limit);
    if (data === undefined) {
      // a chart without data draws the cell's only table
      const only = [...Object.values(output.tables).map((h) => fromHandle(h, stored, limit)), ...[...rowValues].map(([n, r]) => fromRows(n, r, limit))];
      if (only.length === 1) return only[0]!;
    }
    return `${what}: give its data as a table, a list of rows or the name of a table the cell made`;
  };
  output.views.forEach((view, index) => {
    switch (view.type) {
      case 'metric': metrics.push({ label: view.label, value: view.value, format: view.format }); break;
      case 'grid': {
        const table = resolve(view.data, limits.tableRows, `grid ${index + 1}`);
        if (typeof table === 'string') problems.push(table);
        else grids.push(table);
        break;
      }
      case 'chart': {
        const spec = isObject(view.spec) ? view.spec : {};
        const table = resolve(spec.data, limits.chartRows, `chart ${index + 1}`);
        if (typeof table === 'string') {
          problems.push(table);
          break;
        }
        const parsed = chartSpecSchema.safeParse({ ...spec, data: /^[A-Za-z_][A-Za-z0-9_]*$/.test(table.name) ? table.name : 'data' });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          problems.push(`chart ${index + 1}: ${issue?.path.join('.') || 'spec'}: ${issue?.message ?? 'invalid'}`);
          break;
        }
        charts.push({ spec: parsed.data, rows: table.rows, rowCount: table.rowCount });
        break;
      }
      default: assertNever(view);
    }
  });
  return { ...base, kind: 'ts', values, tables, metrics, charts, grids, console: output.console, problems };
}

function fromHandle(handle: TableHandle, stored: ReadonlyMap<string, StoredRows>, limit: number, formats?: GridSpec['formats']): ReportTable {
  const more = stored.get(handle.id);
  const rows = more !== undefined && more.rows.length > handle.firstPage.length ? more.rows : handle.firstPage;
  return { name: handle.name, rowCount: handle.rowCount, columns: handle.columns, rows: rows.slice(0, limit), ...(formats ? { formats } : {}) };
}

function fromStored(name: string, stored: StoredRows, limit: number): ReportTable {
  return { name, rowCount: stored.rowCount, columns: stored.columns, rows: stored.rows.slice(0, limit) };
}

function fromRows(name: string, rows: readonly ReportRow[], limit: number, formats?: GridSpec['formats']): ReportTable {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns = names.map((n) => ({ name: n, type: columnType(rows, n) }));
  return { name, rowCount: rows.length, columns, rows: rows.slice(0, limit), ...(formats ? { formats } : {}) };
}

function columnType(rows: readonly ReportRow[], column: string): string {
  const kinds = new Set(rows.map((r) => r[column]).filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'number' ? 'DOUBLE' : typeof v === 'boolean' ? 'BOOLEAN' : 'VARCHAR')));
  return kinds.size === 1 ? [...kinds][0]! : 'VARCHAR';
}

/**
 * A grid's columns in the spec's order, its rows in the spec's sort when every row is at hand
 * (a longer table keeps the order it was stored in: sorting a first page would mislead).
 */
function shapeGrid(table: ReportTable, spec: GridSpec): ReportTable {
  const columns = spec.columns ? spec.columns.map((c) => table.columns.find((t) => t.name === c) ?? { name: c, type: 'VARCHAR' }) : table.columns;
  let rows = table.rows;
  if (spec.sort && spec.sort.length > 0 && rows.length === table.rowCount) {
    const sort = spec.sort;
    rows = [...rows].sort((a, b) => {
      for (const { column, direction } of sort) {
        const c = compare(a[column] ?? null, b[column] ?? null);
        if (c !== 0) return direction === 'asc' ? c : -c;
      }
      return 0;
    });
  }
  return { ...table, columns, rows };
}

function compare(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isObject(value: CellValue | undefined): value is { [key: string]: CellValue } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

function tableRef(value: CellValue): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && typeof value.$almTable === 'string' ? value.$almTable : undefined;
}
