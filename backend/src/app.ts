/**
 * The Koa application: edge middleware (request ids and logs, errors, security headers, the
 * one canonical spelling of every path, the per-client request cap, CORS, SPA files), then the
 * one router built from the routing table, where each route carries its own guard (sign-in,
 * Origin check, admin or workspace role) and body reader. Order matters: the error handler wraps
 * everything after it, and no path reaches CORS, files or routes before it is known canonical.
 */
import Koa from 'koa';
import type { AppDeps } from './app-deps.ts';
import { createAuthRoutes } from './auth/auth-router.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { createSessionStore, type SessionStore } from './auth/session-store.ts';
import { httpLimits } from './config.ts';
import { canonicalPath } from './http/canonical-path.ts';
import { clientLimit } from './http/client-limit.ts';
import { PUBLIC, RouteTable } from './http/route-table.ts';
import { apiFallback, buildRouter, type RouteGuards } from './http/router.ts';
import { cors } from './middleware/cors.ts';
import { errorHandler } from './middleware/errors.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { staticSpa } from './middleware/static-spa.ts';
import { notebookExampleRoutes } from './notebook-examples/routes.ts';
import { createAdminRoutes } from './users/admin-router.ts';
import { requireWorkspaceRole } from './workspaces/permissions.ts';
import { createWorkspaceRoutes } from './workspaces/router.ts';

export const VERSION = '0.1.0';

export interface CreatedApp {
  app: Koa;
  sessions: SessionStore;
  throttle: LoginThrottle;
  /** Every route the server answers, with its access requirement (the route-walk test reads it). */
  routes: RouteTable;
}

/** The whole routing table: every route of the API, each with its access and body declared. */
export function apiRoutes(deps: AppDeps, sessions: SessionStore, throttle: LoginThrottle): RouteTable {
  const health = new RouteTable().get('/health', { access: PUBLIC }, (ctx) => {
    ctx.body = { status: 'ok', version: VERSION };
  });
  return new RouteTable()
    .mount('/api', health)
    .mount('/api/auth', createAuthRoutes(deps, sessions, throttle))
    .mount('/api/admin', createAdminRoutes(deps))
    .mount('/api/notebook-examples', notebookExampleRoutes())
    .mount('/api/workspaces', createWorkspaceRoutes(deps));
}

export function createApp(deps: AppDeps, options: { throttle?: LoginThrottle } = {}): CreatedApp {
  // Behind one trusted proxy (nginx appends the client address), only the last X-Forwarded-For
  // entry is believed; earlier entries are whatever the client typed.
  const app = new Koa({ proxy: deps.config.trustProxy, maxIpsCount: 1 });
  const sessions = createSessionStore(deps.db, deps.config.sessionTtlDays);
  const throttle = options.throttle ?? new LoginThrottle();
  const routes = apiRoutes(deps, sessions, throttle);
  const guards: RouteGuards = {
    authenticate: createAuthenticator(deps, sessions),
    corsOrigins: deps.config.corsOrigins,
    publicUrl: deps.config.publicUrl ?? null,
    workspaceRole: (role) => requireWorkspaceRole(deps, role),
  };
  const router = buildRouter(routes, guards);

  app.use(requestContext(deps.logger));
  app.use(errorHandler());
  app.use(securityHeaders());
  app.use(canonicalPath());
  app.use(clientLimit(httpLimits(deps.config).maxRequestsPerClient));
  app.use(cors(deps.config.corsOrigins));
  app.use(staticSpa(deps.config.staticDir));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(apiFallback(guards));
  // Silence Koa's default stderr printer: errorHandler already logged anything that matters.
  app.silent = true;
  return { app, sessions, throttle, routes };
}
