/**
 * A finished run's results on disk: one Parquet file per result table in `<workspace>/runs/<runId>/`
 * (`eve.parquet`, `nii.parquet`, …), written once by the calculation worker. The run's summary
 * lives in its SQLite row (the run list needs it); nothing else is written. Grids, the result
 * routes and user SQL all read these files through the workspace's query engine.
 *
 * Runs finished before this layout also kept a `result.json`; `migrateLegacyResult` turns one that
 * lacks its Parquet files into them, once, so those runs stay readable.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckDb } from '../data/duckdb.ts';
import { quoteIdent, sqlString } from '../data/sql-quote.ts';
import { NOTEBOOK_RUN_TABLES, type NotebookRunTableName } from './result-tables.ts';
import { RESULT_TABLES, type ResultTable, type ResultTableName } from './worker-protocol.ts';

export function runDir(workspaceDir: string, runId: string): string {
  return join(workspaceDir, 'runs', runId);
}

export function resultFile(dir: string, table: ResultTableName | NotebookRunTableName): string {
  return join(dir, `${table}.parquet`);
}

/** The name a run's table has in user SQL and grids: `run_<first 8 of the run id>_<table>`. */
export function runTableName(runId: string, table: ResultTableName): string {
  return `run_${runId.slice(0, 8).toLowerCase()}_${table}`;
}

const SQL_TYPE = { string: 'VARCHAR', number: 'DOUBLE', boolean: 'BOOLEAN' } as const;

/**
 * Writes each table once as Parquet (through a DuckDB appender: no intermediate text). Each file
 * is written beside its final name and renamed, so a reader never sees half a file.
 */
export async function writeResultTables(dir: string, tables: Record<ResultTableName, ResultTable> & Partial<Record<NotebookRunTableName, ResultTable>>): Promise<void> {
  const db = await openDuckDb(':memory:', { threads: '1' });
  try {
    for (const name of [...RESULT_TABLES, ...NOTEBOOK_RUN_TABLES]) {
      const table = tables[name];
      if (!table || table.columns.length === 0) continue;
      const ident = quoteIdent(name);
      await db.run(`CREATE TABLE ${ident} (${table.columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`);
      const appender = await db.connection.createAppender(name);
      for (const row of table.rows) {
        for (const column of table.columns) {
          const value = row[column.name];
          if (value === null || value === undefined) appender.appendNull();
          else if (column.type === 'number') appender.appendDouble(Number(value));
          else if (column.type === 'boolean') appender.appendBoolean(Boolean(value));
          else appender.appendVarchar(String(value));
        }
        appender.endRow();
      }
      appender.closeSync();
      const target = resultFile(dir, name);
      const partial = `${target}.partial`;
      try {
        await db.run(`COPY ${ident} TO ${sqlString(partial)} (FORMAT parquet)`);
        renameSync(partial, target);
      } finally {
        rmSync(partial, { force: true });
      }
    }
  } finally {
    db.close();
  }
}

/**
 * A run of the earlier layout (result.json, no Parquet): writes its Parquet files from the JSON.
 * Returns whether the run's tables are now on disk as Parquet.
 */
export async function migrateLegacyResult(dir: string): Promise<boolean> {
  if (RESULT_TABLES.some((name) => existsSync(resultFile(dir, name)))) return true;
  const legacy = join(dir, 'result.json');
  if (!existsSync(legacy)) return false;
  const result = JSON.parse(readFileSync(legacy, 'utf8')) as { tables?: Record<ResultTableName, ResultTable> };
  if (!result.tables) return false;
  await writeResultTables(dir, result.tables);
  return true;
}

const TYPE_OF = (duckType: string): ResultTable['columns'][number]['type'] =>
  duckType === 'VARCHAR' ? 'string' : duckType === 'BOOLEAN' ? 'boolean' : 'number';

/**
 * Every result table of a finished run, whole, read from its Parquet files (for whole-run
 * exports; pages and SQL go through the workspace's query engine instead). A table without a
 * file is `{columns: [], rows: []}`.
 */
export async function readRunTables(dir: string): Promise<Record<ResultTableName, ResultTable>> {
  await migrateLegacyResult(dir);
  const db = await openDuckDb(':memory:', { threads: '1' });
  try {
    const out = {} as Record<ResultTableName, ResultTable>;
    for (const name of RESULT_TABLES) {
      const file = resultFile(dir, name);
      if (!existsSync(file)) {
        out[name] = { columns: [], rows: [] };
        continue;
      }
      const reader = await db.connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`);
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => TYPE_OF(t.toString()));
      out[name] = {
        columns: names.map((n, i) => ({ name: n, type: types[i]! })),
        rows: reader.getRowObjectsJS().map((row) => Object.fromEntries(names.map((n) => [n, (row[n] ?? null) as string | number | boolean | null]))),
      };
    }
    return out;
  } finally {
    db.close();
  }
}
