/**
 * Runs the schema's rules over a staging table in DuckDB: parse every cell once into `t_*`
 * columns, collect every error of every rule, keep the valid rows in canonical form.
 */
import type { DuckDb } from '../duckdb.ts';
import { MAX_LISTED_ERRORS, errorSelects, quoteIdent, typed, typedColumns, type ColumnSpec, type ImportError, type ParseOptions, type RowRule } from '../schema/index.ts';

export interface ValidationOutcome {
  total: number;
  listed: ImportError[];
  /** rows rejected (a row with three errors counts once) */
  invalidRows: number;
  validRows: number;
}

const KEY = '(CAST(__src AS BIGINT) * 10000000000 + __row)';

/**
 * `staged` → `<name>_typed` → `<name>_errors` and `<name>` (valid rows only, output columns, file
 * order). `uniqueColumn` adds the duplicate rule. `sources` is the table mapping __src to file names.
 */
export async function validateStaged(
  db: DuckDb,
  options: {
    staged: string;
    name: string;
    specs: readonly ColumnSpec[];
    parse: ParseOptions;
    rules: (typedTable: string) => RowRule[];
    output: string[];
    uniqueColumn?: string;
  },
): Promise<ValidationOutcome> {
  const typedTable = `${options.name}_typed`;
  const errors = `${options.name}_errors`;
  const unique = options.uniqueColumn;
  const firstKey = unique ? `, min(${KEY}) OVER (PARTITION BY ${typed(unique)}) AS __first_key` : '';
  await db.run(`CREATE TABLE ${typedTable} AS SELECT *, ${typedColumns(options.specs, options.parse).join(', ')} FROM ${quoteIdent(options.staged)}`);
  if (unique) {
    // a second pass so the window sees the parsed id
    await db.run(`CREATE TABLE ${typedTable}_u AS SELECT *${firstKey} FROM ${typedTable}`);
    await db.run(`DROP TABLE ${typedTable}; ALTER TABLE ${typedTable}_u RENAME TO ${typedTable}`);
  }
  await db.run(`DROP TABLE ${quoteIdent(options.staged)}`);

  const rules = options.rules(typedTable);
  if (unique) {
    rules.push({
      column: unique,
      when: `${typed(unique)} IS NOT NULL AND __first_key <> ${KEY}`,
      reason: `'duplicate ${unique}; first used on row ' || CAST(__first_key % 10000000000 AS VARCHAR)`,
    });
  }
  await db.run(`CREATE TABLE ${errors} AS ${errorSelects(typedTable, rules).join('\nUNION ALL\n')}`);
  const [counts] = await db.all(
    `SELECT count(*) AS total, count(DISTINCT ${KEY}) AS invalid, (SELECT count(*) FROM ${typedTable}) AS rows FROM ${errors}`,
  );
  const total = Number(counts?.total ?? 0);
  const invalidRows = Number(counts?.invalid ?? 0);
  const listedRows = await db.all(
    `SELECT s.name AS file, e.__row AS row, e."column" AS "column", e.value AS value, e.reason AS reason
     FROM ${errors} e JOIN sources s ON s.src = e.__src ORDER BY e.__src, e.__row, e.rule LIMIT ${MAX_LISTED_ERRORS}`,
  );
  const listed = listedRows.map((r) => ({
    file: String(r.file),
    row: Number(r.row),
    column: String(r.column),
    value: String(r.value ?? ''),
    reason: String(r.reason),
  }));
  const keep = total === 0 ? '' : `WHERE ${KEY} NOT IN (SELECT ${KEY} FROM ${errors})`;
  await db.run(`CREATE TABLE ${options.name} AS SELECT ${options.output.join(', ')} FROM ${typedTable} ${keep} ORDER BY __src, __row`);
  return { total, listed, invalidRows, validRows: Number(counts?.rows ?? 0) - invalidRows };
}
