/**
 * `createWorkspaceRouter(deps)`: everything under `/api/workspaces`, mounted by the server core
 * behind its auth gate (so `ctx.state.user` is set). Each concern registers its own routes; every
 * route below `/:wid` passes `requireWorkspaceRole` first. Building the router also cleans up
 * whatever an interrupted write left on disk (it runs once, at start-up).
 */
import Router from '@koa/router';
import type { AppDeps } from '../app-deps.ts';
import { notebookRoutes } from '../notebook-store/routes.ts';
import { runRoutes } from '../runs/routes.ts';
import { runServiceFor } from '../runs/service.ts';
import { workspaceErrors } from './api-error.ts';
import { datasetRoutes } from './dataset-routes.ts';
import { mappingRoutes } from './mapping-routes.ts';
import type { WorkspaceDeps } from './deps.ts';
import { queryRoutes } from './query-routes.ts';
import { recoverWorkspaceFiles } from './recovery.ts';
import { workspaceRoutes } from './workspace-routes.ts';

export function createWorkspaceRouter(appDeps: AppDeps | WorkspaceDeps): Router {
  const deps = appDeps as WorkspaceDeps;
  recoverWorkspaceFiles(deps);
  const router = new Router();
  router.use(workspaceErrors);
  const routers = [
    workspaceRoutes(deps, { beforeDelete: (id) => runServiceFor(deps).cancelWorkspace(id) }),
    datasetRoutes(deps),
    mappingRoutes(deps),
    queryRoutes(deps),
    runRoutes(deps),
    notebookRoutes(deps),
  ];
  for (const sub of routers) router.use(sub.routes(), sub.allowedMethods());
  return router;
}
