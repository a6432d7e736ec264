/**
 * A finished run's results on disk: `<workspace>/runs/<runId>/result.json` (what the API serves)
 * and one Parquet file per table (what SQL cells and grids query). The worker writes result.json;
 * the main thread turns its tables into Parquet through DuckDB before the run is marked done.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDuckDb } from '../data/duckdb.ts';
import { sqlString } from '../data/sql-quote.ts';
import { RESULT_TABLES, type ResultTable, type ResultTableName } from './worker-protocol.ts';

export interface RunResult {
  summary: Record<string, unknown>;
  tables: Record<ResultTableName, ResultTable>;
}

export function runDir(workspaceDir: string, runId: string): string {
  return join(workspaceDir, 'runs', runId);
}

export function readRunResult(dir: string): RunResult {
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
}

const SQL_TYPE = { string: 'VARCHAR', number: 'DOUBLE', boolean: 'BOOLEAN' } as const;

export async function writeResultParquet(dir: string): Promise<void> {
  const result = readRunResult(dir);
  const db = await openDuckDb(':memory:', { threads: '1' });
  try {
    for (const name of RESULT_TABLES) {
      const table = result.tables[name];
      if (!table || table.columns.length === 0) continue;
      const ndjson = join(dir, `.tmp-${name}.ndjson`);
      writeFileSync(ndjson, table.rows.map((row) => JSON.stringify(row)).join('\n'));
      const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(SQL_TYPE[c.type])}`).join(', ');
      const target = sqlString(join(dir, `${name}.parquet`));
      try {
        await db.run(`COPY (SELECT * FROM read_json(${sqlString(ndjson)}, format = 'newline_delimited', columns = {${columns}})) TO ${target} (FORMAT parquet)`);
      } finally {
        rmSync(ndjson, { force: true });
      }
    }
  } finally {
    db.close();
  }
}
