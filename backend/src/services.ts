/**
 * The server's services on a data directory, built once here for the HTTP server (server.ts) and
 * for `almready run` (cli/headless.ts): SQLite, the locked-down DuckDB query service with its
 * limits, the worker pool sized in config.ts, and the run service, with its calculation workers
 * booting at once (ALMREADY_RUN_WORKERS_READY) rather than in a user's first run.
 */
import type pino from 'pino';
import type { AppDeps } from './app-deps.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { limitsOf, warmLimitsOf, type Config } from './config.ts';
import { WorkspaceQueryService } from './data/query/index.ts';
import { openDatabase } from './db/open-database.ts';
import { createRunService } from './runs/service.ts';
import { RUN_JOB } from './runs/worker-pool.ts';
import { JobPool } from './workers/pool.ts';

export interface ServiceOptions {
  /**
   * false when another process (a running server) may own the data directory: the runs its rows
   * say are running stay that process's (runs/service.ts).
   */
  ownsDataDir?: boolean;
}

export type Services = AppDeps & { queries: WorkspaceQueryService; jobs: JobPool; runs: ReturnType<typeof createRunService> };

export function openServices(config: Config, logger: pino.Logger, options: ServiceOptions = {}): Services {
  const db = openDatabase(config.dataDir);
  const { query, runs } = limitsOf(config);
  const queries = new WorkspaceQueryService({
    memoryLimit: `${query.memoryMb}MB`,
    tempDirectoryLimit: `${query.tempMb}MB`,
    maxResultBytes: query.maxResultMb * 1024 * 1024,
    fairness: { total: query.concurrent, perUser: query.concurrentPerUser, queuedPerUser: query.queuedPerUser },
  });
  // One pool of worker threads for every kind of long job, sized in config.ts.
  const jobs = new JobPool({ size: runs.workers, perUser: runs.perUser });
  // one object: services registered per deps object (runServiceFor, notebookExecFor) find each other
  const deps: AppDeps = { config, db, logger, audit: createAuditLog(db), queries, jobs };
  deps.runs = createRunService(deps, options.ownsDataDir === false ? { ownsDataDir: false } : {});
  jobs.prewarm(RUN_JOB.name, warmLimitsOf(config).runWorkers);
  return deps as Services;
}
