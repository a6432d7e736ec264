/**
 * `createWorkspaceRouter(deps)`: everything under `/api/workspaces`, mounted by the server core
 * behind its auth gate (so `ctx.state.user` is set). Each concern registers its own routes; every
 * route below `/:wid` passes `requireWorkspaceRole` first.
 */
import Router from '@koa/router';
import type { AppDeps } from '../app-deps.ts';
import { notebookRoutes } from '../notebook-store/routes.ts';
import { workspaceErrors } from './api-error.ts';
import type { WorkspaceDeps } from './deps.ts';
import { workspaceRoutes } from './workspace-routes.ts';

export function createWorkspaceRouter(appDeps: AppDeps | WorkspaceDeps): Router {
  const deps = appDeps as WorkspaceDeps;
  const router = new Router();
  router.use(workspaceErrors);
  for (const sub of [workspaceRoutes(deps), notebookRoutes(deps)]) router.use(sub.routes(), sub.allowedMethods());
  return router;
}
