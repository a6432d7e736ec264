/**
 * Datasets for tests, laid out as the importer does: `<workspace>/datasets/<id>/{positions,curves,
 * schedules}.parquet` + manifest.json. Rows are built in JS so tests can compute expected numbers
 * from the same array without going through DuckDB.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDuckDb } from '../duckdb.ts';

export interface FixturePosition {
  position_id: string; side: string; product: string; currency: string; notional: number;
  start_date: string; maturity_date: string | null; amortization: string; rate_type: string; rate: number | null;
  index: string | null; spread: number; payment_frequency_months: number; reset_frequency_months: number | null;
  next_reset_date: string | null; day_count: string; segment: string | null;
}

const POSITION_COLUMNS = `{position_id: 'VARCHAR', side: 'VARCHAR', product: 'VARCHAR', currency: 'VARCHAR', notional: 'DOUBLE',
  start_date: 'DATE', maturity_date: 'DATE', amortization: 'VARCHAR', rate_type: 'VARCHAR', rate: 'DOUBLE', index: 'VARCHAR',
  spread: 'DOUBLE', payment_frequency_months: 'INTEGER', reset_frequency_months: 'INTEGER', next_reset_date: 'DATE',
  day_count: 'VARCHAR', segment: 'VARCHAR'}`;

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function fixturePositions(n: number): FixturePosition[] {
  return Array.from({ length: n }, (_, i) => {
    const floating = i % 2 === 1;
    const nonMaturing = i % 50 === 0;
    return {
      position_id: `P${String(i).padStart(5, '0')}`,
      side: i % 5 === 0 ? 'liability' : 'asset',
      product: ['mortgage', 'consumer_loan', 'term_deposit', 'corporate_loan'][i % 4] as string,
      currency: ['EUR', 'USD', 'GBP'][i % 3] as string,
      notional: 1000 + ((i * 7919) % 1000) * 100,
      start_date: addDays('2020-01-01', i),
      maturity_date: nonMaturing ? null : addDays('2025-01-01', (i * 13) % 3650),
      amortization: nonMaturing ? 'non_maturing' : 'bullet',
      rate_type: floating ? 'floating' : 'fixed',
      rate: i % 97 === 0 ? null : 0.01 + (i % 30) * 0.001,
      index: floating ? 'EUR_EURIBOR_3M' : null,
      spread: 0.005,
      payment_frequency_months: 12,
      reset_frequency_months: floating ? 3 : null,
      next_reset_date: floating ? '2025-03-01' : null,
      day_count: 'ACT/365',
      segment: i % 11 === 0 ? null : i % 7 === 0 ? 'Retail, "North"' : 'Corporate',
    };
  });
}

export async function makeDataRoot(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'almready-query-'));
}

/** Writes a dataset and returns its workspace directory. */
export async function writeFixtureDataset(dataDir: string, ownerId: string, workspaceId: string, datasetId: string, positions: FixturePosition[], asOf = '2024-12-31'): Promise<string> {
  const workspaceDir = path.join(dataDir, 'workspaces', ownerId, workspaceId);
  const dir = path.join(workspaceDir, 'datasets', datasetId);
  await fs.mkdir(dir, { recursive: true });
  const json = path.join(dir, 'positions.json');
  await fs.writeFile(json, JSON.stringify(positions));
  const db = await openDuckDb();
  try {
    await db.run(`COPY (SELECT * FROM read_json('${json}', format = 'array', columns = ${POSITION_COLUMNS})) TO '${dir}/positions.parquet' (FORMAT parquet)`);
    await db.run(`COPY (SELECT * FROM (VALUES ('EUR_ESTR_OIS', '1Y', 0.03, 1.0), ('EUR_ESTR_OIS', '5Y', 0.028, 5.0), ('EUR_EURIBOR_3M', '1Y', 0.032, 1.0))
      AS t(curve_id, tenor, rate, time_years)) TO '${dir}/curves.parquet' (FORMAT parquet)`);
    await db.run(`COPY (SELECT * FROM (VALUES ('P00001', DATE '2025-06-30', 500.0), ('P00001', DATE '2025-12-31', 500.0))
      AS t(position_id, date, principal)) TO '${dir}/schedules.parquet' (FORMAT parquet)`);
  } finally {
    db.close();
  }
  await fs.rm(json);
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ id: datasetId, asOf }));
  return workspaceDir;
}
