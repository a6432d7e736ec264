/**
 * One locked-down in-memory DuckDB per workspace. Views are created first, then the instance is
 * locked: no file access outside the workspace's `datasets/` and `runs/` folders (DuckDB resolves
 * symlinks before that check), no extensions, private spill folder, memory and thread limits, and
 * `lock_configuration` so user SQL cannot undo any of it. Statements run one at a time on a
 * single connection (a promise queue), each task under a timer that interrupts it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openDuckDb, type DuckDb, type SqlParam } from '../duckdb.ts';
import type { TableSource } from './page-sql.ts';
import { quoteIdent } from './filter-sql.ts';
import { QueryError, toQueryError } from './query-error.ts';

export interface InstanceLimits {
  memoryLimit: string;
  threads?: number;
  statementTimeoutMs: number;
}

export class WorkspaceInstance {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Which file each view currently reads, so re-pointing is skipped when nothing changed. */
  private readonly views = new Map<string, { file: string; rowNumbers: boolean }>();
  /** Column name → type of each view, keyed by its file. */
  private readonly columnTypes = new Map<string, Map<string, string>>();
  /** Row counts of filtered sets, keyed by file + SQL + parameters: a grid asks the same count for every block. */
  private readonly counts = new Map<string, number>();

  private constructor(
    readonly workspaceDir: string,
    readonly workspaceReal: string,
    private readonly db: DuckDb,
    private readonly limits: InstanceLimits,
    private readonly tempDir: string,
  ) {}

  static async open(workspaceDir: string, limits: InstanceLimits, initialViews: Map<string, string>): Promise<WorkspaceInstance> {
    const workspaceReal = await fs.realpath(workspaceDir).catch(() => {
      throw new QueryError('not_found', 'This workspace has no data yet; import a dataset first.');
    });
    if (!/^[0-9]+(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(limits.memoryLimit)) throw new Error(`memoryLimit ${limits.memoryLimit} is not like '1GB'`);
    const tempDir = path.join(workspaceReal, '.duckdb-tmp');
    await fs.rm(tempDir, { recursive: true, force: true });
    await fs.mkdir(tempDir, { recursive: true });
    const db = await openDuckDb(':memory:', { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
    const instance = new WorkspaceInstance(workspaceDir, workspaceReal, db, limits, tempDir);
    try {
      await db.run('CREATE SCHEMA grid');
      for (const [name, file] of initialViews) await instance.pointView(name, file);
      const dirs = ['datasets', 'runs'].map((d) => sqlString(path.join(workspaceReal, d) + path.sep));
      const settings = [
        `SET memory_limit = ${sqlString(limits.memoryLimit)}`,
        ...(limits.threads !== undefined ? [`SET threads = ${Math.max(1, Math.floor(limits.threads))}`] : []),
        `SET temp_directory = ${sqlString(tempDir)}`,
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

  get connection() {
    return this.db.connection;
  }

  /** Runs `task` after every earlier task finished; the timer interrupts it when it runs too long. */
  exec<T>(task: () => Promise<T>, timeoutMs = this.limits.statementTimeoutMs): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw closedError();
      const context = { timedOut: false, timeoutMs, memoryLimit: this.limits.memoryLimit, hidePaths: [this.workspaceReal, this.workspaceDir] };
      const timer = setTimeout(() => {
        context.timedOut = true;
        this.db.interrupt();
      }, timeoutMs);
      try {
        return await task();
      } catch (error) {
        // close() interrupts what runs: that is not the query's fault, so no timeout message.
        if (this.closed && !context.timedOut) throw closedError();
        throw toQueryError(error, context);
      } finally {
        clearTimeout(timer);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * (Re)creates view `name` over a Parquet file (the caller has checked the file is inside the
   * workspace), and its twin `grid.<name>` with the file's row numbers for grid paging.
   */
  async pointView(name: string, file: string | null): Promise<void> {
    const view = quoteIdent(name);
    if (file === null) {
      if (this.views.has(name)) {
        await this.db.run(`DROP VIEW IF EXISTS ${view}`);
        await this.db.run(`DROP VIEW IF EXISTS grid.${view}`);
      }
      this.views.delete(name);
      return;
    }
    if (this.views.get(name)?.file === file) return;
    await this.db.run(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM read_parquet(${sqlString(file)})`);
    let rowNumbers = true;
    try {
      await this.db.run(`CREATE OR REPLACE VIEW grid.${view} AS SELECT * FROM read_parquet(${sqlString(file)}, file_row_number = true)`);
    } catch {
      // The file has its own column called file_row_number: grids then page without row numbers.
      rowNumbers = false;
      await this.db.run(`DROP VIEW IF EXISTS grid.${view}`);
    }
    this.views.set(name, { file, rowNumbers });
  }

  source(name: string): TableSource | null {
    const view = this.views.get(name);
    return view ? { name, rowNumbers: view.rowNumbers } : null;
  }

  /** The view's columns and their DuckDB types (as DESCRIBE shows them). */
  async columns(name: string): Promise<Map<string, string>> {
    const file = this.views.get(name)?.file;
    if (file === undefined) throw new QueryError('not_found', `Table "${name}" does not exist here; use positions, curves, schedules or a registered result table.`);
    const known = this.columnTypes.get(file);
    if (known) return known;
    const reader = await this.db.connection.runAndReadAll(`DESCRIBE ${quoteIdent(name)}`);
    const columns = new Map(reader.getRowsJson().map((r): [string, string] => [String(r[0]), String(r[1])]));
    this.columnTypes.set(file, columns);
    return columns;
  }

  /** Row count of a filtered set, remembered while the table's file stays the same. */
  async count(table: string, sql: string, params: SqlParam[]): Promise<number> {
    const key = JSON.stringify([this.views.get(table)?.file, sql, params]);
    const known = this.counts.get(key);
    if (known !== undefined) return known;
    const reader = await this.db.connection.runAndReadAll(sql, params);
    const n = Number(reader.getRowsJson()[0]?.[0] ?? 0);
    if (this.counts.size >= 500) this.counts.delete(this.counts.keys().next().value as string);
    this.counts.set(key, n);
    return n;
  }

  /** Interrupts what runs now, waits for the queue, then frees the instance and its spill folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.db.interrupt();
    this.closed = true;
    await this.queue;
    this.db.close();
    await fs.rm(this.tempDir, { recursive: true, force: true });
  }
}

function closedError(): QueryError {
  return new QueryError('not_found', 'The workspace query engine was closed while this ran; send the request again.');
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
