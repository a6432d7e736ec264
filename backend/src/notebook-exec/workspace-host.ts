/**
 * The real `AlmHost` of a `ts` cell: every `alm` call reaches this workspace only. SQL runs
 * through the locked-down instance with its parameters bound (cell-sql.ts) and is stored like an
 * SQL cell's result; `alm.table` knows the earlier results this cell was given and the dataset's
 * own tables; `alm.run` goes through the run service and its worker pool (an audited run row, the
 * engine never inside QuickJS), and its tables become `<cell>_eve`, `<cell>_nii`, … for later cells.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { curveCurrency, parseTenor, scenarioById, shockSizes } from '@almready/engine';
import { AppError } from '../app-error.ts';
import type { SqlParam } from '../data/duckdb.ts';
import { MAX_PAGE_ROWS } from '../data/query/index.ts';
import { getRun } from '../runs/repository.ts';
import type { CustomScenarioSamples } from '../runs/custom-scenarios.ts';
import { readRunTables, runDir } from '../runs/result-files.ts';
import type { RunService } from '../runs/service.ts';
import { runRequestSchema, SCENARIO_IDS, toRunSettings } from '../runs/settings.ts';
import { NOTEBOOK_RUN_TABLES } from '../runs/result-tables.ts';
import { RESULT_TABLES } from '../runs/worker-protocol.ts';
import type { AuditEvent } from '../workspaces/deps.ts';
import { describeStored, materialise, pageStored, referencedInputs, type NotebookQueries, type SqlScope } from './cell-sql.ts';
import { DATASET_TABLE_NAMES, NotebookExecError, runTableRef, storedFile, type StoredTableRef } from './stored-tables.ts';
import { AlmHostError, type AlmHost, type CurvePoint, type DatasetInfo, type HostPayload, type RunSettings, type SampledScenario, type ShockGrid } from './ts-sandbox/alm-host.ts';
import type { CellValue, TableRef } from './ts-sandbox/cell-result.ts';
import { engineShockTimes } from './ts-sandbox/scenario-grid.ts';

export interface NotebookHostDeps {
  queries: NotebookQueries;
  runs: Pick<RunService, 'start' | 'cancel' | 'subscribe'>;
  db: Database;
  audit: { record(event: AuditEvent): void };
  /** `alm.run` calls one user may have running at once, across cells and notebooks (default 2) */
  runsPerUser?: number;
}

export interface HostScope {
  workspaceId: string;
  workspaceDir: string;
  userId: string;
  datasetId: string;
  signal?: AbortSignal | undefined;
}

export interface TsCellIdentity {
  /** the cell's name: run tables are `<name>_eve`, … */
  name: string;
  cacheKey: string;
}

/** Shock grid bounds: the engine reads shocks up to the last flow; at least 30, at most 100 years. */
const MIN_HORIZON_DAYS = 30 * 365;
const MAX_HORIZON_DAYS = 100 * 365;
const DEFAULT_RUNS_PER_USER = 2;
const activeRuns = new WeakMap<object, Map<string, number>>();

export class WorkspaceAlmHost implements AlmHost {
  /** table id → where it is stored ('dataset' for positions, curves, schedules) */
  private readonly issued = new Map<string, StoredTableRef | 'dataset'>();
  /** name → table, for `alm.table` and the SQL of `alm.sql` (grows with this cell's runs) */
  private readonly byName = new Map<string, StoredTableRef>();
  private readonly scenarios = new Map<string, CustomScenarioSamples>();
  /** tables this cell made, by the name later cells use (`<cell>_eve`, …) */
  readonly produced: Record<string, StoredTableRef> = {};
  /** every table id handed to the cell, with its place, so the runner can store exported handles */
  readonly tables: Record<string, StoredTableRef> = {};
  readonly runIds: string[] = [];
  /** earlier results the cell read by name through `alm.table` or `alm.sql` (dependencies the runner may not see statically) */
  readonly reads = new Set<string>();
  private readonly sqlScope: SqlScope;
  private grid: { horizonDays: number; times: number[]; currencies: string[] } | null = null;

  constructor(private readonly deps: NotebookHostDeps, private readonly scope: HostScope, private readonly cell: TsCellIdentity, earlier: Readonly<Record<string, StoredTableRef>>) {
    this.sqlScope = { queries: deps.queries, workspaceDir: scope.workspaceDir, datasetId: scope.datasetId, signal: scope.signal, userId: scope.userId };
    for (const [name, ref] of Object.entries(earlier)) {
      this.byName.set(name, ref);
      this.issue(ref);
    }
  }

  private issue(ref: StoredTableRef): TableRef {
    this.issued.set(ref.table, ref);
    this.tables[ref.table] = ref;
    return { $almTable: ref.table };
  }

  async sql(query: HostPayload<'sql'>): Promise<TableRef> {
    const sql = query.text.reduce((text, part, i) => `${text}$${i}${part}`);
    const names = await this.refusalsToCell('alm.sql', () => referencedInputs(this.sqlScope, sql, [...this.byName.keys()]));
    names.forEach((name) => this.reads.add(name));
    const inputs = Object.fromEntries(names.map((name) => [name, this.byName.get(name)!]));
    // Content-addressed like a cell: the same query on the same inputs and dataset is stored once.
    const cacheKey = createHash('sha256').update(JSON.stringify(['alm.sql', this.scope.datasetId, sql, query.params, names.map((name) => [name, inputs[name]!.file]).sort()])).digest('hex');
    const table = await this.refusalsToCell('alm.sql', () => materialise(this.sqlScope, { sql, params: query.params as SqlParam[], inputs, cacheKey }));
    return this.issue({ table: table.table, file: table.file });
  }

  async table(name: string): Promise<TableRef> {
    if (DATASET_TABLE_NAMES.has(name)) {
      this.issued.set(name, 'dataset');
      return { $almTable: name };
    }
    const ref = this.byName.get(name);
    if (!ref) throw new AlmHostError(`no table "${name}" among this notebook's earlier results or the dataset (positions, curves, schedules)`);
    this.reads.add(name);
    return this.issue(ref);
  }

  async rows(table: string, limit: number): Promise<Record<string, CellValue>[]> {
    const rows: Record<string, CellValue>[] = [];
    // The query layer pages at most MAX_PAGE_ROWS rows at a time.
    while (rows.length < limit) {
      const page = await this.page(table, rows.length, Math.min(limit, rows.length + MAX_PAGE_ROWS));
      rows.push(...(page.rows as Record<string, CellValue>[]));
      if (page.rows.length === 0 || rows.length >= page.rowCount) break;
    }
    return rows;
  }

  async count(table: string): Promise<number> {
    const place = this.place(table);
    if (place !== 'dataset') return (await this.refusalsToCell('count', () => describeStored(this.sqlScope, place))).rowCount;
    return (await this.page(table, 0, 0)).rowCount;
  }

  async dataset(): Promise<DatasetInfo> {
    return this.refusalsToCell('alm.dataset', () => this.deps.queries.withDatasetConnection(this.scope.workspaceDir, this.scope.datasetId, async (connection, { asOf }) => {
      const reader = await connection.runAndReadAll('SELECT side, count(*)::DOUBLE, coalesce(sum(notional), 0)::DOUBLE FROM positions GROUP BY side ORDER BY side');
      const totals: Record<string, number> = {};
      let positions = 0;
      for (const [side, n, total] of reader.getRowsJson()) {
        totals[String(side)] = Number(total);
        positions += Number(n);
      }
      return { id: this.scope.datasetId, asOf: asOf ?? '', positions, totals };
    }));
  }

  async curves(): Promise<CurvePoint[]> {
    const rows = await this.refusalsToCell('alm.curves', () => this.deps.queries.withDatasetConnection(this.scope.workspaceDir, this.scope.datasetId, async (connection) => (
      await connection.runAndReadAll('SELECT curve_id, tenor, rate::DOUBLE FROM curves ORDER BY curve_id, tenor')).getRowsJson()));
    return rows.flatMap(([curveId, tenorText, rate]) => {
      const tenor = parseTenor(String(tenorText));
      if (!tenor.ok) return [];
      return [{ curveId: String(curveId), currency: curveCurrency(String(curveId)) ?? null, tenor: String(tenorText), years: tenor.years, rate: Number(rate) }];
    }).sort((a, b) => (a.curveId === b.curveId ? a.years - b.years : a.curveId < b.curveId ? -1 : 1));
  }

  async bcbs(currency: string) {
    const sizes = shockSizes(currency);
    if (!sizes) throw new AlmHostError(`no regulatory shock sizes for currency "${currency}"; the methodology table covers 27 currencies (EUR, USD, GBP, …)`);
    return sizes;
  }

  async shockGrid(): Promise<ShockGrid> {
    const { horizonDays, currencies } = await this.refusalsToCell('alm.scenario', () => this.deps.queries.withDatasetConnection(this.scope.workspaceDir, this.scope.datasetId, async (connection, { asOf }) => {
      const ccy = await connection.runAndReadAll('SELECT DISTINCT currency FROM positions WHERE currency IS NOT NULL');
      const curves = await connection.runAndReadAll('SELECT DISTINCT curve_id FROM curves');
      const last = await connection.runAndReadAll('SELECT max(maturity_date)::VARCHAR FROM positions');
      const lastDate = last.getRowsJson()[0]?.[0];
      const days = asOf && typeof lastDate === 'string' ? Math.ceil((Date.parse(`${lastDate}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000) + 366 : MAX_HORIZON_DAYS;
      const set = new Set(ccy.getRowsJson().map((r) => String(r[0])));
      for (const [id] of curves.getRowsJson()) {
        const c = curveCurrency(String(id));
        if (c) set.add(c);
      }
      return { horizonDays: Math.min(MAX_HORIZON_DAYS, Math.max(MIN_HORIZON_DAYS, days)), currencies: [...set].sort() };
    }));
    const times = engineShockTimes(horizonDays);
    this.grid = { horizonDays, times, currencies };
    return { times, currencies };
  }

  async scenario(definition: SampledScenario): Promise<{ id: string }> {
    // The samples must be on the grid this host gave: the run records only its horizon.
    const grid = this.grid;
    if (!grid || definition.times.length !== grid.times.length || definition.times.some((t, i) => t !== grid.times[i])) {
      throw new AlmHostError(`alm.scenario("${definition.id}"): the samples are not on the shock grid of this dataset; define the scenario with alm.scenario(id, (t, currency) => shift)`);
    }
    const missing = grid.currencies.find((c) => !Object.hasOwn(definition.shifts, c));
    if (missing !== undefined) throw new AlmHostError(`alm.scenario("${definition.id}"): no shifts for ${missing}, a currency of this dataset`);
    this.scenarios.set(definition.id, {
      id: definition.id, label: definition.label ?? definition.id, floorable: definition.floorable, rampMonths: definition.rampMonths,
      behaviour: definition.behaviour, horizonDays: grid.horizonDays, shifts: definition.shifts,
    });
    return { id: definition.id };
  }

  async run(settings: RunSettings): Promise<CellValue> {
    const ids = settings.scenarios ?? [...SCENARIO_IDS];
    const unknown = ids.find((id) => id !== 'base' && !scenarioById(id) && !this.scenarios.has(id));
    if (unknown !== undefined) throw new AlmHostError(`alm.run: unknown scenario "${unknown}"; use a built-in id or one defined with alm.scenario in this cell`);
    const request = runRequestSchema.safeParse({
      datasetId: this.scope.datasetId,
      method: settings.method, floor: settings.floor, niiHorizonMonths: settings.niiHorizonMonths, nmd: settings.nmd,
      balanceSheet: settings.balanceSheet, breakdownBy: settings.breakdownBy, tier1: settings.tier1,
    });
    if (!request.success) {
      const issue = request.error.issues[0];
      throw new AlmHostError(`alm.run: ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid settings'}`);
    }
    const custom = [...new Set(ids)].flatMap((id) => this.scenarios.get(id) ?? []);
    const runSettings = { ...toRunSettings(request.data), scenarios: [...new Set(ids)], ...(custom.length > 0 ? { customScenarios: custom } : {}) };
    const runId = await this.withRunSlot(() => this.startAndWait(runSettings));
    this.runIds.push(runId);
    return this.runValue(runId);
  }

  /** At most `runsPerUser` alm.run calls of one user run at once; more are refused, not queued. */
  private async withRunSlot<T>(task: () => Promise<T>): Promise<T> {
    const limit = this.deps.runsPerUser ?? DEFAULT_RUNS_PER_USER;
    let counts = activeRuns.get(this.deps.runs);
    if (!counts) activeRuns.set(this.deps.runs, (counts = new Map()));
    const mine = counts.get(this.scope.userId) ?? 0;
    if (mine >= limit) throw new AlmHostError(`alm.run: you already have ${mine} engine runs going (at most ${limit} at once); wait for them to finish`);
    counts.set(this.scope.userId, mine + 1);
    try {
      return await task();
    } finally {
      const left = (counts.get(this.scope.userId) ?? 1) - 1;
      if (left > 0) counts.set(this.scope.userId, left);
      else counts.delete(this.scope.userId);
    }
  }

  private startAndWait(settings: Parameters<RunService['start']>[0]['settings']): Promise<string> {
    const { workspaceId, workspaceDir, datasetId, userId, signal } = this.scope;
    if (signal?.aborted) throw new AlmHostError('alm.run: the cell was cancelled');
    const run = this.deps.runs.start({ workspaceId, workspaceDir, datasetId, settings, userId });
    this.deps.audit.record({ action: 'run.start', userId, workspaceId, detail: { runId: run.id, datasetId, notebookCell: this.cell.name } });
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => this.deps.runs.cancel(workspaceId, run.id);
      const finish = (error: string | null) => {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        if (error === null) resolve(run.id);
        else reject(new AlmHostError(`alm.run: ${error}`));
      };
      const unsubscribe = this.deps.runs.subscribe(run.id, (event) => {
        if (event.type === 'done') finish(null);
        else if (event.type === 'failed') finish(event.message);
        else if (event.type === 'cancelled') finish('the run was cancelled');
      });
      signal?.addEventListener('abort', onAbort);
      // A run that finished before we listened (it cannot, the pool is asynchronous, but the row is the record).
      const row = getRun(this.deps.db, workspaceId, run.id);
      if (row?.status === 'done') finish(null);
      else if (row?.status === 'failed' || row?.status === 'cancelled') finish(row.error ?? `the run was ${row.status}`);
    });
  }

  /** The run's result as plain data, and its tables as handles named after the cell. */
  private async runValue(runId: string): Promise<CellValue> {
    const tablesOfRun = await readRunTables(runDir(this.scope.workspaceDir, runId));
    const summary = getRun(this.deps.db, this.scope.workspaceId, runId)?.summary ?? null;
    const prefix = this.runIds.length === 1 ? this.cell.name : `${this.cell.name}_run${this.runIds.length}`;
    const tables: Record<string, TableRef> = {};
    for (const name of [...RESULT_TABLES, ...NOTEBOOK_RUN_TABLES]) {
      const ref = runTableRef(runId, name);
      if (!(await storedFile(this.scope.workspaceDir, ref).then(() => true, () => false))) continue;
      tables[name] = this.issue(ref);
      this.produced[`${prefix}_${name}`] = ref;
      this.byName.set(`${prefix}_${name}`, ref);
    }
    const eve: Record<string, CellValue> = {};
    for (const row of tablesOfRun.eve.rows) eve[String(row.scenario)] = { value: row.eve ?? null, delta: row.delta_eve ?? null, loss: row.loss ?? null };
    const nii: Record<string, CellValue> = {};
    for (const row of tablesOfRun.nii.rows) nii[String(row.scenario)] = { value: row.nii ?? null, delta: row.delta_nii ?? null };
    return { runId, summary: JSON.parse(JSON.stringify(summary)) as CellValue, eve, nii, tables };
  }

  private place(table: string): StoredTableRef | 'dataset' {
    const place = this.issued.get(table);
    if (place === undefined) throw new AlmHostError(`unknown table handle "${table}"`);
    return place;
  }

  private page(table: string, startRow: number, endRow: number) {
    const place = this.place(table);
    return this.refusalsToCell('rows', () => (place === 'dataset'
      ? this.deps.queries.page(this.scope.workspaceDir, this.scope.datasetId, { table, startRow, endRow })
      : pageStored(this.sqlScope, place, { startRow, endRow })));
  }

  /** A refusal of the query layer or of ours (4xx) is the cell's error; anything else is the server's. */
  private async refusalsToCell<T>(what: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (error instanceof NotebookExecError || (error instanceof AppError && error.status < 500)) throw new AlmHostError(`${what}: ${error.message}`);
      throw error;
    }
  }
}
