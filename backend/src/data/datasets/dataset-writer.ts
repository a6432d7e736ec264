/** Writing a dataset's tables: Parquet files, the curves table, totals and the content hash. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parseTenor, type CurveRow } from '@almready/engine';
import type { DuckDb } from '../duckdb.ts';
import { quoteIdent, sqlString } from '../schema/index.ts';

export async function copyToParquet(db: DuckDb, table: string, file: string): Promise<void> {
  await db.run(`COPY (SELECT * FROM ${quoteIdent(table)}) TO ${sqlString(file)} (FORMAT parquet)`);
}

/** `curves(curve_id, tenor, rate, currency, years)` in input order; currency and pillar time for SQL users. */
export async function writeCurvesTable(db: DuckDb, rows: readonly CurveRow[]): Promise<void> {
  await db.run('CREATE TABLE curves (curve_id VARCHAR, tenor VARCHAR, rate DOUBLE, currency VARCHAR, years DOUBLE)');
  for (let start = 0; start < rows.length; start += 500) {
    const values = rows.slice(start, start + 500).map((r) => {
      const tenor = parseTenor(r.tenor);
      const currency = /^[A-Z]{3}(?=[_-]|$)/.exec(r.curve_id)?.[0];
      return `(${sqlString(r.curve_id.trim())}, ${sqlString(r.tenor.trim().toUpperCase())}, ${r.rate}, ${currency ? sqlString(currency) : 'NULL'}, ${tenor.ok ? tenor.years : 'NULL'})`;
    });
    await db.run(`INSERT INTO curves VALUES ${values.join(', ')}`);
  }
}

export async function datasetTotals(db: DuckDb, table: string): Promise<{ side: string; currency: string; count: number; notional: number }[]> {
  const rows = await db.all(`SELECT side, currency, count(*) AS n, sum(notional) AS notional FROM ${quoteIdent(table)} GROUP BY side, currency ORDER BY side, currency`);
  return rows.map((r) => ({ side: String(r.side), currency: String(r.currency), count: Number(r.n), notional: Number(r.notional) }));
}

/** sha256 over the files in order, each prefixed by its name, so renaming a table changes the hash. */
export async function hashFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${path.basename(file)}\n`);
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return `sha256:${hash.digest('hex')}`;
}
