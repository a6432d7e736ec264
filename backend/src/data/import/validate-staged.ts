/**
 * Runs the schema's rules over a staging view in DuckDB: parse every cell once into a typed
 * table, collect every error of every rule, expose the valid rows in canonical form as a view.
 * Raw text is not copied: the offending cells of the listed errors are read back from the view.
 */
import type { DuckDb } from '../duckdb.ts';
import { MAX_LISTED_ERRORS, errorSelects, quoteIdent, sqlString, typed, typedSelect, type ColumnSpec, type ImportError, type ParseOptions, type RowRule } from '../schema/index.ts';

export interface ValidationOutcome {
  total: number;
  listed: ImportError[];
  /** rows rejected (a row with three errors counts once) */
  invalidRows: number;
  validRows: number;
}

const KEY = '(CAST(__src AS BIGINT) * 10000000000 + __row)';

/**
 * `staged` (view) → `<name>_typed` → `<name>_errors`, and the view `<name>` of the valid rows in
 * output columns, file order. `uniqueColumn` adds the duplicate rule; `keep` are attribute columns
 * carried as they are. `sources` is the table mapping __src to file names.
 */
export async function validateStaged(
  db: DuckDb,
  options: {
    staged: string;
    name: string;
    specs: readonly ColumnSpec[];
    parse: ParseOptions;
    rules: () => RowRule[];
    output: string[];
    keep?: readonly string[];
    uniqueColumn?: string;
  },
): Promise<ValidationOutcome> {
  const typedTable = `${options.name}_typed`;
  const errors = `${options.name}_errors`;
  // One thread reads the staged files in order, so the typed table's rowid is the data row and plain
  // CSV files need no row_number() window (which would cost more than the parallelism saves).
  const [threads] = await db.all(`SELECT current_setting('threads') AS n`);
  await db.run('SET threads = 1');
  try {
    await db.run(`CREATE TABLE ${typedTable} AS ${typedSelect(options.staged, options.specs, options.parse, options.keep ?? [])}`);
  } finally {
    await db.run(`SET threads = ${Number(threads?.n ?? 2)}`);
  }
  await db.run(`UPDATE ${typedTable} SET __row = rowid + 1 - __row WHERE __row <= 0`);

  const rules = options.rules();
  const selects = errorSelects(typedTable, rules);
  const unique = options.uniqueColumn;
  if (unique) {
    // duplicates: every occurrence after the first, pointing at the first one's row
    selects.push(`SELECT t.__src, t.__row, ${rules.length} AS rule, ${sqlString(unique)} AS "column",
      'duplicate ${unique}; first used on row ' || CAST(d.first_key % 10000000000 AS VARCHAR) AS reason
      FROM ${typedTable} t JOIN (SELECT ${typed(unique)} AS id, min(${KEY}) AS first_key FROM ${typedTable} WHERE ${typed(unique)} IS NOT NULL
        GROUP BY 1 HAVING count(*) > 1) d ON t.${typed(unique)} = d.id
      WHERE (CAST(t.__src AS BIGINT) * 10000000000 + t.__row) <> d.first_key`);
  }
  await db.run(`CREATE TABLE ${errors} AS ${selects.join('\nUNION ALL\n')}`);
  const [counts] = await db.all(`SELECT count(*) AS total, count(DISTINCT ${KEY}) AS invalid, (SELECT count(*) FROM ${typedTable}) AS rows FROM ${errors}`);
  const total = Number(counts?.total ?? 0);
  const invalidRows = Number(counts?.invalid ?? 0);
  const listed = total === 0 ? [] : await listErrors(db, errors, options.staged, options.specs);
  await db.run(`DROP VIEW ${quoteIdent(options.staged)}`);

  // the typed table is in file order already (a projection of the staged files); only a filter needs the sort
  const filter = total === 0 ? '' : `WHERE ${KEY} NOT IN (SELECT ${KEY} FROM ${errors}) ORDER BY __src, __row`;
  await db.run(`CREATE VIEW ${options.name} AS SELECT ${options.output.join(', ')} FROM ${typedTable} ${filter}`);
  return { total, listed, invalidRows, validRows: Number(counts?.rows ?? 0) - invalidRows };
}

/** The first errors in file order, with the raw cell each one is about. */
async function listErrors(db: DuckDb, errors: string, staged: string, specs: readonly ColumnSpec[]): Promise<ImportError[]> {
  const cell = `CASE e."column" ${specs.map((s) => `WHEN ${sqlString(s.name)} THEN CAST(v.${quoteIdent(s.name)} AS VARCHAR)`).join(' ')} END`;
  const rows = await db.all(
    `WITH first AS (SELECT * FROM ${errors} ORDER BY __src, __row, rule LIMIT ${MAX_LISTED_ERRORS})
     SELECT s.name AS file, e.__row AS row, e."column" AS "column", coalesce(${cell}, '') AS value, e.reason AS reason
     FROM first e JOIN sources s ON s.src = e.__src
     LEFT JOIN (SELECT * FROM (SELECT * REPLACE (CASE WHEN __row <= 0 THEN row_number() OVER () - __row ELSE __row END AS __row) FROM ${quoteIdent(staged)}) WHERE ${KEY} IN (SELECT ${KEY} FROM first)) v
       ON v.__src = e.__src AND v.__row = e.__row
     ORDER BY e.__src, e.__row, e.rule`,
  );
  return rows.map((r) => ({ file: String(r.file), row: Number(r.row), column: String(r.column), value: String(r.value ?? ''), reason: String(r.reason) }));
}
