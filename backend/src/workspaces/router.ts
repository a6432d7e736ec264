/**
 * `createWorkspaceRoutes(deps)`: every route under `/api/workspaces`, as one routing table the
 * server core mounts (http/route-table.ts). Each concern declares its own routes with their
 * access (a workspace role below `/:wid`); the core's router applies the guards. Building the
 * table also cleans up whatever an interrupted write left on disk (it runs once, at start-up).
 */
import type { AppDeps } from '../app-deps.ts';
import { RouteTable } from '../http/route-table.ts';
import { notebookExecFor } from '../notebook-exec/registry.ts';
import { notebookExecRoutes } from '../notebook-exec/routes.ts';
import { notebookRoutes } from '../notebook-store/routes.ts';
import { runRoutes } from '../runs/routes.ts';
import { runServiceFor } from '../runs/service.ts';
import { scenarioRoutes } from '../scenarios/routes.ts';
import { datasetRoutes } from './dataset-routes.ts';
import { mappingRoutes } from './mapping-routes.ts';
import type { WorkspaceDeps } from './deps.ts';
import { queryRoutes } from './query-routes.ts';
import { recoverWorkspaceFiles } from './recovery.ts';
import { workspaceRoutes } from './workspace-routes.ts';

export function createWorkspaceRoutes(appDeps: AppDeps | WorkspaceDeps): RouteTable {
  const deps = appDeps as WorkspaceDeps;
  recoverWorkspaceFiles(deps);
  const routes = new RouteTable();
  for (const table of [
    workspaceRoutes(deps, {
      beforeDelete: async (id) => {
        await notebookExecFor(deps).cancelWorkspace(id);
        await runServiceFor(deps).cancelWorkspace(id);
      },
    }),
    datasetRoutes(deps),
    mappingRoutes(deps),
    queryRoutes(deps),
    runRoutes(deps),
    notebookRoutes(deps),
    notebookExecRoutes(deps),
    scenarioRoutes(deps),
  ]) {
    routes.mount('', table);
  }
  return routes;
}
