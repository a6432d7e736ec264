/**
 * The auth gate in front of every /api route except health and login. A Bearer header wins
 * over a cookie (and is exempt from the Origin check, since browsers never add it on their
 * own); otherwise the session cookie is validated, renewed when past half-life, and
 * state-changing requests must pass the same-origin check. Either way the user row is read
 * now, so disabled users are out on their very next request.
 */
import type { Context, Middleware, Next } from 'koa';
import type { AppDeps, AuthUser } from '../app-deps.ts';
import { httpError } from '../middleware/errors.ts';
import { assertSameOrigin, isSafeMethod } from '../middleware/origin-check.ts';
import { findUserById, toAuthUser } from '../users/user-store.ts';
import { bearerVerifier, isBearerTokenRevoked, readClaims, type BearerClaims } from './bearer-tokens.ts';
import { SESSION_COOKIE, type SessionStore } from './session-store.ts';

const PUBLIC_PATHS = new Set(['/api/health', '/api/auth/login']);

export type AuthMethod = 'cookie' | 'bearer';

declare module 'koa' {
  interface DefaultState {
    user?: AuthUser;
    authMethod?: AuthMethod;
    sessionToken?: string;
    /** the Bearer token's claims, when the request came with one (logout revokes that token) */
    bearerClaims?: BearerClaims;
  }
}

function unauthorized(message = 'Sign in first: this route needs a session cookie or a Bearer token.') {
  return httpError(401, 'unauthorized', message);
}

export function authGate(deps: AppDeps, sessions: SessionStore): Middleware {
  const verifyBearer = bearerVerifier(deps.config.jwtSecret);

  async function viaBearer(ctx: Context): Promise<AuthUser> {
    if (!/^Bearer [^\s]+$/.test(ctx.get('authorization'))) {
      throw unauthorized('The Authorization header must be "Bearer <token>".');
    }
    try {
      await verifyBearer(ctx, async () => {});
    } catch {
      throw unauthorized('The Bearer token is invalid or expired; log in again.');
    }
    const claims = readClaims(ctx.state.jwt);
    const user = claims ? findUserById(deps.db, claims.sub) : null;
    if (!claims || !user || user.disabled || user.tokenVersion !== claims.ver) {
      throw unauthorized('The Bearer token is no longer valid; log in again.');
    }
    if (claims.jti !== undefined && isBearerTokenRevoked(deps.db, claims.jti)) {
      throw unauthorized('This Bearer token was logged out; log in again for a new one.');
    }
    ctx.state.authMethod = 'bearer';
    ctx.state.bearerClaims = claims;
    return toAuthUser(user);
  }

  async function viaCookie(ctx: Context): Promise<AuthUser> {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (!token) throw unauthorized();
    const session = await sessions.validate(token);
    const user = session ? findUserById(deps.db, session.userId) : null;
    if (!session || !user || user.disabled) {
      if (session) await sessions.invalidate(token);
      ctx.append('Set-Cookie', sessions.cookie(null, null, ctx.secure));
      throw unauthorized('Your session has ended; log in again.');
    }
    if (session.fresh) ctx.append('Set-Cookie', sessions.cookie(token, session.expiresAt, ctx.secure));
    ctx.state.authMethod = 'cookie';
    ctx.state.sessionToken = token;
    return toAuthUser(user);
  }

  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith('/api/') || PUBLIC_PATHS.has(ctx.path) || ctx.method === 'OPTIONS') return next();
    ctx.state.user = ctx.get('authorization') !== '' ? await viaBearer(ctx) : await viaCookie(ctx);
    if (ctx.state.authMethod === 'cookie' && !isSafeMethod(ctx.method)) assertSameOrigin(ctx, deps.config.corsOrigins, deps.config.publicUrl);
    return next();
  };
}

export function requireAdmin(): Middleware {
  return async (ctx, next) => {
    if (ctx.state.user?.role !== 'admin') throw httpError(403, 'forbidden', 'Only administrators can do this.');
    return next();
  };
}
