/**
 * Reads canonical positions, schedules and curves (as an import leaves them: validate-sources.ts)
 * from DuckDB into the engine's columnar types: result chunks are copied into typed arrays column
 * by column; no row objects are built. The tables may be a dataset's Parquet files
 * (load-dataset.ts) or the import's own tables, read without a Parquet round trip (`almready calc`).
 */
import { AMORTIZATIONS, DAY_COUNTS, NMD_CATEGORIES, NO_DATE, RATE_TYPES, type CurveRow, type DictionaryColumn, type PositionColumns, type ScheduleColumns } from '@almready/engine';
import type { DuckDb } from '../duckdb.ts';
import { quoteIdent, sqlString } from '../schema/index.ts';
import { numbers, planDictionary, plainArrays, streamColumns, strings, type Allocate, type DictionaryPlan, type Sink } from './column-stream.ts';

/** FROM items (tables, views, `read_parquet(…)` or subqueries) of canonical columns. */
export interface ColumnSource {
  /** positions in their order (the position index of the engine) */
  positions: string;
  /** the same rows with `__ord`, the 0-based position index */
  ordered: string;
  /** position_id, date, principal */
  schedules: string;
  /** curve_id, tenor, rate */
  curves: string;
}

export interface EngineColumns {
  positions: PositionColumns;
  schedules: ScheduleColumns;
  curves: CurveRow[];
}

const epochDays = (column: string) => `coalesce(CAST(date_diff('day', DATE '1970-01-01', ${quoteIdent(column)}) AS INTEGER), ${NO_DATE})`;
const codeOf = (column: string, values: readonly string[], type: 'UTINYINT' | 'TINYINT') =>
  `CAST(coalesce(list_position([${values.map(sqlString).join(', ')}], ${quoteIdent(column)}) - 1, -1) AS ${type})`;
const nanOr = (column: string) => `coalesce(${quoteIdent(column)}, CAST('NaN' AS DOUBLE))`;

/**
 * `n` positions (the caller knows the count) with `attributes` as dictionary columns. `alloc`
 * places the arrays (sharedArrays: on SharedArrayBuffer, for worker threads).
 */
export async function readEngineColumns(db: DuckDb, source: ColumnSource, n: number, attributes: readonly string[], alloc: Allocate = plainArrays): Promise<EngineColumns> {
  const id: string[] = new Array<string>(n);
  const p = {
    side: alloc(Int8Array, n), notional: alloc(Float64Array, n), startDate: alloc(Int32Array, n), maturityDate: alloc(Int32Array, n),
    amortization: alloc(Uint8Array, n), rateType: alloc(Uint8Array, n), rate: alloc(Float64Array, n), spread: alloc(Float64Array, n),
    paymentFrequencyMonths: alloc(Uint16Array, n), resetFrequencyMonths: alloc(Uint16Array, n), nextResetDate: alloc(Int32Array, n),
    dayCount: alloc(Uint8Array, n), floor: alloc(Float64Array, n), cap: alloc(Float64Array, n), nmdCategory: alloc(Int8Array, n),
    cpr: alloc(Float64Array, n), tdrr: alloc(Float64Array, n),
  };
  const dictionaries = new Map<string, DictionaryPlan>();
  for (const column of ['product', 'currency', 'index', ...attributes]) {
    dictionaries.set(column, await planDictionary(db, source.ordered, quoteIdent(column), n, alloc));
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
    ...attributes.map((name) => dict(name)),
  ];
  const read = await streamColumns(db, `SELECT ${columns.map(([sql]) => sql).join(', ')} FROM ${source.positions}`, columns.map(([, sink]) => sink));
  if (read !== n) throw new Error(`expected ${n} positions, read ${read}`);
  const built = (column: string) => dictionaries.get(column)!.build();
  const positions: PositionColumns = {
    length: n, id, ...p,
    product: built('product'), currency: built('currency'), index: built('index'),
    attributes: Object.fromEntries(attributes.map((name): [string, DictionaryColumn] => [name, built(name)])),
  };
  const schedules = await readSchedules(db, source, alloc);
  const curveRows = await db.all(`SELECT curve_id, tenor, rate FROM ${source.curves}`);
  const curves = curveRows.map((r) => ({ curve_id: String(r.curve_id), tenor: String(r.tenor), rate: Number(r.rate) }));
  return { positions, schedules, curves };
}

/** Schedules sorted by position index then date, as the engine expects. */
async function readSchedules(db: DuckDb, source: ColumnSource, alloc: Allocate): Promise<ScheduleColumns> {
  const [count] = await db.all(`SELECT count(*) AS n FROM ${source.schedules}`);
  const n = Number(count?.n ?? 0);
  const s = { positionIndex: alloc(Int32Array, n), date: alloc(Int32Array, n), principal: alloc(Float64Array, n) };
  if (n === 0) return { length: 0, ...s };
  // position index = row order of the positions; ids are unique
  await db.run(`CREATE OR REPLACE TEMP TABLE schedule_ids AS SELECT position_id, CAST(__ord AS INTEGER) AS i FROM ${source.ordered}`);
  const read = await streamColumns(
    db,
    `SELECT ids.i, ${epochDays('date')}, principal FROM ${source.schedules} s JOIN schedule_ids ids USING (position_id) ORDER BY ids.i, s.date`,
    [numbers(s.positionIndex), numbers(s.date), numbers(s.principal)],
  );
  await db.run('DROP TABLE schedule_ids');
  if (read !== n) throw new Error(`schedules: ${read} rows match positions, expected ${n}`);
  return { length: n, ...s };
}
