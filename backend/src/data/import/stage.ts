/**
 * Builds the SELECTs that load a source into a DuckDB staging table of VARCHAR cells: `__src`
 * (source file ordinal), `__row` (1-based line/row in that file), then every target column
 * (canonical names, NULL when the file has no such column, and attribute names). Parsing happens
 * later, in SQL, in one place (schema/).
 */
import type { DuckDb } from '../duckdb.ts';
import { quoteIdent, sqlString } from '../schema/index.ts';

export interface StageTarget {
  /** target column name → source field name (NULL column when undefined) */
  select: Record<string, string | undefined>;
  src: number;
}

function selectList(target: StageTarget, cell: (field: string) => string): string {
  return Object.entries(target.select)
    .map(([name, field]) => `${field === undefined ? 'CAST(NULL AS VARCHAR)' : cell(field)} AS ${quoteIdent(name)}`)
    .join(', ');
}

/**
 * A CSV file whose fields are addressed by position (`c0`, `c1`, …). Prepared staging files
 * (`explicitRows`) carry `__src` and `__row` as their first two fields; otherwise the row is the
 * line number, the header being line 1.
 */
export function csvSelect(
  target: StageTarget,
  file: { path: string; delimiter: string; fieldCount: number; explicitRows?: boolean; headerLine?: number },
): string {
  const headerLine = file.headerLine ?? 1;
  const columns = Array.from({ length: file.fieldCount }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const read = `read_csv(${sqlString(file.path)}, header = false, skip = ${headerLine}, delim = ${sqlString(file.delimiter)}, quote = '"', escape = '"',
    all_varchar = true, columns = {${columns}}, auto_detect = false, strict_mode = true)`;
  // plain files get their line numbers from the typed table's insertion order (see validateStaged);
  // until then __row holds minus the header's line number
  const row = file.explicitRows ? 'CAST(c1 AS BIGINT)' : `CAST(${-headerLine} AS BIGINT)`;
  const src = file.explicitRows ? 'CAST(c0 AS INTEGER)' : `CAST(${target.src} AS INTEGER)`;
  return `SELECT ${src} AS __src, ${row} AS __row, ${selectList(target, quoteIdent)} FROM ${read}`;
}

/** Parquet columns of any type become text; dates and timestamps as yyyy-mm-dd. */
export function parquetSelect(target: StageTarget, path: string, types: ReadonlyMap<string, string>): string {
  const cell = (field: string) => {
    const type = types.get(field) ?? 'VARCHAR';
    return /^(DATE|TIMESTAMP)/.test(type) ? `strftime(${quoteIdent(field)}, '%Y-%m-%d')` : `CAST(${quoteIdent(field)} AS VARCHAR)`;
  };
  return `SELECT CAST(${target.src} AS INTEGER) AS __src, CAST(file_row_number + 1 AS BIGINT) AS __row, ${selectList(target, cell)}
     FROM read_parquet(${sqlString(path)}, file_row_number = true)`;
}

export async function parquetColumnTypes(db: DuckDb, path: string): Promise<Map<string, string>> {
  const described = await db.all(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path)})`);
  return new Map(described.map((d) => [String(d.column_name), String(d.column_type)]));
}

/**
 * One staging view over several sources; columns line up by name, missing ones are NULL. A view,
 * not a table: the files are read once, by the parse step, and never held twice in memory.
 */
export async function createStaged(db: DuckDb, view: string, selects: readonly string[]): Promise<void> {
  if (selects.length === 0) throw new Error(`no source to stage into ${view}`);
  await db.run(`CREATE VIEW ${quoteIdent(view)} AS ${selects.map((s) => `(${s})`).join(' UNION ALL BY NAME ')}`);
}

/** Prepared staging files: header `__src, __row, <targets>`; the select addresses them by position. */
export function preparedTarget(src: number, names: readonly string[]): StageTarget {
  return { src, select: Object.fromEntries(names.map((name, i) => [name, `c${i + 2}`])) };
}
