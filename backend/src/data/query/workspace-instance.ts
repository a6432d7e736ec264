/**
 * One locked-down in-memory DuckDB per workspace. Views are created first, then the instance is
 * locked: no file access outside the workspace's `datasets/` and `runs/` folders (DuckDB resolves
 * symlinks before that check), no extensions, private spill folder, memory and thread limits, and
 * `lock_configuration` so user SQL cannot undo any of it. Statements run one at a time on a
 * single connection (a promise queue), each task under a timer that interrupts it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openDuckDb, type DuckDb } from '../duckdb.ts';
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
  private readonly views = new Map<string, string>();

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
      for (const [name, file] of initialViews) await instance.pointView(name, file);
      const dirs = ['datasets', 'runs'].map((d) => sqlString(path.join(workspaceReal, d) + path.sep));
      const settings = [
        `SET memory_limit = ${sqlString(limits.memoryLimit)}`,
        ...(limits.threads !== undefined ? [`SET threads = ${Math.max(1, Math.floor(limits.threads))}`] : []),
        `SET temp_directory = ${sqlString(tempDir)}`,
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
      if (this.closed) throw new QueryError('not_found', 'The workspace query engine was closed; retry.');
      const context = { timedOut: false, timeoutMs, memoryLimit: this.limits.memoryLimit, hidePaths: [this.workspaceReal, this.workspaceDir] };
      const timer = setTimeout(() => {
        context.timedOut = true;
        this.db.interrupt();
      }, timeoutMs);
      try {
        return await task();
      } catch (error) {
        throw toQueryError(error, context);
      } finally {
        clearTimeout(timer);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** (Re)creates view `name` over a Parquet file; the caller has checked the file is inside the workspace. */
  async pointView(name: string, file: string | null): Promise<void> {
    if (file === null) {
      if (this.views.has(name)) await this.db.run(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
      this.views.delete(name);
      return;
    }
    if (this.views.get(name) === file) return;
    await this.db.run(`CREATE OR REPLACE VIEW ${quoteIdent(name)} AS SELECT * FROM read_parquet(${sqlString(file)})`);
    this.views.set(name, file);
  }

  hasView(name: string): boolean {
    return this.views.has(name);
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

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
