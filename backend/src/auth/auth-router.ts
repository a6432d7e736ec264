/**
 * POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me. Login answers the same
 * 401 for an unknown user and a wrong password, after the same argon2 work, and the brake
 * counts unknown usernames too, so neither timing nor lockouts reveal which accounts exist.
 */
import { Router } from '@koa/router';
import type { AppDeps } from '../app-deps.ts';
import { httpError } from '../middleware/errors.ts';
import { isTrustedOrigin, requestOrigin } from '../middleware/origin-check.ts';
import { parseWith } from '../middleware/validate.ts';
import { loginBodySchema } from '../users/user-schema.ts';
import { findUserByUsername, toAuthUser } from '../users/user-store.ts';
import { revokeBearerToken, signBearerToken } from './bearer-tokens.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { primeDummyHash, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { SESSION_COOKIE, type SessionStore } from './session-store.ts';

export function createAuthRouter(deps: AppDeps, sessions: SessionStore, throttle: LoginThrottle): Router {
  const router = new Router({ prefix: '/api/auth' });
  void primeDummyHash();

  router.post('/login', async (ctx) => {
    // Login CSRF: a foreign page must not sign the victim's browser into the attacker's account.
    const origin = requestOrigin(ctx);
    if (origin !== null && !isTrustedOrigin(ctx, origin, deps.config.corsOrigins, deps.config.publicUrl)) {
      throw httpError(403, 'csrf_origin_mismatch', `Logins from ${origin} are not allowed.`);
    }
    const body = parseWith(loginBodySchema, ctx.request.body);
    const username = body.username.trim().toLowerCase();
    const keys = [`ip:${ctx.ip}`, `user:${username}`];
    const verdict = throttle.check(keys);
    if (!verdict.ok) {
      deps.audit.record({ action: 'auth.login.throttled', ip: ctx.ip, detail: { retryAfterSeconds: verdict.retryAfterSeconds } });
      throw httpError(429, 'too_many_attempts', `Too many login attempts; try again in ${verdict.retryAfterSeconds} seconds.`,
        undefined, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    const user = findUserByUsername(deps.db, username);
    const passwordOk = user ? await verifyPassword(user.passwordHash, body.password) : await verifyAgainstDummy(body.password);
    if (!user || !passwordOk) {
      throttle.recordFailure(keys);
      // The typed name is only kept when it is a real account: a password typed into the
      // username box must not end up in the audit table.
      deps.audit.record({ action: 'auth.login.failed', userId: user?.id, ip: ctx.ip, detail: { reason: user ? 'wrong_password' : 'unknown_user' } });
      throw httpError(401, 'invalid_credentials', 'Wrong username or password.');
    }
    if (user.disabled) {
      deps.audit.record({ action: 'auth.login.failed', userId: user.id, ip: ctx.ip, detail: { reason: 'disabled' } });
      throw httpError(403, 'account_disabled', 'This account is disabled; ask an administrator to enable it.');
    }
    throttle.recordSuccess(`user:${username}`);
    // A browser signing in again leaves no second live session behind.
    const previous = ctx.cookies.get(SESSION_COOKIE);
    if (previous) await sessions.invalidate(previous);
    const session = await sessions.create(user.id);
    const token = await signBearerToken(deps.config.jwtSecret, user, deps.config.sessionTtlDays);
    ctx.append('Set-Cookie', sessions.cookie(session.token, session.expiresAt, ctx.secure));
    deps.audit.record({ action: 'auth.login', userId: user.id, ip: ctx.ip });
    ctx.body = { user: toAuthUser(user), token };
  });

  router.post('/logout', async (ctx) => {
    // the credential the request came with ends: the browser session, or that one Bearer token
    const token = ctx.state.sessionToken;
    if (token) await sessions.invalidate(token);
    const claims = ctx.state.bearerClaims;
    if (claims) revokeBearerToken(deps.db, claims);
    ctx.append('Set-Cookie', sessions.cookie(null, null, ctx.secure));
    deps.audit.record({ action: 'auth.logout', userId: ctx.state.user?.id, ip: ctx.ip, detail: { method: ctx.state.authMethod } });
    ctx.status = 204;
  });

  router.get('/me', (ctx) => {
    ctx.body = { user: ctx.state.user };
  });

  return router;
}
