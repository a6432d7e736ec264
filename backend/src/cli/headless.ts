/**
 * The server's services on a data directory, without an HTTP listener: SQLite, the DuckDB query
 * service, the worker pool, the run service and the notebook execution service, built as
 * server.ts builds them, so `almready run` executes a notebook through the same path as
 * `POST …/executions` and writes to the same execution log and output store.
 *
 * A server may be running on the same data directory at the same time (SQLite in WAL mode with a
 * busy timeout; DuckDB instances are in memory per process): the services are told they do not own
 * it, so the runs and executions the database says are running stay the server's.
 */
import type pino from 'pino';
import type { ExecutionEvent, NotebookDocument, OutputSummary, Parameters } from '@almready/notebooks';
import { limitsOf, DEFAULT_NOTEBOOK_LIMITS, type Config } from '../config.ts';
import { sandboxPoolFor, workspaceHostFactory } from '../notebook-exec/registry.ts';
import { NotebookExecService } from '../notebook-exec/service.ts';
import { openServices } from '../services.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';

export interface HeadlessCore {
  deps: WorkspaceDeps;
  exec: NotebookExecService;
  close(): Promise<void>;
}

export function openHeadless(config: Config, logger: pino.Logger): HeadlessCore {
  // the engine workers boot while the notebook is read and analysed; the server may own the data directory
  const services = openServices(config, logger, { ownsDataDir: false });
  const { db, queries, runs: runService } = services;
  const deps = services as WorkspaceDeps;
  const exec = new NotebookExecService(deps, {
    hostFactory: workspaceHostFactory(deps),
    perUser: (limitsOf(config).notebooks ?? DEFAULT_NOTEBOOK_LIMITS).executionsPerUser,
    ownsDataDir: false,
    sandboxes: sandboxPoolFor(deps),
  });
  deps.notebookExec = exec;
  let closing: Promise<void> | null = null;
  return {
    deps,
    exec,
    close: () => {
      closing ??= (async () => {
        await exec.close();
        await runService.close();
        await queries.closeAll();
        db.close();
      })();
      return closing;
    },
  };
}

export type CellStatus = 'done' | 'failed' | 'blocked' | 'cancelled' | 'stale' | 'queued';

/** One cell's end as `almready run` reports it (the `--json` summary's `cells`). */
export interface CellReport {
  id: string;
  name: string | null;
  kind: string;
  status: CellStatus;
  /** wall time of this cell in this execution (a stored output's lookup when fromCache) */
  durationMs: number | null;
  fromCache: boolean;
  /** exported scalars of a ts cell, the value of an input cell */
  scalars?: Record<string, string | number | boolean | null>;
  /** tables the cell made, with their row counts */
  tables?: { name: string; rowCount: number }[];
  message?: string;
  line?: number;
  column?: number;
  /** for a blocked cell: the cell upstream that failed */
  ancestor?: string;
}

export interface HeadlessExecution {
  executionId: string;
  status: 'done' | 'failed' | 'cancelled';
  durationMs: number;
  cells: CellReport[];
  /** why the execution could not start at all (the analysis failed) */
  error?: string;
}

export interface HeadlessRunInput {
  workspace: { id: string; dir: string };
  user: { id: string };
  datasetId: string | null;
  notebookId: string;
  version: number;
  document: NotebookDocument;
  parameters?: Parameters;
  /** each cell's report as soon as the cell has ended */
  onCell?: (cell: CellReport, index: number, total: number) => void;
  signal?: AbortSignal;
}

/** Runs every cell of the document through the execution service and waits for the end. */
export async function runNotebook(core: HeadlessCore, input: HeadlessRunInput): Promise<HeadlessExecution> {
  const { executionId } = core.exec.start({
    workspace: input.workspace, user: input.user, datasetId: input.datasetId,
    notebookId: input.notebookId, version: input.version, document: input.document, target: { scope: 'notebook' },
    ...(input.parameters ? { parameters: input.parameters } : {}),
  });
  const cancel = () => core.exec.cancel(input.workspace.id, executionId);
  input.signal?.addEventListener('abort', cancel, { once: true });
  const cellsById = new Map(input.document.cells.map((c) => [c.id, c]));
  const reports = new Map<string, CellReport>();
  let order: string[] = [];
  let startedAt = 0;
  let lastEnd = 0;
  const running = new Map<string, number>();
  let finished: Extract<ExecutionEvent, { type: 'execution-finished' }> | undefined;
  const end = (id: string, at: number, report: Omit<CellReport, 'id' | 'name' | 'kind' | 'durationMs'> & { durationMs?: number | null }) => {
    const cell = cellsById.get(id);
    const from = running.get(id) ?? lastEnd;
    const full: CellReport = { id, name: cell?.name ?? null, kind: cell?.kind ?? 'unknown', durationMs: report.durationMs === undefined ? Math.max(0, at - from) : report.durationMs, ...report };
    reports.set(id, full);
    lastEnd = at;
    input.onCell?.(full, reports.size, order.length);
  };
  try {
    const never = new AbortController().signal;
    for await (const event of core.exec.events(input.workspace.id, executionId, -1, never)) {
      switch (event.type) {
        case 'execution-started': order = event.cells; startedAt = event.at; lastEnd = event.at; break;
        case 'running': if (!running.has(event.cellId)) running.set(event.cellId, event.at); break;
        case 'done': end(event.cellId, event.at, { status: 'done', fromCache: event.fromCache, ...summaryFields(event.summary) }); break;
        case 'failed': end(event.cellId, event.at, { status: 'failed', fromCache: false, message: event.message, ...(event.line ? { line: event.line } : {}), ...(event.column ? { column: event.column } : {}) }); break;
        case 'blocked': end(event.cellId, event.at, { status: 'blocked', fromCache: false, durationMs: null, ancestor: event.ancestor, message: event.reason }); break;
        case 'stale': end(event.cellId, event.at, { status: 'stale', fromCache: false, durationMs: null, message: event.reason }); break;
        case 'cancelled': if (!reports.has(event.cellId)) end(event.cellId, event.at, { status: 'cancelled', fromCache: false, durationMs: null }); break;
        case 'execution-finished': finished = event; break;
        case 'queued': break;
      }
    }
    await core.exec.settled(executionId);
  } finally {
    input.signal?.removeEventListener('abort', cancel);
  }
  const cells = order.map((id) => reports.get(id) ?? { id, name: cellsById.get(id)?.name ?? null, kind: cellsById.get(id)?.kind ?? 'unknown', status: 'queued' as const, durationMs: null, fromCache: false });
  return {
    executionId,
    status: finished?.status ?? 'failed',
    durationMs: Math.max(0, (finished?.at ?? lastEnd) - startedAt),
    cells,
    ...(finished?.error !== undefined ? { error: finished.error } : {}),
  };
}

function summaryFields(summary: OutputSummary): Pick<CellReport, 'scalars' | 'tables'> {
  switch (summary.kind) {
    case 'sql': return { tables: [{ name: summary.table.name, rowCount: summary.table.rowCount }] };
    case 'ts': return { scalars: summary.scalars, tables: summary.tables.map((t) => ({ name: t.name, rowCount: t.rowCount })) };
    case 'input': return { scalars: { value: Array.isArray(summary.value) ? summary.value.join(',') : summary.value } };
    case 'chart': case 'grid': return { tables: [{ name: summary.data, rowCount: summary.rowCount }] };
    case 'markdown': return {};
  }
}
