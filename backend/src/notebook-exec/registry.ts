/**
 * One notebook execution service per server (its deps), built on first use with the deps' host
 * factory, and one pool of warm ts sandbox workers beside it (started with the service, closed
 * with it).
 */
import { DEFAULT_NOTEBOOK_LIMITS, DEFAULT_TS_CELL_LIMITS, warmLimitsOf, type Limits, type TsCellLimits } from '../config.ts';
import type { WorkspaceQueryService } from '../data/query/index.ts';
import { runServiceFor } from '../runs/service.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { createWorkspaceCellHost } from './cell-host.ts';
import { NotebookExecService, type CellHostFactory } from './service.ts';
import { SandboxPool } from './ts-sandbox/sandbox-pool.ts';

const services = new WeakMap<WorkspaceDeps, NotebookExecService>();
const pools = new WeakMap<WorkspaceDeps, SandboxPool>();

/** The server's warm sandbox workers, with the configured cell limits (ALMREADY_TS_CELL_*, ALMREADY_TS_SANDBOXES_READY). */
export function sandboxPoolFor(deps: WorkspaceDeps): SandboxPool {
  let pool = pools.get(deps);
  if (!pool) {
    const config = deps.config as { tsCell?: TsCellLimits; limits?: Limits };
    pool = new SandboxPool({
      limits: config.tsCell ?? DEFAULT_TS_CELL_LIMITS,
      ready: warmLimitsOf(config).sandboxes,
      log: (message, error) => deps.logger.warn({ err: error }, message),
    });
    pools.set(deps, pool);
  }
  return pool;
}

/** The workspace's own host: DuckDB for SQL cells, the QuickJS sandbox for ts cells, runs through the run service. */
export function workspaceHostFactory(deps: WorkspaceDeps): CellHostFactory {
  return (scope) => {
    if (!deps.queries) throw new Error('notebook cells need the server\'s query service');
    return createWorkspaceCellHost({ queries: deps.queries as unknown as WorkspaceQueryService, runs: runServiceFor(deps), db: deps.db, audit: deps.audit, sandboxes: sandboxPoolFor(deps) }, scope);
  };
}

export function notebookExecFor(deps: WorkspaceDeps): NotebookExecService {
  const existing = services.get(deps);
  if (existing) return existing;
  const limits = (deps.config as { limits?: Limits }).limits;
  const service = new NotebookExecService(deps, {
    hostFactory: (scope) => (deps.notebookHost ?? workspaceHostFactory(deps))(scope),
    perUser: (limits?.notebooks ?? DEFAULT_NOTEBOOK_LIMITS).executionsPerUser,
    // a test's own host runs no sandbox: no workers started for it
    ...(deps.notebookHost ? {} : { sandboxes: sandboxPoolFor(deps) }),
  });
  services.set(deps, service);
  deps.notebookExec = service;
  return service;
}
