/**
 * Reads a dataset's Parquet files straight into the engine's columnar types: DuckDB result chunks
 * are copied into typed arrays column by column; no row objects are built.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AMORTIZATIONS, DAY_COUNTS, NMD_CATEGORIES, NO_DATE, RATE_TYPES, type CurveRow, type DictionaryColumn, type PositionColumns, type ScheduleColumns } from '@almready/engine';
import { openDuckDb, type DuckDb } from '../duckdb.ts';
import { quoteIdent, sqlString } from '../schema/index.ts';
import { DatasetMetaSchema, type DatasetMeta } from './dataset-meta.ts';
import { numbers, planDictionary, streamColumns, strings, type DictionaryPlan, type Sink } from './column-stream.ts';

export interface LoadedDataset {
  positions: PositionColumns;
  schedules: ScheduleColumns;
  curves: CurveRow[];
  asOf: string;
  meta: DatasetMeta;
}

const epochDays = (column: string) => `coalesce(CAST(date_diff('day', DATE '1970-01-01', ${quoteIdent(column)}) AS INTEGER), ${NO_DATE})`;
const codeOf = (column: string, values: readonly string[], type: 'UTINYINT' | 'TINYINT') =>
  `CAST(coalesce(list_position([${values.map(sqlString).join(', ')}], ${quoteIdent(column)}) - 1, -1) AS ${type})`;
const nanOr = (column: string) => `coalesce(${quoteIdent(column)}, CAST('NaN' AS DOUBLE))`;

export async function loadDataset(datasetDir: string): Promise<LoadedDataset> {
  const meta = DatasetMetaSchema.parse(JSON.parse(await readFile(path.join(datasetDir, 'manifest.json'), 'utf8')));
  const file = (name: string) => sqlString(path.join(datasetDir, name));
  const db = await openDuckDb(':memory:', { threads: '2' });
  try {
    const n = meta.rows.positions;
    const id: string[] = new Array<string>(n);
    const p = {
      side: new Int8Array(n), notional: new Float64Array(n), startDate: new Int32Array(n), maturityDate: new Int32Array(n),
      amortization: new Uint8Array(n), rateType: new Uint8Array(n), rate: new Float64Array(n), spread: new Float64Array(n),
      paymentFrequencyMonths: new Uint16Array(n), resetFrequencyMonths: new Uint16Array(n), nextResetDate: new Int32Array(n),
      dayCount: new Uint8Array(n), floor: new Float64Array(n), cap: new Float64Array(n), nmdCategory: new Int8Array(n),
      cpr: new Float64Array(n), tdrr: new Float64Array(n),
    };
    const parquet = file('positions.parquet');
    const dictionaries = new Map<string, DictionaryPlan>();
    for (const column of ['product', 'currency', 'index', ...meta.attributes]) {
      dictionaries.set(column, await planDictionary(db, parquet, quoteIdent(column), n));
    }
    const dict = (column: string): [string, Sink] => {
      const plan = dictionaries.get(column)!;
      return [plan.sql, plan.sink];
    };
    const columns: [string, Sink][] = [
      ['position_id', strings(id)],
      [`CAST(CASE side WHEN 'asset' THEN 1 ELSE -1 END AS TINYINT)`, numbers(p.side)],
      dict('product'),
      dict('currency'),
      ['coalesce(notional, 0)', numbers(p.notional)],
      [epochDays('start_date'), numbers(p.startDate)],
      [epochDays('maturity_date'), numbers(p.maturityDate)],
      [codeOf('amortization', AMORTIZATIONS, 'UTINYINT'), numbers(p.amortization)],
      [codeOf('rate_type', RATE_TYPES, 'UTINYINT'), numbers(p.rateType)],
      [nanOr('rate'), numbers(p.rate, Number.NaN)],
      dict('index'),
      [nanOr('spread'), numbers(p.spread, Number.NaN)],
      ['CAST(coalesce(payment_frequency_months, 0) AS USMALLINT)', numbers(p.paymentFrequencyMonths)],
      ['CAST(coalesce(reset_frequency_months, 0) AS USMALLINT)', numbers(p.resetFrequencyMonths)],
      [epochDays('next_reset_date'), numbers(p.nextResetDate)],
      [codeOf('day_count', DAY_COUNTS, 'UTINYINT'), numbers(p.dayCount)],
      [nanOr('floor'), numbers(p.floor, Number.NaN)],
      [nanOr('cap'), numbers(p.cap, Number.NaN)],
      [codeOf('nmd_category', NMD_CATEGORIES, 'TINYINT'), numbers(p.nmdCategory)],
      [nanOr('cpr'), numbers(p.cpr, Number.NaN)],
      [nanOr('tdrr'), numbers(p.tdrr, Number.NaN)],
      ...meta.attributes.map((name) => dict(name)),
    ];
    const read = await streamColumns(db, `SELECT ${columns.map(([sql]) => sql).join(', ')} FROM read_parquet(${parquet})`, columns.map(([, sink]) => sink));
    if (read !== n) throw new Error(`dataset ${meta.id}: manifest says ${n} positions, positions.parquet holds ${read}`);
    const built = (column: string) => dictionaries.get(column)!.build();
    const positions: PositionColumns = {
      length: n, id, ...p,
      product: built('product'), currency: built('currency'), index: built('index'),
      attributes: Object.fromEntries(meta.attributes.map((name): [string, DictionaryColumn] => [name, built(name)])),
    };
    const schedules = await loadSchedules(db, file('schedules.parquet'), id, meta.rows.schedules);
    const curveRows = await db.all(`SELECT curve_id, tenor, rate FROM read_parquet(${file('curves.parquet')})`);
    const curves = curveRows.map((r) => ({ curve_id: String(r.curve_id), tenor: String(r.tenor), rate: Number(r.rate) }));
    return { positions, schedules, curves, asOf: meta.asOf, meta };
  } finally {
    db.close();
  }
}

/** Schedules sorted by position index then date, as the engine expects. */
async function loadSchedules(db: DuckDb, file: string, ids: readonly string[], n: number): Promise<ScheduleColumns> {
  const s = { positionIndex: new Int32Array(n), date: new Int32Array(n), principal: new Float64Array(n) };
  if (n === 0) return { length: 0, ...s };
  // position index = row order of positions.parquet; ids are unique
  await db.run(`CREATE TEMP TABLE ids AS SELECT position_id, CAST(file_row_number AS INTEGER) AS i FROM read_parquet(${file.replace('schedules.parquet', 'positions.parquet')}, file_row_number = true)`);
  const read = await streamColumns(
    db,
    `SELECT ids.i, ${epochDays('date')}, principal FROM read_parquet(${file}) s JOIN ids USING (position_id) ORDER BY ids.i, s.date`,
    [numbers(s.positionIndex), numbers(s.date), numbers(s.principal)],
  );
  if (read !== n || ids.length === 0) throw new Error(`schedules.parquet: ${read} rows match positions, manifest says ${n}`);
  return { length: n, ...s };
}
