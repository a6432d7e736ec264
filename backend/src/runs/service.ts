/**
 * Calculation runs: queue, run in the worker pool, stream progress, persist status and results.
 * The SQLite row is the record; in-memory listeners only carry live events to SSE clients.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import { withoutPaths } from '../data/import/read-error.ts';
import { runLimitsOf, type Limits } from '../config.ts';
import { apiError } from '../workspaces/api-error.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { newId } from '../workspaces/ids.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { failInterruptedRuns, finishRun, getRun, insertRun, markRunning, setProgress, type Run } from './repository.ts';
import { migrateLegacyResult, resultFile, runDir, runTableName } from './result-files.ts';
import { DatasetCache, type DatasetCacheStats } from './dataset-cache.ts';
import type { RunSettings } from './settings.ts';
import type { SharedDataset } from './shared-dataset.ts';
import { RunCrashed, RunFailed, RunJobs, RunStopped, loadShared, runSplit } from './split-run.ts';
import { WorkerPool } from './worker-pool.ts';
import { RESULT_TABLES } from './worker-protocol.ts';

/** The events of a run's SSE stream: the contract's (@almready/contracts runs.ts). */
export type { RunEvent } from '@almready/contracts';
import type { RunEvent } from '@almready/contracts';

/**
 * Sizes default to the server configuration (config.ts: ALMREADY_RUN_WORKERS, ALMREADY_RUNS_PER_USER,
 * ALMREADY_RUNS_QUEUED_PER_USER, ALMREADY_RUN_SPLIT_MIN_POSITIONS, ALMREADY_RUN_SPLIT_PARTS, ALMREADY_RUN_CACHE_MB).
 */
export interface RunServiceOptions {
  poolSize?: number;
  perUserLimit?: number;
  queuedPerUser?: number;
  /**
   * false when another process (a running server) may own the data directory, as for `almready
   * run`: runs its rows say are queued or running are then that process's, not leftovers of a stop.
   */
  ownsDataDir?: boolean;
  splitMinPositions?: number;
  splitParts?: number;
  cacheMb?: number;
}

export interface RunService {
  start(input: { workspaceId: string; workspaceDir: string; datasetId: string; settings: RunSettings; userId: string }): Run;
  cancel(workspaceId: string, runId: string): Run | undefined;
  subscribe(runId: string, listener: (event: RunEvent) => void): () => void;
  /** Live event listeners of a run (SSE clients). */
  subscribers(runId: string): number;
  /** Stops and forgets the runs of a workspace about to be deleted (and its datasets' cached columns). */
  cancelWorkspace(workspaceId: string): Promise<void>;
  /** Forgets the cached columns of a dataset being deleted. */
  forgetDataset(datasetDir: string): void;
  /** Jobs on the pool (a split run has several at once). */
  stats(): { running: number; queued: number };
  cacheStats(): DatasetCacheStats;
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
  const limits = runLimitsOf(deps.config as { limits?: Limits });
  const poolSize = options.poolSize ?? limits.workers;
  const perUser = options.perUserLimit ?? limits.perUser;
  const queuedPerUser = options.queuedPerUser ?? limits.queuedPerUser;
  const splitMinPositions = options.splitMinPositions ?? limits.splitMinPositions;
  // a part waiting for a worker delays the whole run: no more parts than a user's runs may use at once
  const splitParts = Math.max(1, Math.min(options.splitParts ?? limits.splitParts, poolSize, perUser));
  const cache = new DatasetCache((options.cacheMb ?? limits.cacheMb) * 1024 * 1024);
  // The server's pool when it has one and no size is asked for here (tests ask for their own).
  const shared = options.poolSize === undefined && options.perUserLimit === undefined ? deps.jobs : undefined;
  const pool = new WorkerPool(poolSize, perUser, shared);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const byWorkspace = new Map<string, Set<string>>();
  /** runs not finished: their jobs, their folder, whether one of their jobs has started */
  const active = new Map<string, { jobs: RunJobs; outDir: string; userId: string; started: boolean }>();
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
    active.delete(runId);
  };

  const fail = (workspaceId: string, runId: string, message: string) => {
    forget(workspaceId, runId);
    if (finishRun(deps.db, runId, { status: 'failed', error: message }, new Date().toISOString())) emit(runId, { type: 'failed', message });
  };

  /** Runs of `userId` whose first job has not started yet (the queued-per-user limit counts runs, not their parts). */
  const waitingRuns = (userId: string) => {
    let count = 0;
    for (const run of active.values()) if (run.userId === userId && !run.started) count += 1;
    return count;
  };

  const service: RunService = {
    start({ workspaceId, workspaceDir, datasetId, settings, userId }) {
      // Refused before anything is written: no run row, no folder.
      if (waitingRuns(userId) >= queuedPerUser) {
        throw apiError(429, 'too_many_runs', `You already have ${queuedPerUser} runs waiting for a calculation worker; wait for one to start or cancel one, then start this again.`);
      }
      const id = newId();
      const requestedAt = Date.now();
      insertRun(deps.db, { id, workspaceId, datasetId, settings, userId, now: new Date(requestedAt).toISOString() });
      const outDir = runDir(workspaceDir, id);
      mkdirSync(outDir, { recursive: true });
      if (!byWorkspace.has(workspaceId)) byWorkspace.set(workspaceId, new Set());
      byWorkspace.get(workspaceId)!.add(id);
      let lastWrite = 0;
      const jobs = new RunJobs(pool, id, userId, {
        holdSlots: true,
        onStart: () => {
          const run = active.get(id);
          if (run) run.started = true;
          markRunning(deps.db, id, new Date().toISOString());
        },
        onProgress: (phase, fraction) => {
          const now = Date.now();
          // The row is for pollers; SSE gets every event. Throttle writes to keep SQLite quiet.
          if (now - lastWrite > 250 || fraction >= 1) {
            lastWrite = now;
            setProgress(deps.db, id, phase, fraction);
          }
          emit(id, { type: 'progress', phase, fraction });
        },
      });
      active.set(id, { jobs, outDir, userId, started: false });
      const datasetDir = join(workspaceDir, 'datasets', datasetId);

      const compute = (dataset: SharedDataset, load: { cached: boolean; loadMs: number }) => {
        const parts = dataset.positions.length >= splitMinPositions ? splitParts : 1;
        return runSplit(jobs, dataset, settings, { parts, outDir, startedAt: requestedAt }).then(({ summary }) => ({ summary: { ...summary, compute: { ...load, parts } } }));
      };
      // A cached dataset's first job is submitted now, so a run with a free worker is `running` when this returns.
      const cached = cache.get(datasetDir);
      const outcome = cached
        ? compute(cached, { cached: true, loadMs: 0 })
        : loadShared(jobs, datasetDir).then(({ dataset, loadMs }) => {
          // a dataset deleted while it loaded is not cached
          if (existsSync(datasetDir)) cache.put(datasetDir, dataset);
          return compute(dataset, { cached: false, loadMs });
        });
      outcome.then(
        ({ summary }) => {
          // each job's wall, CPU and waiting-for-a-CPU ms: where a run's time went
          deps.logger.info({ runId: id, positions: summary.positions, elapsedMs: summary.elapsedMs, ...summary.compute, jobs: jobs.times }, 'run done');
          // The ending job has written the Parquet files; the run is done once they are queryable.
          forget(workspaceId, id);
          if (!finishRun(deps.db, id, { status: 'done', summary }, new Date().toISOString())) return;
          return restored.then(() => registerRun(deps, workspaceDir, datasetId, id)).then(() => { emit(id, { type: 'done', summary }); });
        },
        (error: unknown) => {
          jobs.release();
          if (error instanceof RunStopped) return;
          if (error instanceof RunFailed) return fail(workspaceId, id, error.message);
          if (error instanceof RunCrashed) {
            if (error.crash) deps.logger.error({ err: error.crash, runId: id }, 'calculation worker crashed');
            return fail(workspaceId, id, withoutPaths(error.message));
          }
          deps.logger.error({ err: error, runId: id }, 'run failed');
          fail(workspaceId, id, `The calculation stopped unexpectedly: ${withoutPaths(error instanceof Error ? error.message : String(error))}`);
        },
      )
        .catch((error: unknown) => deps.logger.error({ err: error, runId: id }, 'finished run not recorded'))
        // the run's slot was kept until its outcome is recorded (holdSlots)
        .finally(() => jobs.release());
      return getRun(deps.db, workspaceId, id)!;
    },

    cancel(workspaceId, runId) {
      const run = getRun(deps.db, workspaceId, runId);
      if (!run) return undefined;
      if (run.status === 'queued' || run.status === 'running') {
        const live = active.get(runId);
        // every part, queued or computing, stops; no later job is submitted
        live?.jobs.stop(new RunStopped('cancelled'));
        forget(workspaceId, runId);
        if (finishRun(deps.db, runId, { status: 'cancelled' }, new Date().toISOString())) emit(runId, { type: 'cancelled' });
        // A cancelled run keeps no partial results.
        if (live) rmSync(live.outDir, { force: true, recursive: true });
      }
      return getRun(deps.db, workspaceId, runId);
    },

    subscribe(runId, listener) {
      events.on(runId, listener);
      return () => events.off(runId, listener);
    },

    async cancelWorkspace(workspaceId) {
      for (const runId of byWorkspace.get(workspaceId) ?? []) {
        active.get(runId)?.jobs.stop(new RunStopped('workspace deleted'));
        active.delete(runId);
        emit(runId, { type: 'cancelled' });
      }
      byWorkspace.delete(workspaceId);
      cache.dropWhere((datasetDir) => datasetDir.includes(`${sep}${workspaceId}${sep}datasets${sep}`));
    },

    forgetDataset(datasetDir) {
      cache.drop(datasetDir);
    },

    subscribers: (runId) => events.listenerCount(runId),

    stats: () => pool.stats(),

    cacheStats: () => cache.stats(),

    async close() {
      const runs = [...active.entries()];
      for (const [, run] of runs) run.jobs.stop(new RunStopped('server closing'));
      await pool.close();
      const now = new Date().toISOString();
      for (const [id] of runs) finishRun(deps.db, id, { status: 'failed', error: 'The server stopped during this run; start it again.' }, now);
      active.clear();
    },
  };
  services.set(deps, service);
  return service;
}
