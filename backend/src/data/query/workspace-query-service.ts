/**
 * Grid paging, CSV export and read-only user SQL over a workspace's datasets. One locked-down
 * DuckDB instance per workspace in use (workspace-instance.ts), closed after `idleCloseMs`, with a
 * few connections so requests run side by side. Each dataset has its own schema of views
 * (dataset-views.ts); user SQL reaches it as plain `positions`, `curves`, `schedules` through its
 * connection's search_path. Finished pages are remembered (page-cache.ts). Result tables (e.g. a
 * run's Parquet files) are added with `registerTable`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { csvLine } from './csv.ts';
import { csvLinesSql } from './csv-sql.ts';
import type { Lease } from './connection-pool.ts';
import { DATASET_TABLES, realPathInside, resolveDatasetFiles, type DatasetFiles } from './dataset-files.ts';
import type { DatasetSources } from './dataset-views.ts';
import { describeColumns, toJsonRows } from './json-values.ts';
import { pagesOf } from './page-query.ts';
import { exportRequestSchema, pageRequestSchema, type ColumnInfo, type ExportRequest, type PageRequest, type PageResult } from './page-request.ts';
import { rowSetSql, type TableSource } from './page-sql.ts';
import { QueryError } from './query-error.ts';
import { prepareReadOnly } from './read-only-sql.ts';
import { checkChunk, DEFAULT_MAX_RESULT_BYTES, readJsonRows } from './result-budget.ts';
import { DEFAULT_TEMP_DIRECTORY_LIMIT, RESULT_DIRS, WorkspaceInstance } from './workspace-instance.ts';
import { isPlainIdentifier } from '../sql-quote.ts';
import { DEFAULT_QUERY_LIMITS } from '../../config.ts';
import { FairSlots, type SlotLimits } from '../../scheduling/fair-queue.ts';

export interface WorkspaceQueryServiceOptions {
  memoryLimit?: string;
  threads?: number;
  statementTimeoutMs?: number;
  /** Exports stream whole tables to slow clients, so they get their own, longer limit. */
  exportTimeoutMs?: number;
  idleCloseMs?: number;
  /** Statements of one workspace that may run at once (default 3). */
  connections?: number;
  /** Cells (rows × columns) of finished grid pages remembered per workspace (default 500,000; 0 = none). */
  pageCacheCells?: number;
  /** Largest answer (SQL result, grid page, one block of an export) in estimated JSON bytes (default 64 MB). */
  maxResultBytes?: number;
  /** Spill space DuckDB may use per workspace, like '2GB' (default 2 GB). */
  tempDirectoryLimit?: string;
  /** Statements running at once across workspaces, per user, and waiting per user (config.ts). */
  fairness?: SlotLimits;
  now?: () => number;
}

/** Who asks: statements of one user take turns with other users' (scheduling/fair-queue.ts). */
export interface Caller { userId?: string }

export type { SqlResult } from '@almready/contracts';
import type { SqlResult } from '@almready/contracts';
export type CsvSink = NodeJS.WritableStream | ((chunk: string) => void);

export const DEFAULT_MAX_SQL_ROWS = 10_000;
export const MAX_SQL_ROWS = 100_000;

interface Entry { instance: Promise<WorkspaceInstance>; lastUsed: number }
interface Scope { instance: WorkspaceInstance; lease: Lease; sources: DatasetSources; asOf: string | null }
/** Sorted pages of up to READ_AHEAD_MAX_ROWS rows also compute the next READ_AHEAD_PAGES pages. */
const READ_AHEAD_PAGES = 4;
const READ_AHEAD_MAX_ROWS = 200;
/** How long a dataset's resolved file paths are trusted before the folder is looked at again. */
const RESOLVE_TTL_MS = 1000;

export class WorkspaceQueryService {
  private readonly entries = new Map<string, Entry>();
  /** workspaceDir → registered result tables (name → real Parquet path); survives idle closes. */
  private readonly extraTables = new Map<string, Map<string, string>>();
  private readonly limits;
  private readonly exportTimeoutMs: number;
  private readonly maxResultBytes: number;
  private readonly idleCloseMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly resolved = new Map<string, { at: number; files: Promise<DatasetFiles> }>();
  /** Statements (pages, SQL) across every workspace: libuv's 4 threads are shared by all. */
  private readonly slots: FairSlots;
  /** Exports hold a connection while the client downloads; they take turns apart from statements. */
  private readonly exportSlots: FairSlots;

  constructor(options: WorkspaceQueryServiceOptions = {}) {
    this.maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    const fair = options.fairness ?? { total: DEFAULT_QUERY_LIMITS.concurrent, perUser: DEFAULT_QUERY_LIMITS.concurrentPerUser, queuedPerUser: DEFAULT_QUERY_LIMITS.queuedPerUser };
    const busy = (what: string) => (limits: SlotLimits) => new QueryError('busy', `You already have ${limits.queuedPerUser} ${what} waiting; wait for them to finish, then send this again.`);
    this.slots = new FairSlots(fair, busy('queries'));
    this.exportSlots = new FairSlots({ total: fair.total, perUser: 1, queuedPerUser: fair.queuedPerUser }, busy('exports'));
    this.limits = {
      memoryLimit: options.memoryLimit ?? '1GB', threads: options.threads, statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
      connections: options.connections, pageCacheCells: options.pageCacheCells, maxResultBytes: this.maxResultBytes,
      tempDirectoryLimit: options.tempDirectoryLimit ?? DEFAULT_TEMP_DIRECTORY_LIMIT,
    };
    this.exportTimeoutMs = options.exportTimeoutMs ?? 10 * 60_000;
    this.idleCloseMs = options.idleCloseMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => void this.closeIdle(), Math.min(this.idleCloseMs, 60_000));
    this.sweeper.unref();
  }

  async page(workspaceDir: string, datasetId: string, request: PageRequest, caller: Caller = {}): Promise<PageResult> {
    const req = parse(pageRequestSchema, request);
    const instance = await this.instanceFor(workspaceDir);
    const files = await this.resolve(instance.workspaceReal, datasetId);
    const file = (DATASET_TABLES as readonly string[]).includes(req.table) ? files.tables.get(req.table) : instance.table(req.table)?.file;
    if (file === undefined) throw noTable(req.table);
    const ahead = instance.pages.enabled && req.endRow - req.startRow <= READ_AHEAD_MAX_ROWS ? READ_AHEAD_PAGES : 0;
    return instance.pages.get(pageKey(file, files.asOf, req), () => this.inScope(caller, instance, datasetId, files, async ({ lease, sources, asOf }) => {
      const [first, ...next] = await pagesOf(instance, lease.connection, tableSource(instance, sources, req.table), req, asOf, ahead);
      const size = req.endRow - req.startRow;
      next.forEach((page, i) => instance.pages.put(pageKey(file, files.asOf, { ...req, startRow: req.startRow + (i + 1) * size, endRow: req.endRow + (i + 1) * size }), page));
      return first as PageResult;
    }));
  }

  /** Streams every row of the request (no paging) as RFC 4180 CSV, one DuckDB chunk at a time. */
  async exportCsv(workspaceDir: string, datasetId: string, request: ExportRequest, out: CsvSink, caller: Caller = {}): Promise<{ rows: number }> {
    const req = parse(exportRequestSchema, request);
    const write = sinkWriter(out);
    return this.withDataset(caller, workspaceDir, datasetId, async ({ instance, lease, sources, asOf }) => {
      const source = tableSource(instance, sources, req.table);
      const set = rowSetSql(source, await instance.columns(lease.connection, source), req, asOf);
      const shape = await lease.connection.runAndReadAll(`SELECT * FROM (${set.sql}) AS r LIMIT 0`, set.params);
      const names = shape.columnNames();
      // The driver ends a streamed result quietly when DuckDB fails mid-way (a timeout, memory):
      // the expected count tells a complete export from a cut one.
      const expected = await instance.count(lease.connection, source, set.countSql, set.params);
      await write(csvLine(names));
      const result = await lease.connection.stream(csvLinesSql(set.sql, names, shape.columnTypes()), set.params);
      let rows = 0;
      const lineTypes = result.columnTypes();
      for (;;) {
        // Not a QueryError: exec maps it to the timeout (or closed) message it knows the reason for.
        if (lease.interrupted) throw new Error('INTERRUPT Error: export stopped between blocks');
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        // The export streams, so only one chunk is in memory at a time; bound that chunk.
        checkChunk(chunk, lineTypes, this.maxResultBytes, `A block of ${chunk.rowCount} rows of this export`);
        await write((chunk.getColumnValues(0) as string[]).join(''));
        rows += chunk.rowCount;
      }
      if (rows !== expected) throw new QueryError('bad_request', `The export stopped after ${rows.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} rows; the file is incomplete. Filter the rows or try again.`);
      return { rows };
    }, this.exportTimeoutMs, true);
  }

  async runSql(workspaceDir: string, datasetId: string, sql: string, options: { maxRows?: number } & Caller = {}): Promise<SqlResult> {
    if (typeof sql !== 'string') throw new QueryError('bad_request', 'sql must be a string.');
    const maxRows = options.maxRows ?? DEFAULT_MAX_SQL_ROWS;
    if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_SQL_ROWS) throw new QueryError('bad_request', `maxRows must be a whole number from 1 to ${MAX_SQL_ROWS}.`);
    return this.withDataset(options, workspaceDir, datasetId, async ({ lease, sources }) => {
      // Plain table names resolve to this dataset's views, then to registered result tables.
      if (lease.searchPath !== sources.schema) {
        lease.searchPath = null;
        await lease.connection.run(`SET search_path = '${sources.schema},main'`);
        lease.searchPath = sources.schema;
      }
      const prepared = await prepareReadOnly(lease.connection, sql, maxRows, this.maxResultBytes);
      // Materialised inside DuckDB (its memory limit applies; the statement itself stops at the
      // byte budget), then converted chunk by chunk within the same budget. Not streamed: the
      // driver reports an error after a streamed result's first chunk as a plain end of rows.
      const result = await prepared.run();
      const names = result.deduplicatedColumnNames();
      const types = result.columnTypes();
      const rows = toJsonRows(names, types, await readJsonRows(result, { maxBytes: this.maxResultBytes, maxRows: maxRows + 1 }, 'The answer'));
      return { columns: describeColumns(names, types), rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
    });
  }

  /**
   * Runs `task` on one locked-down connection of the workspace whose plain table names resolve to
   * the dataset's views (as user SQL sees them): for callers that build their own read statements
   * over user SQL, e.g. notebook cells materialising a result. Errors come back as QueryErrors
   * without paths; the statement timer applies (`timeoutMs`, default the statement timeout).
   */
  async withDatasetConnection<T>(workspaceDir: string, datasetId: string, task: (connection: DuckDBConnection, scope: { workspaceReal: string; asOf: string | null }) => Promise<T>, options: { timeoutMs?: number } & Caller = {}): Promise<T> {
    return this.withDataset({ userId: options.userId }, workspaceDir, datasetId, async ({ instance, lease, sources, asOf }) => {
      if (lease.searchPath !== sources.schema) {
        lease.searchPath = null;
        await lease.connection.run(`SET search_path = '${sources.schema},main'`);
        lease.searchPath = sources.schema;
      }
      return task(lease.connection, { workspaceReal: instance.workspaceReal, asOf });
    }, options.timeoutMs);
  }

  /**
   * Makes a Parquet file inside the workspace (e.g. `runs/<runId>/eve.parquet`) queryable as
   * table `name` in grids and SQL of that workspace, from now on.
   */
  async registerTable(workspaceDir: string, name: string, parquetPath: string): Promise<void> {
    if (!isPlainIdentifier(name) || (DATASET_TABLES as readonly string[]).includes(name)) {
      throw new QueryError('bad_request', `Table name "${name}" must be lower-case letters, digits and _ and not a dataset table.`);
    }
    const workspaceReal = await fs.realpath(workspaceDir).catch(() => null);
    const file = workspaceReal === null ? null : await realPathInside(workspaceReal, path.resolve(workspaceDir, parquetPath));
    if (file === null || workspaceReal === null) throw new QueryError('not_found', `Result file for table "${name}" does not exist.`);
    // Only these folders stay readable after lock-down (workspace-instance.ts).
    if (!RESULT_DIRS.some((d) => file.startsWith(path.join(workspaceReal, d) + path.sep))) {
      throw new QueryError('bad_request', `Result table "${name}" must be a file under the workspace's runs/ or datasets/ folder (or notebook-results/ for notebook cells).`);
    }
    const tables = this.extraTables.get(workspaceDir) ?? new Map<string, string>();
    tables.set(name, file);
    this.extraTables.set(workspaceDir, tables);
    const entry = this.entries.get(workspaceDir);
    if (entry) {
      const instance = await entry.instance;
      await instance.exec((lease) => instance.pointView(lease.connection, name, file));
    }
  }

  async close(workspaceDir?: string): Promise<void> {
    if (workspaceDir === undefined) return this.closeAll();
    const entry = this.entries.get(workspaceDir);
    if (!entry) return;
    this.entries.delete(workspaceDir);
    const instance = await entry.instance.catch(() => null);
    await instance?.close();
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.entries.keys()].map((dir) => this.close(dir)));
  }

  /** Closes instances unused for `idleCloseMs`; runs on a timer, callable directly (tests). */
  async closeIdle(): Promise<void> {
    const cutoff = this.now() - this.idleCloseMs;
    const idle = [...this.entries].filter(([, e]) => e.lastUsed <= cutoff).map(([dir]) => dir);
    await Promise.all(idle.map((dir) => this.close(dir)));
  }

  openWorkspaces(): string[] {
    return [...this.entries.keys()];
  }

  private async withDataset<T>(caller: Caller, workspaceDir: string, datasetId: string, task: (scope: Scope) => Promise<T>, timeoutMs?: number, long = false): Promise<T> {
    const instance = await this.instanceFor(workspaceDir);
    return this.inScope(caller, instance, datasetId, await this.resolve(instance.workspaceReal, datasetId), task, timeoutMs, long);
  }

  /** Waits for the caller's turn (fair between users, across workspaces), then runs on a pooled connection. */
  private inScope<T>(caller: Caller, instance: WorkspaceInstance, datasetId: string, files: DatasetFiles, task: (scope: Scope) => Promise<T>, timeoutMs?: number, long = false): Promise<T> {
    const run = async (lease: Lease) => {
      const sources = await instance.dataset(lease.connection, datasetId, files);
      return task({ instance, lease, sources, asOf: files.asOf });
    };
    const user = caller.userId ?? 'anonymous';
    return long
      ? this.exportSlots.run(user, () => instance.execLong(run, timeoutMs))
      : this.slots.run(user, () => instance.exec(run, timeoutMs));
  }

  /** Running and waiting statements across users (benchmarks, tests). */
  queueStats(): { running: number; waiting: number } {
    return this.slots.stats();
  }

  /**
   * The dataset's files (real paths checked to lie inside the workspace), looked up again after
   * RESOLVE_TTL_MS so a burst of grid requests costs no file-system calls.
   */
  private resolve(workspaceReal: string, datasetId: string): Promise<DatasetFiles> {
    const key = `${workspaceReal}\0${datasetId}`;
    const known = this.resolved.get(key);
    if (known && this.now() - known.at < RESOLVE_TTL_MS) return known.files;
    if (this.resolved.size >= 1000) this.resolved.clear();
    const entry = { at: this.now(), files: resolveDatasetFiles(workspaceReal, datasetId) };
    this.resolved.set(key, entry);
    entry.files.catch(() => { if (this.resolved.get(key) === entry) this.resolved.delete(key); });
    return entry.files;
  }

  private async instanceFor(workspaceDir: string): Promise<WorkspaceInstance> {
    let entry = this.entries.get(workspaceDir);
    if (!entry) {
      const views = this.extraTables.get(workspaceDir) ?? new Map<string, string>();
      entry = { instance: WorkspaceInstance.open(workspaceDir, this.limits, views), lastUsed: this.now() };
      this.entries.set(workspaceDir, entry);
      const created = entry;
      // A failed open must not stay cached: the next request tries again.
      created.instance.catch(() => { if (this.entries.get(workspaceDir) === created) this.entries.delete(workspaceDir); });
    }
    entry.lastUsed = this.now();
    return entry.instance;
  }
}

function tableSource(instance: WorkspaceInstance, sources: DatasetSources, table: string): TableSource {
  const source = (DATASET_TABLES as readonly string[]).includes(table) ? sources.tables.get(table) : instance.table(table);
  if (source === undefined || source === null) throw noTable(table);
  return source;
}

/** The file, the as-of date (maturity years) and the request decide a page completely. */
function pageKey(file: string, asOf: string | null, req: PageRequest): string {
  return JSON.stringify([file, asOf, req.table, req.sortModel ?? [], req.filterModel ?? {}, req.groupBy ?? [], req.startRow, req.endRow]);
}

function noTable(table: string): QueryError {
  return new QueryError('not_found', `Table "${table}" does not exist here; use positions, curves, schedules or a registered result table.`);
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new QueryError('bad_request', `Invalid request: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`);
  return result.data;
}

/** Writes with back-pressure: waits for 'drain' when a stream's buffer is full. */
function sinkWriter(out: CsvSink): (chunk: string) => Promise<void> {
  if (typeof out === 'function') return async (chunk) => out(chunk);
  const gone = () => new QueryError('bad_request', 'The download was closed before the export finished.');
  return (chunk) => new Promise<void>((resolve, reject) => {
    // A client that went away stops the export instead of letting it run to the end for nobody.
    if ((out as { destroyed?: boolean }).destroyed === true) return reject(gone());
    if (out.write(chunk)) return resolve();
    const onDrain = () => { cleanup(); resolve(); };
    const onError = (error: unknown) => { cleanup(); reject(error instanceof Error ? error : new Error(String(error))); };
    const onClose = () => { cleanup(); reject(gone()); };
    const cleanup = () => { out.off('drain', onDrain); out.off('error', onError); out.off('close', onClose); };
    out.on('drain', onDrain).on('error', onError).on('close', onClose);
  });
}
