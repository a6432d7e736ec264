/**
 * The Koa application: edge middleware (request ids and logs, errors, security headers, CORS,
 * SPA files, JSON bodies), then the auth gate, then the routers. Order matters: the error
 * handler wraps everything after it, and the gate runs before any route under /api.
 */
import Koa from 'koa';
import { Router } from '@koa/router';
import type { AppDeps } from './app-deps.ts';
import { createAuthRouter } from './auth/auth-router.ts';
import { authGate } from './auth/authenticate.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { createSessionStore, type SessionStore } from './auth/session-store.ts';
import { cors } from './middleware/cors.ts';
import { errorHandler } from './middleware/errors.ts';
import { jsonBody } from './middleware/json-body.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { staticSpa } from './middleware/static-spa.ts';
import { createAdminRouter } from './users/admin-router.ts';
import { createWorkspaceRouter } from './workspaces/router.ts';

export const VERSION = '0.1.0';

export interface CreatedApp {
  app: Koa;
  sessions: SessionStore;
  throttle: LoginThrottle;
}

export function createApp(deps: AppDeps, options: { throttle?: LoginThrottle } = {}): CreatedApp {
  // Behind one trusted proxy (nginx appends the client address), only the last X-Forwarded-For
  // entry is believed; earlier entries are whatever the client typed.
  const app = new Koa({ proxy: deps.config.trustProxy, maxIpsCount: 1 });
  const sessions = createSessionStore(deps.db, deps.config.sessionTtlDays);
  const throttle = options.throttle ?? new LoginThrottle();

  app.use(requestContext(deps.logger));
  app.use(errorHandler());
  app.use(securityHeaders());
  app.use(cors(deps.config.corsOrigins));
  app.use(staticSpa(deps.config.staticDir));
  app.use(jsonBody());

  const health = new Router();
  health.get('/api/health', (ctx) => {
    ctx.body = { status: 'ok', version: VERSION };
  });
  app.use(health.routes());
  app.use(health.allowedMethods());

  app.use(authGate(deps, sessions));

  const authRouter = createAuthRouter(deps, sessions, throttle);
  const adminRouter = createAdminRouter(deps);
  const workspaces = new Router({ prefix: '/api/workspaces' });
  const workspaceRouter = createWorkspaceRouter(deps);
  workspaces.use(workspaceRouter.routes(), workspaceRouter.allowedMethods());
  for (const router of [authRouter, adminRouter, workspaces]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  // Silence Koa's default stderr printer: errorHandler already logged anything that matters.
  app.silent = true;
  return { app, sessions, throttle };
}
