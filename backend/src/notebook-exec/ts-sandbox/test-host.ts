/**
 * An in-memory AlmHost for tests: positions and curves in an in-memory DuckDB (so `alm.sql`
 * parameters are really bound by DuckDB, never pasted), result tables kept as rows, and
 * `alm.run` on the real engine (`analyse`) over the same positions. It records every call it
 * received, to assert what crossed the sandbox wall. The workspace host (locked-down DuckDB, run
 * service, per-run result tables) is the notebook runtime's, not this.
 */
import {
  analyse, buildCurveSet, DEFAULTS, curveCurrency, defaultSettings, parseTenor, PositionsBuilder, shockSizes, type CurveRow, type PositionRecord, type Scenario,
} from '@almready/engine';
import { openDuckDb, type DuckDb } from '../../data/duckdb.ts';
import { AlmHostError, type AlmHost, type RunSettings, type SampledScenario } from './alm-host.ts';
import type { CellValue, TableRef } from './cell-result.ts';
import { engineShockTimes, sampledShock } from './scenario-grid.ts';

export const TEST_AS_OF = '2025-01-02';

export const TEST_POSITIONS: PositionRecord[] = [
  { position_id: 'M1', side: 'asset', product: 'mortgage', currency: 'EUR', notional: 1_000_000, maturity_date: '2045-01-02', amortization: 'annuity', rate_type: 'fixed', rate: 0.035, payment_frequency_months: 1, day_count: '30/360' },
  { position_id: 'B1', side: 'asset', product: 'bond', currency: 'EUR', notional: 500_000, maturity_date: '2032-01-02', amortization: 'bullet', rate_type: 'fixed', rate: 0.028, payment_frequency_months: 12, day_count: '30/360' },
  { position_id: 'L1', side: 'asset', product: 'corporate_loan', currency: 'USD', notional: 300_000, maturity_date: '2030-06-30', amortization: 'linear', rate_type: 'fixed', rate: 0.05, payment_frequency_months: 3, day_count: 'ACT/360' },
  { position_id: 'D1', side: 'liability', product: 'term_deposit', currency: 'EUR', notional: 900_000, maturity_date: '2027-01-02', amortization: 'bullet', rate_type: 'fixed', rate: 0.02, payment_frequency_months: 12, day_count: 'ACT/365' },
  { position_id: 'D2', side: 'liability', product: 'term_deposit', currency: 'USD', notional: 250_000, maturity_date: '2026-07-02', amortization: 'bullet', rate_type: 'fixed', rate: 0.03, payment_frequency_months: 6, day_count: 'ACT/365' },
];

export const TEST_CURVES: CurveRow[] = [
  { curve_id: 'EUR_ESTR_OIS', tenor: '1M', rate: 0.024 }, { curve_id: 'EUR_ESTR_OIS', tenor: '2Y', rate: 0.022 }, { curve_id: 'EUR_ESTR_OIS', tenor: '10Y', rate: 0.026 }, { curve_id: 'EUR_ESTR_OIS', tenor: '30Y', rate: 0.028 },
  { curve_id: 'USD_SOFR', tenor: '1M', rate: 0.043 }, { curve_id: 'USD_SOFR', tenor: '5Y', rate: 0.039 }, { curve_id: 'USD_SOFR', tenor: '30Y', rate: 0.041 },
];

/** Flows of the test positions end before 2046; 60 years covers them with room. */
const HORIZON_DAYS = 60 * 365;

export interface RecordedCall { op: string; args: unknown[] }

export class TestAlmHost implements AlmHost {
  readonly calls: RecordedCall[] = [];
  readonly scenarios = new Map<string, Scenario>();
  readonly tables = new Map<string, Record<string, CellValue>[]>();
  private results = 0;
  private runs = 0;
  /** set to make every call hang (a host that never answers) */
  hang = false;

  private constructor(private readonly db: DuckDb) {}

  static async create(): Promise<TestAlmHost> {
    const db = await openDuckDb();
    await db.run('CREATE TABLE positions (position_id VARCHAR, side VARCHAR, product VARCHAR, currency VARCHAR, notional DOUBLE, rate DOUBLE, maturity_date DATE)');
    for (const p of TEST_POSITIONS) {
      await db.run('INSERT INTO positions VALUES ($1, $2, $3, $4, $5, $6, $7)', [p.position_id, p.side, p.product, p.currency, p.notional, p.rate, p.maturity_date ?? null]);
    }
    const host = new TestAlmHost(db);
    host.tables.set('positions', await db.all('SELECT * FROM positions ORDER BY position_id') as Record<string, CellValue>[]);
    return host;
  }

  close(): void {
    this.db.close();
  }

  private record(op: string, ...args: unknown[]): Promise<void> {
    this.calls.push({ op, args });
    return this.hang ? new Promise(() => undefined) : Promise.resolve();
  }

  async sql(query: { text: string[]; params: (string | number | boolean | null)[] }): Promise<TableRef> {
    await this.record('sql', query);
    const text = query.text.reduce((sql, part, i) => `${sql}$${i}${part}`);
    let rows: Record<string, CellValue>[];
    try {
      rows = (await this.db.all(text, query.params)).map((row) => JSON.parse(JSON.stringify(row)) as Record<string, CellValue>);
    } catch (error) {
      throw new AlmHostError(`alm.sql: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    const id = `result_${++this.results}`;
    this.tables.set(id, rows);
    return { $almTable: id };
  }

  async table(name: string): Promise<TableRef> {
    await this.record('table', name);
    if (!this.tables.has(name)) throw new AlmHostError(`no table "${name}" in this notebook or dataset`);
    return { $almTable: name };
  }

  async rows(table: string, limit: number): Promise<Record<string, CellValue>[]> {
    await this.record('rows', table, limit);
    return (this.tables.get(table) ?? []).slice(0, limit);
  }

  async count(table: string): Promise<number> {
    await this.record('count', table);
    return (this.tables.get(table) ?? []).length;
  }

  async dataset() {
    await this.record('dataset');
    const totals: Record<string, number> = {};
    for (const p of TEST_POSITIONS) totals[p.side] = (totals[p.side] ?? 0) + p.notional;
    return { id: 'test-dataset', asOf: TEST_AS_OF, positions: TEST_POSITIONS.length, totals };
  }

  async curves() {
    await this.record('curves');
    return TEST_CURVES.map((c) => {
      const tenor = parseTenor(c.tenor);
      if (!tenor.ok) throw new Error(`test curve tenor ${c.tenor}: ${tenor.reason}`);
      return { curveId: c.curve_id, currency: curveCurrency(c.curve_id) ?? null, tenor: c.tenor, years: tenor.years, rate: c.rate };
    });
  }

  async bcbs(currency: string) {
    await this.record('bcbs', currency);
    const sizes = shockSizes(currency);
    if (!sizes) throw new AlmHostError(`no regulatory shock sizes for currency "${currency}"`);
    return sizes;
  }

  async shockGrid() {
    await this.record('shockGrid');
    return { times: engineShockTimes(HORIZON_DAYS), currencies: [...new Set(TEST_POSITIONS.map((p) => p.currency))].sort() };
  }

  async scenario(definition: SampledScenario) {
    await this.record('scenario', definition);
    const shocks = new Map(Object.entries(definition.shifts).map(([ccy, shifts]) => [ccy, sampledShock(definition.times, shifts)]));
    this.scenarios.set(definition.id, {
      id: definition.id,
      label: definition.label ?? definition.id,
      floorable: definition.floorable,
      rampMonths: definition.rampMonths,
      behaviour: definition.behaviour,
      shock: (currency) => {
        const shock = shocks.get(currency);
        if (!shock) throw new AlmHostError(`scenario ${definition.id} has no shifts for ${currency}`);
        return shock;
      },
    });
    return { id: definition.id };
  }

  async run(settings: RunSettings): Promise<CellValue> {
    await this.record('run', settings);
    const positions = new PositionsBuilder();
    TEST_POSITIONS.forEach((p) => positions.add(p));
    const curves = buildCurveSet(TEST_CURVES);
    if (!curves.ok) throw new Error('test curves do not build');
    const ids = settings.scenarios ?? [...DEFAULTS.scenarios];
    let result;
    try {
      result = analyse({
        positions: positions.build(),
        curves: curves.curves,
        settings: {
          ...defaultSettings(TEST_AS_OF),
          ...(settings.method ? { method: settings.method } : {}),
          ...(settings.floor ? { floor: settings.floor } : {}),
          ...(settings.niiHorizonMonths ? { niiHorizonMonths: settings.niiHorizonMonths } : {}),
          scenarios: ids,
          customScenarios: ids.flatMap((id) => this.scenarios.get(id) ?? []),
        },
      });
    } catch (error) {
      throw new AlmHostError(error instanceof Error ? error.message : String(error));
    }
    const name = `run${++this.runs}_eve`;
    this.tables.set(name, Object.entries(result.eve.scenarios).map(([scenario, v]) => ({ scenario, value: v.value, delta: v.delta })));
    const plain = JSON.parse(JSON.stringify({ asOf: result.as_of, scenarios: result.scenarios, eve: result.eve.scenarios, nii: result.nii })) as Record<string, CellValue>;
    return { ...plain, tables: { eve: { $almTable: name } } };
  }
}
