/**
 * Calculation runs: queue, run in the worker pool, stream progress, persist status and results.
 * The SQLite row is the record; in-memory listeners only carry live events to SSE clients.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withoutPaths } from '../data/import/read-error.ts';
import { limitsOf, type Limits } from '../config.ts';
import { apiError } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { newId } from '../workspaces/ids.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { failInterruptedRuns, finishRun, getRun, insertRun, markRunning, setProgress, type Run } from './repository.ts';
import { migrateLegacyResult, resultFile, runDir, runTableName } from './result-files.ts';
import type { RunSettings } from './settings.ts';
import { WorkerPool } from './worker-pool.ts';
import { RESULT_TABLES, type WorkerMessage } from './worker-protocol.ts';

/** The events of a run's SSE stream: the contract's (@almready/contracts runs.ts). */
export type { RunEvent } from '@almready/contracts';
import type { RunEvent } from '@almready/contracts';

/** Sizes default to the server configuration (config.ts: ALMREADY_RUN_WORKERS, ALMREADY_RUNS_PER_USER, ALMREADY_RUNS_QUEUED_PER_USER). */
export interface RunServiceOptions {
  poolSize?: number;
  perUserLimit?: number;
  queuedPerUser?: number;
  /**
   * false when another process (a running server) may own the data directory, as for `almready
   * run`: runs its rows say are queued or running are then that process's, not leftovers of a stop.
   */
  ownsDataDir?: boolean;
}

export interface RunService {
  start(input: { workspaceId: string; workspaceDir: string; datasetId: string; settings: RunSettings; userId: string }): Run;
  cancel(workspaceId: string, runId: string): Run | undefined;
  subscribe(runId: string, listener: (event: RunEvent) => void): () => void;
  /** Live event listeners of a run (SSE clients). */
  subscribers(runId: string): number;
  /** Stops and forgets the runs of a workspace about to be deleted. */
  cancelWorkspace(workspaceId: string): Promise<void>;
  stats(): { running: number; queued: number };
  close(): Promise<void>;
}

const services = new WeakMap<object, RunService>();

/**
 * Makes a finished run's tables queryable: `run_<short id>_<table>` in its workspace, and
 * `result_<table>` (the dataset's latest run) for SQL and grids on its dataset. A run of the
 * earlier layout (result.json only) gets its Parquet files first. Returns false when the run has
 * no result files.
 */
export async function registerRun(deps: WorkspaceDeps, workspaceDir: string, datasetId: string, runId: string): Promise<boolean> {
  const dir = runDir(workspaceDir, runId);
  if (!(await migrateLegacyResult(dir).catch((error: unknown) => { deps.logger.warn({ err: error, runId }, 'earlier result.json not readable'); return false; }))) return false;
  const queries = deps.queries;
  if (!queries?.registerTable) return true;
  for (const name of RESULT_TABLES) {
    const file = resultFile(dir, name);
    if (!existsSync(file)) continue;
    const table = runTableName(runId, name);
    try {
      await queries.registerTable(workspaceDir, table, file);
      await queries.setDatasetAlias?.(workspaceDir, datasetId, `result_${name}`, table);
    } catch (error) {
      deps.logger.warn({ err: error, table }, 'result table not registered');
    }
  }
  return true;
}

/** The run service of a deps object, created on first use (the server core normally creates it at start). */
export function runServiceFor(deps: WorkspaceDeps): RunService {
  const existing = services.get(deps);
  if (existing) return existing;
  const service = createRunService(deps);
  if (!deps.runs) deps.runs = service;
  return service;
}

export function createRunService(deps: WorkspaceDeps, options: RunServiceOptions = {}): RunService {
  const limits = limitsOf(deps.config as { limits?: Limits }).runs;
  const poolSize = options.poolSize ?? limits.workers;
  const perUser = options.perUserLimit ?? limits.perUser;
  const queuedPerUser = options.queuedPerUser ?? limits.queuedPerUser;
  // The server's pool when it has one and no size is asked for here (tests ask for their own).
  const shared = options.poolSize === undefined && options.perUserLimit === undefined ? deps.jobs : undefined;
  const pool = new WorkerPool(poolSize, perUser, shared);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const byWorkspace = new Map<string, Set<string>>();
  const outDirs = new Map<string, string>();
  if (options.ownsDataDir ?? true) failInterruptedRuns(deps.db, new Date().toISOString());

  const emit = (runId: string, event: RunEvent) => events.emit(runId, event);
  // Every finished run's tables are queryable as run_<short id>_<table>; result_<table> in SQL on
  // a dataset means the latest finished run of that dataset (registerRun, result-files.ts).
  const restoreResults = async () => {
    const runs = deps.db
      .prepare(`SELECT r.id, r.workspace_id, r.dataset_id, w.owner_id FROM runs r JOIN workspaces w ON w.id = r.workspace_id
        WHERE r.status = 'done' ORDER BY r.finished_at, r.id`)
      .all() as { id: string; workspace_id: string; dataset_id: string; owner_id: string }[];
    for (const run of runs) {
      const dir = workspaceDir(deps.config.dataDir, run.owner_id, run.workspace_id);
      await registerRun(deps, dir, run.dataset_id, run.id);
    }
  };
  const restored = restoreResults().catch((error: unknown) => deps.logger.warn({ err: error }, 'result tables of earlier runs not restored'));

  const forget = (workspaceId: string, runId: string) => {
    byWorkspace.get(workspaceId)?.delete(runId);
    outDirs.delete(runId);
  };

  const fail = (workspaceId: string, runId: string, message: string) => {
    forget(workspaceId, runId);
    if (finishRun(deps.db, runId, { status: 'failed', error: message }, new Date().toISOString())) emit(runId, { type: 'failed', message });
  };

  const service: RunService = {
    start({ workspaceId, workspaceDir, datasetId, settings, userId }) {
      // Refused before anything is written: no run row, no folder.
      if (pool.waiting(userId) >= queuedPerUser) {
        throw apiError(429, 'too_many_runs', `You already have ${queuedPerUser} runs waiting for a calculation worker; wait for one to start or cancel one, then start this again.`);
      }
      const id = newId();
      insertRun(deps.db, { id, workspaceId, datasetId, settings, userId, now: new Date().toISOString() });
      const outDir = runDir(workspaceDir, id);
      mkdirSync(outDir, { recursive: true });
      outDirs.set(id, outDir);
      if (!byWorkspace.has(workspaceId)) byWorkspace.set(workspaceId, new Set());
      byWorkspace.get(workspaceId)!.add(id);
      let lastWrite = 0;
      pool.submit({
        id,
        userId,
        request: { type: 'run', runId: id, datasetDir: join(workspaceDir, 'datasets', datasetId), outDir, settings },
        onStart: () => markRunning(deps.db, id, new Date().toISOString()),
        onMessage: (message: WorkerMessage) => {
          if (message.type === 'progress') {
            const now = Date.now();
            // The row is for pollers; SSE gets every event. Throttle writes to keep SQLite quiet.
            if (now - lastWrite > 250 || message.fraction >= 1) {
              lastWrite = now;
              setProgress(deps.db, id, message.phase, message.fraction);
            }
            emit(id, message);
          } else if (message.type === 'failed') {
            fail(workspaceId, id, message.message);
          } else if (message.type === 'done') {
            // The worker has written the Parquet files; the run is done once they are queryable.
            forget(workspaceId, id);
            if (!finishRun(deps.db, id, { status: 'done', summary: message.summary }, new Date().toISOString())) return;
            return restored.then(() => registerRun(deps, workspaceDir, datasetId, id)).then(() => { emit(id, { type: 'done', summary: message.summary }); });
          }
        },
        onExit: (error) => {
          if (error) deps.logger.error({ err: error, runId: id }, 'calculation worker crashed');
          fail(workspaceId, id, error ? `The calculation stopped unexpectedly: ${withoutPaths(error.message)}` : 'The calculation ended without a result.');
        },
      });
      return getRun(deps.db, workspaceId, id)!;
    },

    cancel(workspaceId, runId) {
      const run = getRun(deps.db, workspaceId, runId);
      if (!run) return undefined;
      if (run.status === 'queued' || run.status === 'running') {
        pool.cancel(runId);
        const dir = outDirs.get(runId);
        forget(workspaceId, runId);
        if (finishRun(deps.db, runId, { status: 'cancelled' }, new Date().toISOString())) emit(runId, { type: 'cancelled' });
        // A cancelled run keeps no partial results.
        if (dir) rmSync(dir, { force: true, recursive: true });
      }
      return getRun(deps.db, workspaceId, runId);
    },

    subscribe(runId, listener) {
      events.on(runId, listener);
      return () => events.off(runId, listener);
    },

    async cancelWorkspace(workspaceId) {
      for (const runId of byWorkspace.get(workspaceId) ?? []) {
        pool.cancel(runId);
        emit(runId, { type: 'cancelled' });
      }
      byWorkspace.delete(workspaceId);
    },

    subscribers: (runId) => events.listenerCount(runId),

    stats: () => pool.stats(),

    async close() {
      const stopped = await pool.close();
      const now = new Date().toISOString();
      for (const id of stopped) finishRun(deps.db, id, { status: 'failed', error: 'The server stopped during this run; start it again.' }, now);
    },
  };
  services.set(deps, service);
  return service;
}
