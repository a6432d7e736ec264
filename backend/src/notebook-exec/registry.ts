/** One notebook execution service per server (its deps), built on first use with the deps' host factory. */
import { DEFAULT_NOTEBOOK_LIMITS, type Limits } from '../config.ts';
import type { WorkspaceQueryService } from '../data/query/index.ts';
import { runServiceFor } from '../runs/service.ts';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { createWorkspaceCellHost } from './cell-host.ts';
import { NotebookExecService, type CellHostFactory } from './service.ts';

const services = new WeakMap<WorkspaceDeps, NotebookExecService>();

/** The workspace's own host: DuckDB for SQL cells, the QuickJS sandbox for ts cells, runs through the run service. */
export function workspaceHostFactory(deps: WorkspaceDeps): CellHostFactory {
  return (scope) => {
    if (!deps.queries) throw new Error('notebook cells need the server\'s query service');
    return createWorkspaceCellHost({ queries: deps.queries as unknown as WorkspaceQueryService, runs: runServiceFor(deps), db: deps.db, audit: deps.audit }, scope);
  };
}

export function notebookExecFor(deps: WorkspaceDeps): NotebookExecService {
  const existing = services.get(deps);
  if (existing) return existing;
  const limits = (deps.config as { limits?: Limits }).limits;
  const service = new NotebookExecService(deps, {
    hostFactory: (scope) => (deps.notebookHost ?? workspaceHostFactory(deps))(scope),
    perUser: (limits?.notebooks ?? DEFAULT_NOTEBOOK_LIMITS).executionsPerUser,
  });
  services.set(deps, service);
  deps.notebookExec = service;
  return service;
}
