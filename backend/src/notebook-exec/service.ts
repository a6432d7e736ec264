/**
 * Notebook executions of a server: starts the runner on one saved version of a notebook, keeps
 * the running ones (by workspace, by user: at most `perUser` at once, else 429), cancels them,
 * writes every event to the ExecutionLog and every output to the workspace's output store.
 * Outputs are keyed by content (source, inputs, dataset, engine), so two users running the same
 * notebook at once never overwrite each other's outputs with another version's.
 */
import { randomUUID } from 'node:crypto';
import { ENGINE_VERSION } from '@almready/engine';
import {
  ExecutionRequestError, NotebookRunner, resolveInputValues, storedOutputs,
  type AnalyseNotebook, type CellHost, type ExecutionEvent, type ExecutionResult, type NotebookDocument, type Parameters, type RunTarget, type StartedExecution,
} from '@almready/notebooks';
import { analyseNotebook } from '@almready/notebooks/analysis';
import { openDuckDb, type DuckDb } from '../data/duckdb.ts';
import { apiError } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { ExecutionLog, finishInterrupted, type ExecutionRow } from './execution-log.ts';
import { WorkspaceOutputStore } from './output-store.ts';
import { sqlReferencePort } from './sql-references.ts';

export interface HostScope {
  workspace: { id: string; dir: string };
  user: { id: string };
  datasetId: string | null;
}

/** Builds the cells' host for one execution (the workspace's DuckDB and sandbox; a test host in tests). */
export type CellHostFactory = (scope: HostScope) => CellHost & { close?(): Promise<void> };

export interface NotebookExecOptions {
  hostFactory: CellHostFactory;
  /** running executions one user may have at once (default 3) */
  perUser?: number;
  engineVersion?: string;
  /**
   * false when another process (a running server) may own the data directory, as for `almready
   * run`: executions the log says are running are then that process's, not leftovers of a stop.
   */
  ownsDataDir?: boolean;
  /** the warm sandbox workers the hosts use, stopped when the service closes */
  sandboxes?: { close(): Promise<void> };
}

export interface StartInput extends HostScope {
  notebookId: string;
  version: number;
  document: NotebookDocument;
  target: RunTarget;
  parameters?: Parameters;
}

interface Running {
  workspaceId: string;
  userId: string;
  started: StartedExecution;
}

export class NotebookExecService {
  private readonly running = new Map<string, Running>();
  private sqlParser: Promise<DuckDb> | null = null;
  private readonly analyse: AnalyseNotebook;
  readonly engineVersion: string;
  private readonly perUser: number;

  constructor(private readonly deps: Pick<WorkspaceDeps, 'db' | 'logger'>, private readonly options: NotebookExecOptions) {
    this.engineVersion = options.engineVersion ?? ENGINE_VERSION;
    this.perUser = options.perUser ?? 3;
    // nothing runs yet in this process: what the log says is running was cut off by a stop
    const closed = (options.ownsDataDir ?? true) ? finishInterrupted(deps.db) : 0;
    if (closed > 0) deps.logger.warn({ executions: closed }, 'notebook executions interrupted by the last stop were marked failed');
    // DuckDB's own parser reads SQL cells' table references (nothing is bound or run there)
    this.analyse = async (doc) => analyseNotebook(doc, sqlReferencePort(await (this.sqlParser ??= openDuckDb(':memory:'))));
  }

  log(workspaceId: string): ExecutionLog {
    return new ExecutionLog(this.deps.db, workspaceId);
  }

  store(workspace: { id: string; dir: string }): WorkspaceOutputStore {
    return new WorkspaceOutputStore(this.deps.db, workspace.id, workspace.dir, (m) => this.deps.logger.warn(m));
  }

  /** Starts the execution and returns its id at once; bad targets or parameters are a 422 naming each problem. */
  start(input: StartInput): { executionId: string } {
    return { executionId: this.run(input).executionId };
  }

  /** As `start`, with the execution's result (settles when the execution has ended; publishing awaits it). */
  run(input: StartInput): { executionId: string; result: Promise<ExecutionResult> } {
    const mine = [...this.running.values()].filter((r) => r.userId === input.user.id).length;
    if (mine >= this.perUser) {
      throw apiError(429, 'too_many_executions', `You already have ${mine} notebook executions running (at most ${this.perUser}); wait for one to finish or cancel it.`);
    }
    const host = this.options.hostFactory({ workspace: input.workspace, user: input.user, datasetId: input.datasetId });
    const runner = new NotebookRunner({
      host,
      store: this.store(input.workspace),
      analyse: this.analyse,
      engineVersion: this.engineVersion,
      newExecutionId: randomUUID,
    });
    let started: StartedExecution;
    try {
      started = runner.start({
        snapshot: { notebookId: input.notebookId, version: input.version, document: input.document },
        target: input.target,
        ...(input.parameters ? { parameters: input.parameters } : {}),
        datasetId: input.datasetId,
      });
    } catch (error) {
      if (error instanceof ExecutionRequestError) throw apiError(422, 'validation_failed', error.problems.join('; '), { problems: error.problems });
      throw error;
    }
    const { execution } = started;
    const unsubscribe = this.log(input.workspace.id).record(execution, { notebookId: input.notebookId, version: input.version, startedBy: input.user.id }, (error) => {
      this.deps.logger.error({ err: error, executionId: execution.id }, 'notebook execution event not written');
    });
    this.running.set(execution.id, { workspaceId: input.workspace.id, userId: input.user.id, started });
    void execution.result
      .catch((error: unknown) => this.deps.logger.error({ err: error, executionId: execution.id }, 'notebook execution failed'))
      .finally(() => {
        unsubscribe();
        this.running.delete(execution.id);
        void host.close?.().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'notebook host did not close'));
      });
    return { executionId: execution.id, result: execution.result };
  }

  /** Cancels a running execution of the workspace; false when it is not running here. */
  cancel(workspaceId: string, executionId: string): boolean {
    const running = this.running.get(executionId);
    if (!running || running.workspaceId !== workspaceId) return false;
    running.started.cancel();
    return true;
  }

  /** Stops every running execution of the workspace (before it is deleted) and waits for them to end. */
  async cancelWorkspace(workspaceId: string): Promise<void> {
    const mine = [...this.running.values()].filter((r) => r.workspaceId === workspaceId);
    for (const running of mine) running.started.cancel();
    await Promise.all(mine.map((r) => r.started.execution.result.catch(() => undefined)));
  }

  /** Resolves once the execution has ended here (at once if it is not running in this process). */
  async settled(executionId: string): Promise<void> {
    await this.running.get(executionId)?.started.execution.result.catch(() => undefined);
  }

  /**
   * The events after `afterSeq`, then live ones until the execution ends. A running execution of
   * this process streams from memory; any other (finished, or running in another server process on
   * the data directory) is read from the log, polling while it runs.
   */
  async *events(workspaceId: string, executionId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<ExecutionEvent> {
    const running = this.running.get(executionId);
    if (running && running.workspaceId === workspaceId) {
      yield* running.started.execution.events(afterSeq);
      return;
    }
    const log = this.log(workspaceId);
    let last = afterSeq;
    while (!signal.aborted) {
      for (const event of log.events(executionId, last) ?? []) {
        last = event.seq;
        yield event;
        if (event.type === 'execution-finished') return;
      }
      if (log.get(executionId)?.status !== 'running') return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Every cell's stored output for the version, at the given inputs (defaults), without running anything. */
  async outputs(workspace: { id: string; dir: string }, notebookId: string, version: number, document: NotebookDocument, datasetId: string | null, parameters?: Parameters) {
    const inputs = resolveInputValues(document, parameters);
    if (!inputs.ok) throw apiError(422, 'validation_failed', inputs.errors.join('; '), { problems: inputs.errors });
    const analysis = await this.analyse(document);
    const stored = await storedOutputs(document, analysis, { datasetId, engineVersion: this.engineVersion, inputValues: inputs.values }, this.store(workspace));
    const cells = document.cells.map((cell) => {
      const entry = stored.get(cell.id);
      return {
        cellId: cell.id,
        cacheKey: entry?.cacheKey ?? null,
        output: entry?.stored?.output ?? null,
        durationMs: entry?.stored?.durationMs ?? null,
        createdAt: entry?.stored?.createdAt ?? null,
      };
    });
    return { notebookId, version, datasetId, cells, executions: this.log(workspace.id).latest(notebookId, version).map(summary) };
  }

  runningCount(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    for (const running of this.running.values()) running.started.cancel();
    await Promise.all([...this.running.values()].map((r) => r.started.execution.result.catch(() => undefined)));
    await this.options.sandboxes?.close();
    const parser = this.sqlParser;
    this.sqlParser = null;
    if (parser) (await parser).close();
  }
}

const POLL_MS = 250;

export function summary(row: ExecutionRow) {
  return { id: row.id, notebookId: row.notebookId, version: row.version, status: row.status, startedAt: row.startedAt, finishedAt: row.finishedAt };
}
