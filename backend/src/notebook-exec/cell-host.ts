/**
 * The runner's `CellHost` over the workspace's notebook host (notebook-host.ts): SQL cells are
 * materialised as Parquet under their cache key, ts cells run in the QuickJS sandbox with the
 * workspace's `alm`. A table handle's id is the stored file's path inside the workspace
 * (`notebook-results/<key>.parquet`, `runs/<id>/<table>.parquet`): it names the table across
 * restarts and processes, and paging re-checks it lies inside this workspace (storedFile).
 */
import type { CellCall, CellHost, CellValue as RunnerValue, HostResult, Progress, SqlCell, SqlOutput, TableHandle, TsCell, TsOutput } from '@almready/notebooks';
import { FIRST_PAGE_ROWS } from '@almready/notebooks';
import type { PageRequest, PageResult } from '../data/query/index.ts';
import { createNotebookHost, type NotebookCellDeps, type NotebookHost } from './notebook-host.ts';
import { NotebookExecError, resultRef, runTableRef, RESULTS_DIR, type StoredTableRef } from './stored-tables.ts';
import type { CellValue as SandboxValue } from './ts-sandbox/cell-result.ts';
import { TERMINATE_GRACE_MS, TsSandbox, type SandboxWorkers } from './ts-sandbox/sandbox.ts';

export interface WorkspaceCellHost extends CellHost {
  /** A page of a stored table result (the query layer's paging, sorting and filtering). */
  page(table: TableHandle, request: Omit<PageRequest, 'table'>): Promise<PageResult>;
  /** Stops the sandbox worker of this host. */
  close(): Promise<void>;
}

export interface CellHostScope {
  workspace: { id: string; dir: string };
  user: { id: string };
  datasetId: string | null;
}

const NO_DATASET = 'this workspace has no dataset yet: upload one (or pick one) for SQL and TypeScript cells to read';

/** The file path inside the workspace back to the table reference it names; null for anything else. */
export function refOfHandle(id: string): StoredTableRef | null {
  const result = new RegExp(`^${RESULTS_DIR}/([a-f0-9]{32,64})\\.parquet$`).exec(id);
  if (result) return resultRef(result[1]!);
  const run = /^runs\/([0-9a-f-]{36})\/([a-z_]{1,40})\.parquet$/.exec(id);
  if (run) return runTableRef(run[1]!, run[2]!);
  return null;
}

const json = (rows: unknown): Record<string, RunnerValue>[] => JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as Record<string, RunnerValue>[];

export interface WorkspaceCellDeps extends Omit<NotebookCellDeps, 'sandbox'> {
  /** where the execution's sandbox takes its worker: the server's warm pool; by default one of its own */
  sandboxes?: SandboxWorkers;
}

export function createWorkspaceCellHost(deps: WorkspaceCellDeps, scope: CellHostScope): WorkspaceCellHost {
  let sandbox: TsSandbox | null = null;
  const hostFor = (signal: AbortSignal, progress?: (update: Progress) => void): NotebookHost | null => {
    if (scope.datasetId === null) return null;
    // built here, it takes a worker (warm, from the pool) only when the first ts cell runs
    sandbox ??= deps.sandboxes ? new TsSandbox(deps.sandboxes.limits, undefined, TERMINATE_GRACE_MS, deps.sandboxes) : new TsSandbox();
    // the engine's progress of the cell's `alm.run` calls becomes the cell's `running` progress
    const runs: NotebookCellDeps['runs'] = progress === undefined ? deps.runs : {
      start: (input) => deps.runs.start(input),
      cancel: (workspaceId, runId) => deps.runs.cancel(workspaceId, runId),
      subscribe: (runId, listener) => deps.runs.subscribe(runId, (event) => {
        if (event.type === 'progress') progress({ fraction: Math.min(1, Math.max(0, event.fraction)) });
        listener(event);
      }),
    };
    return createNotebookHost({ ...deps, runs, sandbox }, { workspace: scope.workspace, user: scope.user, datasetId: scope.datasetId, signal, firstPageRows: FIRST_PAGE_ROWS });
  };

  const handle = async (host: NotebookHost, ref: StoredTableRef, name: string): Promise<TableHandle> => {
    const first = await host.page(ref, { startRow: 0, endRow: FIRST_PAGE_ROWS });
    return { id: ref.file, name, rowCount: first.rowCount, columns: first.columns.map((c) => ({ name: c.name, type: c.type })), firstPage: json(first.rows) };
  };

  const tableInputs = (inputs: CellCall<SqlCell | TsCell>['inputs']): Record<string, StoredTableRef> => {
    const out: Record<string, StoredTableRef> = {};
    for (const [name, binding] of Object.entries(inputs)) {
      if (binding.kind !== 'table') continue;
      const ref = refOfHandle(binding.table.id);
      if (ref) out[name] = ref;
    }
    return out;
  };

  return {
    async runSql(call): Promise<HostResult<SqlOutput>> {
      const host = hostFor(call.signal);
      if (host === null) return { ok: false, message: NO_DATASET };
      const outcome = await host.runSql({ name: call.cell.name ?? call.cell.id, source: call.cell.source, cacheKey: call.cacheKey }, tableInputs(call.inputs));
      if (!outcome.ok) return { ok: false, message: outcome.error.message, ...lineOf(call.cell.source, outcome.error.position) };
      const { result } = outcome;
      return {
        ok: true,
        output: { kind: 'sql', table: { id: result.file, name: result.name, rowCount: result.rowCount, columns: result.columns, firstPage: json(result.firstPage.rows).slice(0, FIRST_PAGE_ROWS) } },
      };
    },

    async runTs(call): Promise<HostResult<TsOutput>> {
      const host = hostFor(call.signal, (update) => call.progress(update));
      if (host === null) return { ok: false, message: NO_DATASET };
      const tables = tableInputs(call.inputs);
      const values: Record<string, SandboxValue> = {};
      for (const [name, binding] of Object.entries(call.inputs)) {
        values[name] = binding.kind === 'value' ? (binding.value as SandboxValue) : { $almTable: tables[name]?.table ?? binding.table.id };
      }
      const byTableId = new Map(Object.values(tables).map((r) => [r.table, r]));
      const outcome = await host.runTs({ name: call.cell.name ?? call.cell.id, source: call.cell.source, cacheKey: call.cacheKey }, { values, tables: Object.fromEntries(Object.values(tables).map((r) => [r.table, r])) });
      const { result } = outcome;
      if (!result.ok) return { ok: false, message: result.error.message, ...(result.error.line ? { line: result.error.line } : {}), ...(result.error.column ? { column: result.error.column } : {}) };
      for (const [id, ref] of Object.entries(outcome.tables)) byTableId.set(id, ref);
      const handles: Record<string, TableHandle> = {};
      for (const [name, ref] of Object.entries(outcome.produced)) handles[name] = await handle(host, ref, name);
      const outputs: Record<string, RunnerValue> = {};
      for (const [name, value] of Object.entries(result.outputs)) {
        const ref = isTable(value) ? byTableId.get(value.$almTable) : undefined;
        if (ref) handles[name] = await handle(host, ref, name);
        else outputs[name] = value as RunnerValue;
      }
      return { ok: true, output: { kind: 'ts', values: outputs, tables: handles, console: result.console, views: storedViews(result.displays as TsOutput['views'], byTableId) } };
    },

    async page(table, request) {
      const ref = refOfHandle(table.id);
      if (ref === null || scope.datasetId === null) throw new NotebookExecError('not_found', `table "${table.name}" is not a stored result of this workspace`);
      const host = hostFor(new AbortController().signal)!;
      return host.page(ref, request);
    },

    /** Stops the sandbox: its worker, when no cell runs in it, goes back to the pool. */
    async close() {
      const open = sandbox;
      sandbox = null;
      await open?.close();
    },
  };
}

function isTable(value: SandboxValue): value is { $almTable: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $almTable?: unknown }).$almTable === 'string';
}

/** DuckDB's character offset in the cell's SQL as line and column (1-based). */
function lineOf(source: string, position: number | undefined): { line?: number; column?: number } {
  if (position === undefined || position < 0 || position > source.length) return {};
  const before = source.slice(0, position).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/**
 * `alm.grid(table)` / `alm.chart({data: table})` hold the sandbox's id of the table; the stored
 * output names it by its file inside the workspace instead (as table handles do), so a report
 * or a later process can page it without this execution's sandbox.
 */
function storedViews(views: TsOutput['views'], byTableId: ReadonlyMap<string, StoredTableRef>): TsOutput['views'] {
  const rewrite = (value: RunnerValue): RunnerValue => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(rewrite);
    if (isTable(value as SandboxValue)) {
      const id = (value as { $almTable: string }).$almTable;
      return { $almTable: byTableId.get(id)?.file ?? id };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
  };
  return views.map((view) => (view.type === 'grid' ? { ...view, data: rewrite(view.data) } : view.type === 'chart' ? { ...view, spec: rewrite(view.spec) } : view));
}
