/**
 * Browser sessions, kept behind this one module so Lucia can be swapped without touching
 * routes. Following Lucia's guidance the cookie carries a random 256-bit token and the
 * database stores only its SHA-256 (hex) as the Lucia session id: a leaked database or backup
 * cannot be replayed as cookies. Lucia gives sliding expiry: past half its lifetime a session
 * is extended (`fresh`) and the cookie is re-sent.
 */
import { BetterSqlite3Adapter } from '@lucia-auth/adapter-sqlite';
import { Lucia, TimeSpan } from 'lucia';
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

export const SESSION_COOKIE = 'almready_session';

export interface ValidSession {
  userId: string;
  expiresAt: Date;
  /** True when the expiry was just extended: the cookie must be sent again. */
  fresh: boolean;
}

export interface SessionStore {
  create(userId: string): Promise<{ token: string; expiresAt: Date }>;
  validate(token: string): Promise<ValidSession | null>;
  invalidate(token: string): Promise<void>;
  invalidateUser(userId: string): Promise<void>;
  deleteExpired(): Promise<void>;
  /** `Set-Cookie` value carrying the token (or clearing it when token is null). */
  cookie(token: string | null, expiresAt: Date | null, secure: boolean): string;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createSessionStore(db: Database.Database, ttlDays: number): SessionStore {
  const ttlMs = Math.max(1000, Math.round(ttlDays * 86_400_000));
  const lucia = new Lucia(new BetterSqlite3Adapter(db, { user: 'users', session: 'auth_sessions' }), {
    sessionExpiresIn: new TimeSpan(ttlMs, 'ms'),
    sessionCookie: { name: SESSION_COOKIE, expires: true, attributes: { sameSite: 'lax', secure: false } },
  });
  return {
    async create(userId) {
      const token = randomBytes(32).toString('base64url');
      const session = await lucia.createSession(userId, {}, { sessionId: sessionIdOf(token) });
      return { token, expiresAt: session.expiresAt };
    },
    async validate(token) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const { session } = await lucia.validateSession(sessionIdOf(token));
      return session ? { userId: session.userId, expiresAt: session.expiresAt, fresh: session.fresh } : null;
    },
    async invalidate(token) {
      await lucia.invalidateSession(sessionIdOf(token));
    },
    async invalidateUser(userId) {
      await lucia.invalidateUserSessions(userId);
    },
    async deleteExpired() {
      await lucia.deleteExpiredSessions();
    },
    cookie(token, expiresAt, secure) {
      const cookie = token === null ? lucia.createBlankSessionCookie() : lucia.createSessionCookie(token);
      // Lucia sets Max-Age from the configured TTL; pin it to this session's real expiry instead.
      cookie.attributes.secure = secure;
      if (token !== null && expiresAt) {
        cookie.attributes.maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
      }
      return cookie.serialize();
    },
  };
}
