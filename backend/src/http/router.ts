/**
 * Builds the one Koa router from the routing table. Each route runs, in order: its access guard
 * (sign-in, the Origin check for state-changing requests, then the admin or workspace-role
 * check), its body reader, the body's declared contract schema (if any), its handler. The router is case-sensitive and strict, so
 * `/API/admin/users` or `/api/admin/users/` match nothing; canonical-path.ts already answered
 * 404 for those before any of this runs.
 */
import { Router } from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { z } from 'zod';
import { AppError } from '../app-error.ts';
import { assertAdmin, type Authenticator } from '../auth/authenticate.ts';
import { assertNotForeign, assertSameOrigin, isSafeMethod, requestOrigin } from '../middleware/origin-check.ts';
import type { WorkspaceRole } from '../workspaces/roles.ts';
import { parseWith } from '../middleware/validate.ts';
import { bodyReader } from './body.ts';
import type { Access, RouteTable } from './route-table.ts';
import './state.ts';

export interface RouteGuards {
  authenticate: Authenticator;
  corsOrigins: readonly string[];
  /** ALMREADY_PUBLIC_URL: the origin browsers use behind a proxy (else the request's own) */
  publicUrl?: string | null;
  workspaceRole(role: WorkspaceRole): Middleware;
}

/**
 * CSRF: every state-changing request is checked, whatever route it reaches. Cookie sessions must
 * say they come from us; public routes (login) refuse a foreign claimed origin, `null` included,
 * and let scripts without any Origin through; Bearer requests cannot be forged by a browser.
 */
function checkOrigin(ctx: Context, access: Access, guards: RouteGuards): void {
  if (isSafeMethod(ctx.method)) return;
  if (access.kind === 'public') assertNotForeign(ctx, requestOrigin(ctx), guards.corsOrigins, guards.publicUrl);
  else if (ctx.state.authMethod === 'cookie') assertSameOrigin(ctx, guards.corsOrigins, guards.publicUrl);
}

function accessGuard(access: Access, guards: RouteGuards): Middleware {
  const workspace = access.kind === 'workspace' ? guards.workspaceRole(access.role) : null;
  return async (ctx: Context, next: Next) => {
    if (access.kind !== 'public') await guards.authenticate(ctx);
    checkOrigin(ctx, access, guards);
    if (access.kind === 'admin') assertAdmin(ctx);
    if (workspace) return workspace(ctx, next);
    return next();
  };
}

/** The declared contract of a JSON body, checked by the one validator; an empty body counts as `{}`. */
function validBody(schema: z.ZodType): Middleware {
  return (ctx, next) => {
    ctx.request.body = parseWith(schema, ctx.request.body ?? {});
    return next();
  };
}

export function buildRouter(table: RouteTable, guards: RouteGuards): Router {
  const router = new Router({ sensitive: true, strict: true });
  for (const route of table.routes) {
    const steps = [accessGuard(route.access, guards), bodyReader(route.body)];
    if (route.schema) steps.push(validBody(route.schema));
    router.register(route.path, [route.method], [...steps, route.handler]);
  }
  return router;
}

/**
 * After the router: an `/api/` path no route matched. Deny by default: without valid credentials
 * that is a 401 like any other API route; signed in, a 404 (or the router's 405 when only the
 * method was wrong). OPTIONS is left to the router's Allow answer.
 */
export function apiFallback(guards: RouteGuards): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') || ctx.method === 'OPTIONS') return next();
    await guards.authenticate(ctx);
    const matchedPath = ((ctx as { matched?: unknown[] }).matched ?? []).length > 0;
    if (matchedPath) return next();
    throw new AppError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}.`);
  };
}
