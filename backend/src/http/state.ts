/**
 * What a request carries through the middleware, typed once for every route: `ctx.state` and the
 * parsed body. Set by request-context (requestId, log), the route guards (user, authMethod,
 * sessionToken, bearerClaims, workspace) and the body reader (`ctx.request.body`).
 */
import type pino from 'pino';
import type { AuthUser } from '../app-deps.ts';
import type { BearerClaims } from '../auth/bearer-tokens.ts';
import type { WorkspaceAccess } from '../workspaces/permissions.ts';

export type AuthMethod = 'cookie' | 'bearer';

declare module 'koa' {
  interface DefaultState {
    requestId?: string;
    log?: pino.Logger;
    user?: AuthUser;
    authMethod?: AuthMethod;
    sessionToken?: string;
    /** the Bearer token's claims, when the request came with one (logout revokes that token) */
    bearerClaims?: BearerClaims;
    /** koa-jwt's verified payload, read once by the Bearer check */
    jwt?: unknown;
    /** the workspace of a `/:wid` route, set by its role guard */
    workspace?: WorkspaceAccess;
  }
  interface Request {
    /** The body read by the route's body reader (http/body.ts); undefined when the request had none. */
    body?: unknown;
  }
}

export {};
