/**
 * One locked-down in-memory DuckDB per workspace. Result-table views are created first, then the
 * instance is locked: no file access outside the workspace's `datasets/`, `runs/` and `notebook-results/` folders
 * (DuckDB resolves symlinks before that check), no extensions, private spill folder, memory and
 * thread limits, and `lock_configuration` so user SQL cannot undo any of it. Tasks run on a small
 * pool of connections (connection-pool.ts), each under a timer that interrupts its connection only.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb, type DuckDb, type SqlParam } from '../duckdb.ts';
import { ConnectionPool, type Lease } from './connection-pool.ts';
import { DatasetViews, type DatasetSources } from './dataset-views.ts';
import type { DatasetFiles } from './dataset-files.ts';
import { PageCache } from './page-cache.ts';
import type { TableSource } from './page-sql.ts';
import { quoteIdent, sqlString } from '../sql-quote.ts';
import { QueryError, toQueryError } from './query-error.ts';
import { DEFAULT_MAX_RESULT_BYTES } from './result-budget.ts';

export const DEFAULT_TEMP_DIRECTORY_LIMIT = '2GB';

/** The only workspace folders DuckDB may touch: datasets, run results, notebook cell results. */
export const RESULT_DIRS = ['datasets', 'runs', 'notebook-results'] as const;

export interface InstanceLimits {
  memoryLimit: string;
  threads?: number;
  statementTimeoutMs: number;
  /** Statements of one workspace that may run at once (default 3). */
  connections?: number;
  /** Cells (rows × columns) of finished pages kept for repeats (default 500,000; 0 keeps none). */
  pageCacheCells?: number;
  /** Largest grid page, in estimated JSON bytes (default 64 MB). */
  maxResultBytes?: number;
  /** Spill space of this instance (`max_temp_directory_size`), like '2GB' (the default). */
  tempDirectoryLimit?: string;
}

export class WorkspaceInstance {
  private closed = false;
  private readonly running = new Set<Promise<unknown>>();
  /** Registered result tables (schema main, row-numbered twins in schema grid). */
  private readonly tables = new Map<string, TableSource>();
  /** Column name → type of each table, keyed by its file. */
  private readonly columnTypes = new Map<string, Map<string, string>>();
  /** Row counts of filtered sets, keyed by file + SQL + parameters: a grid asks the same count for every block. */
  private readonly counts = new Map<string, number>();
  readonly pages: PageCache;
  private readonly datasets = new DatasetViews();
  private longRunning = 0;
  private readonly longWaiting: Array<() => void> = [];

  private constructor(
    readonly workspaceDir: string,
    readonly workspaceReal: string,
    private readonly db: DuckDb,
    private readonly pool: ConnectionPool,
    private readonly limits: InstanceLimits,
    private readonly tempDir: string,
  ) {
    this.pages = new PageCache({ maxCells: limits.pageCacheCells ?? 500_000, maxRows: 1_000 });
  }

  private get connectionCount(): number {
    return Math.max(1, Math.floor(this.limits.connections ?? 3));
  }

  static async open(workspaceDir: string, limits: InstanceLimits, initialViews: Map<string, string>): Promise<WorkspaceInstance> {
    const workspaceReal = await fs.realpath(workspaceDir).catch(() => {
      throw new QueryError('not_found', 'This workspace has no data yet; import a dataset first.');
    });
    const tempLimit = limits.tempDirectoryLimit ?? DEFAULT_TEMP_DIRECTORY_LIMIT;
    for (const [name, size] of [['memoryLimit', limits.memoryLimit], ['tempDirectoryLimit', tempLimit]]) {
      if (!/^[0-9]+(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(size ?? '')) throw new Error(`${name} ${size} is not like '1GB'`);
    }
    const tempDir = path.join(workspaceReal, '.duckdb-tmp');
    await fs.rm(tempDir, { recursive: true, force: true });
    await fs.mkdir(tempDir, { recursive: true });
    const db = await openDuckDb(':memory:', { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
    const pool = new ConnectionPool(db.instance, db.connection, Math.max(1, Math.floor(limits.connections ?? 3)));
    const instance = new WorkspaceInstance(workspaceDir, workspaceReal, db, pool, limits, tempDir);
    try {
      await db.run('CREATE SCHEMA grid');
      for (const [name, file] of initialViews) await instance.pointView(db.connection, name, file);
      const dirs = RESULT_DIRS.map((d) => sqlString(path.join(workspaceReal, d) + path.sep));
      const settings = [
        `SET memory_limit = ${sqlString(limits.memoryLimit)}`,
        ...(limits.threads !== undefined ? [`SET threads = ${Math.max(1, Math.floor(limits.threads))}`] : []),
        `SET temp_directory = ${sqlString(tempDir)}`,
        // DuckDB's default is 90% of the free disk: one workspace's sort could fill the server's disk.
        `SET max_temp_directory_size = ${sqlString(tempLimit)}`,
        // Dataset files are written once; keeping their footers parsed saves work on every grid page.
        'SET parquet_metadata_cache = true',
        `SET allowed_directories = [${dirs.join(', ')}]`,
        'SET allow_community_extensions = false',
        'SET allow_persistent_secrets = false',
        'SET enable_external_access = false',
        'SET lock_configuration = true',
      ];
      for (const statement of settings) await db.run(statement);
    } catch (error) {
      db.close();
      await fs.rm(tempDir, { recursive: true, force: true });
      throw error;
    }
    return instance;
  }

  get maxResultBytes(): number {
    return this.limits.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  }

  /** The first connection (tests use it to check the lock-down directly). */
  get connection(): DuckDBConnection {
    return this.db.connection;
  }

  /** Runs `task` on a free connection; the timer interrupts that connection when it runs too long. */
  exec<T>(task: (lease: Lease) => Promise<T>, timeoutMs = this.limits.statementTimeoutMs): Promise<T> {
    const context = { timedOut: false, timeoutMs, memoryLimit: this.limits.memoryLimit, maxResultBytes: this.maxResultBytes, hidePaths: [this.workspaceReal, this.workspaceDir] };
    const run = async (): Promise<T> => {
      if (this.closed) throw closedError();
      const lease = await this.pool.acquire();
      const timer = setTimeout(() => {
        context.timedOut = true;
        lease.interrupted = true;
        lease.connection.interrupt();
      }, timeoutMs);
      try {
        return await task(lease);
      } finally {
        clearTimeout(timer);
        this.pool.release(lease);
      }
    };
    const job = run().catch((error: unknown) => {
      // close() interrupts what runs: that is not the query's fault, so no timeout message.
      if (this.closed && !context.timedOut) throw closedError();
      throw toQueryError(error, context);
    });
    const settled = job.then(() => undefined, () => undefined);
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return job;
  }

  /**
   * Like `exec`, for tasks that hold a connection for long (exports stream to slow clients): they
   * may hold all connections but one, so grid pages and SQL of the workspace always get through.
   */
  async execLong<T>(task: (lease: Lease) => Promise<T>, timeoutMs?: number): Promise<T> {
    if (this.longRunning < Math.max(1, this.connectionCount - 1)) this.longRunning += 1;
    else await new Promise<void>((resolve) => this.longWaiting.push(resolve));
    try {
      return await this.exec(task, timeoutMs);
    } finally {
      // The slot passes straight to the next waiting task, or is freed.
      const next = this.longWaiting.shift();
      if (next) next();
      else this.longRunning -= 1;
    }
  }

  /** Views of a dataset's tables, created on first use (and again if its files changed). */
  dataset(connection: DuckDBConnection, datasetId: string, files: DatasetFiles): Promise<DatasetSources> {
    return this.datasets.ensure(connection, datasetId, files);
  }

  /**
   * (Re)creates view `name` over a result Parquet file (the caller has checked the file is inside
   * the workspace), and its twin `grid.<name>` with the file's row numbers for grid paging.
   */
  async pointView(connection: DuckDBConnection, name: string, file: string): Promise<void> {
    if (this.tables.get(name)?.file === file) return;
    const view = quoteIdent(name);
    await connection.run(`CREATE OR REPLACE VIEW main.${view} AS SELECT * FROM read_parquet(${sqlString(file)})`);
    let numbered: string | null = `grid.${view}`;
    try {
      await connection.run(`CREATE OR REPLACE VIEW grid.${view} AS SELECT * FROM read_parquet(${sqlString(file)}, file_row_number = true)`);
    } catch {
      // The file has its own column called file_row_number: grids then page without row numbers.
      numbered = null;
      await connection.run(`DROP VIEW IF EXISTS grid.${view}`);
    }
    this.tables.set(name, { name, from: `main.${view}`, numbered, file });
  }

  /** A registered result table, or null. */
  table(name: string): TableSource | null {
    return this.tables.get(name) ?? null;
  }

  /** The table's columns and their DuckDB types (as DESCRIBE shows them), once per file. */
  async columns(connection: DuckDBConnection, source: TableSource): Promise<Map<string, string>> {
    const known = this.columnTypes.get(source.file);
    if (known) return known;
    const reader = await connection.runAndReadAll(`DESCRIBE ${source.from}`);
    const columns = new Map(reader.getRowsJson().map((r): [string, string] => [String(r[0]), String(r[1])]));
    this.columnTypes.set(source.file, columns);
    return columns;
  }

  /** Row count of a filtered set, remembered while the table's file stays the same. */
  async count(connection: DuckDBConnection, source: TableSource, sql: string, params: SqlParam[]): Promise<number> {
    const key = JSON.stringify([source.file, sql, params]);
    const known = this.counts.get(key);
    if (known !== undefined) return known;
    const reader = await connection.runAndReadAll(sql, params);
    const n = Number(reader.getRowsJson()[0]?.[0] ?? 0);
    if (this.counts.size >= 500) this.counts.delete(this.counts.keys().next().value as string);
    this.counts.set(key, n);
    return n;
  }

  /** Interrupts what runs now, waits for it, then frees the instance and its spill folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool.stop(closedError);
    await Promise.all([...this.running]);
    this.pool.closeIdle();
    this.db.close();
    await fs.rm(this.tempDir, { recursive: true, force: true });
  }
}

function closedError(): QueryError {
  return new QueryError('not_found', 'The workspace query engine was closed while this ran; send the request again.');
}
