/**
 * Who is calling: run by the route guard (http/router.ts) of every route not declared public. A
 * Bearer header wins over a cookie (and is exempt from the Origin check, since browsers never add
 * it on their own); otherwise the session cookie is validated and renewed when past half-life.
 * Either way the user row is read now, so disabled users are out on their very next request.
 */
import type { Context, Middleware } from 'koa';
import type { AppDeps, AuthUser } from '../app-deps.ts';
import { appError } from '../app-error.ts';
import type { AuthMethod } from '../http/state.ts';
import { findUserById, toAuthUser } from '../users/user-store.ts';
import { bearerVerifier, isBearerTokenRevoked, readClaims } from './bearer-tokens.ts';
import { SESSION_COOKIE, type SessionStore } from './session-store.ts';

export type { AuthMethod };

function unauthorized(message = 'Sign in first: this route needs a session cookie or a Bearer token.') {
  return appError(401, 'unauthorized', message);
}

/** Sets `ctx.state.user` (and how it signed in) or throws 401. */
export type Authenticator = (ctx: Context) => Promise<AuthUser>;

export function createAuthenticator(deps: AppDeps, sessions: SessionStore): Authenticator {
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

  return async (ctx: Context) => {
    const user = ctx.get('authorization') !== '' ? await viaBearer(ctx) : await viaCookie(ctx);
    ctx.state.user = user;
    return user;
  };
}

export function assertAdmin(ctx: Context): void {
  if (ctx.state.user?.role !== 'admin') throw appError(403, 'forbidden', 'Only administrators can do this.');
}

/** The admin check as a middleware (the route table applies `assertAdmin` itself for ADMIN routes). */
export function requireAdmin(): Middleware {
  return async (ctx, next) => {
    assertAdmin(ctx);
    return next();
  };
}
