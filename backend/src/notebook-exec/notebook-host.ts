/**
 * What the notebook runner calls to execute cells against one workspace's data: one object per
 * (workspace, user, dataset, cancel signal), with `runSql`, `runTs` and `page`. Failures a user
 * can fix come back as `{ok: false, error}` with a kind and HTTP-like status (a syntax error is
 * 422, a refused statement 403); anything else throws (a server fault, logged by the caller).
 */
import { AppError } from '../app-error.ts';
import type { PageRequest, PageResult } from '../data/query/index.ts';
import { materialise, pageStored, type SqlScope, type StoredTable } from './cell-sql.ts';
import { checkResultName, NotebookExecError, type StoredTableRef } from './stored-tables.ts';
import type { CellResult, CellValue } from './ts-sandbox/cell-result.ts';
import type { CellRun } from './ts-sandbox/sandbox.ts';
import type { AlmHost } from './ts-sandbox/alm-host.ts';
import { WorkspaceAlmHost, type NotebookHostDeps } from './workspace-host.ts';

export interface NotebookHostOptions {
  workspace: { id: string; dir: string };
  user: { id: string };
  datasetId: string;
  signal?: AbortSignal;
  /** rows of the first page an SQL cell answers with (default 100, at most 10,000) */
  firstPageRows?: number;
}

export interface NotebookSandbox {
  run(cell: CellRun, host: AlmHost): Promise<CellResult>;
  cancel(): boolean;
}

export interface NotebookCellDeps extends NotebookHostDeps {
  /** where `ts` cells run (a TsSandbox; the runner keeps one per concurrent cell) */
  sandbox: NotebookSandbox;
}

export interface CellIdentity {
  /** the name later cells use: the SQL result's table name, the prefix of a ts cell's run tables */
  name: string;
  source: string;
  /** the cell's output cache key (hex): the stored file's name */
  cacheKey: string;
}

export interface CellFailure { kind: NotebookExecError['kind'] | 'error' | 'timeout' | 'memory'; status: number; message: string; position?: number }

export type SqlCellOutcome =
  | { ok: true; result: StoredTable & { name: string; firstPage: PageResult } }
  | { ok: false; error: CellFailure };

export interface TsCellInputs {
  /** other cells' outputs this cell reads (tables as `{$almTable: id}` of `tables`) */
  values: Record<string, CellValue>;
  /** every earlier table result of the notebook by name (SQL results, `<cell>_eve`, …) */
  tables: Record<string, StoredTableRef>;
}

export interface TsCellOutcome {
  result: CellResult;
  /** tables the cell made, by the name later cells use (`<cell>_eve`, …) */
  produced: Record<string, StoredTableRef>;
  /** where each table id the cell was handed or made is stored (to keep exported handles) */
  tables: Record<string, StoredTableRef>;
  runIds: string[];
  /**
   * Earlier results the cell read by name (`alm.table("x")`, `FROM x` in `alm.sql`), tables it
   * made in the same cell excluded: dependencies static analysis of free identifiers cannot see.
   */
  reads: string[];
}

export interface NotebookHost {
  runSql(cell: CellIdentity, inputs: Record<string, StoredTableRef>): Promise<SqlCellOutcome>;
  runTs(cell: CellIdentity, inputs: TsCellInputs): Promise<TsCellOutcome>;
  page(table: StoredTableRef, request: Omit<PageRequest, 'table'>): Promise<PageResult>;
}

export function createNotebookHost(deps: NotebookCellDeps, options: NotebookHostOptions): NotebookHost {
  const scope: SqlScope = { queries: deps.queries, workspaceDir: options.workspace.dir, datasetId: options.datasetId, signal: options.signal };
  const firstPageRows = Math.min(10_000, Math.max(0, Math.floor(options.firstPageRows ?? 100)));
  return {
    async runSql(cell, inputs) {
      try {
        checkResultName(cell.name);
        const table = await materialise(scope, { sql: cell.source, inputs, cacheKey: cell.cacheKey });
        const firstPage = await pageStored(scope, table, { startRow: 0, endRow: firstPageRows });
        return { ok: true, result: { ...table, name: cell.name, firstPage } };
      } catch (error) {
        return { ok: false, error: failure(error) };
      }
    },

    async runTs(cell, inputs) {
      checkResultName(cell.name);
      const host = new WorkspaceAlmHost(deps, { workspaceId: options.workspace.id, workspaceDir: options.workspace.dir, userId: options.user.id, datasetId: options.datasetId, signal: options.signal }, cell, inputs.tables);
      const onAbort = () => deps.sandbox.cancel();
      options.signal?.addEventListener('abort', onAbort);
      try {
        const result = await deps.sandbox.run({ source: cell.source, inputs: inputs.values }, host);
        const reads = [...host.reads].filter((name) => !Object.hasOwn(host.produced, name)).sort();
        return { result, produced: { ...host.produced }, tables: { ...host.tables }, runIds: [...host.runIds], reads };
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    },

    page(table, request) {
      return pageStored(scope, table, request);
    },
  };
}

function failure(error: unknown): CellFailure {
  if (error instanceof NotebookExecError) return { kind: error.kind, status: error.status, message: error.message, ...(error.position === undefined ? {} : { position: error.position }) };
  if (error instanceof AppError && error.status < 500) {
    const kind = error.code === 'timeout' ? 'timeout' : error.code === 'memory_limit' ? 'memory' : error.code === 'forbidden_statement' ? 'forbidden' : error.code === 'not_found' ? 'not_found' : 'error';
    // A statement DuckDB could not bind (unknown table or column, wrong type) is the cell's to fix.
    return { kind, status: error.status === 400 ? 422 : error.status, message: error.message };
  }
  throw error;
}
