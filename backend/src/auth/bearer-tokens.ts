/**
 * JWTs for scripts and the CLI (`Authorization: Bearer`). Signed with jose (HS256), verified by
 * koa-jwt pinned to HS256 so `alg: none` and algorithm-confusion tokens are refused. A token
 * names its user (`sub`) and the user's token version (`ver`); the user row is read on every
 * request, so a disable or password reset (which bumps the version) stops old tokens at once.
 * Each token also has its own id (`jti`), so logging out with it ends that token alone
 * (revoked_bearer_tokens, checked on every request).
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import koaJwt from 'koa-jwt';
import type { Middleware } from 'koa';
import { z } from 'zod';

export const JWT_ALGORITHM = 'HS256';

export async function signBearerToken(secret: string, user: { id: string; tokenVersion: number }, ttlDays: number, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ ver: user.tokenVersion })
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT' })
    .setSubject(user.id)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.round(ttlDays * 86_400)))
    .sign(new TextEncoder().encode(secret));
}

// jti is optional: tokens signed before tokens had ids stay valid until they expire (logout then
// ends all of the user's tokens, see revokeBearerToken)
const claimsSchema = z.object({ sub: z.string().min(1), ver: z.number().int(), iat: z.number(), exp: z.number(), jti: z.string().min(1).max(100).optional() });
export type BearerClaims = z.infer<typeof claimsSchema>;

/** Verifies the Bearer token and leaves its claims in `ctx.state.jwt`; 401 on anything wrong. */
export function bearerVerifier(secret: string): Middleware {
  // A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a PEM public key
  // on every request (and fails), which cost ~40% of the server's CPU under load.
  const key = createSecretKey(Buffer.from(secret, 'utf8')) as unknown as Buffer;
  return koaJwt({ secret: key, algorithms: [JWT_ALGORITHM], key: 'jwt' }) as unknown as Middleware;
}

export function readClaims(value: unknown): BearerClaims | null {
  const parsed = claimsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Whether the token with this id was logged out (and has not expired since). */
export function isBearerTokenRevoked(db: Database.Database, jti: string): boolean {
  return db.prepare('SELECT 1 FROM revoked_bearer_tokens WHERE jti = ?').get(jti) !== undefined;
}

/**
 * Ends one Bearer token before it expires: its id is kept until its expiry (rows of tokens that
 * have expired anyway are pruned here). A token without an id (signed before tokens had one)
 * cannot be told apart from the user's others, so all of the user's Bearer tokens end (the user's
 * token version moves on; browser sessions stay).
 */
export function revokeBearerToken(db: Database.Database, claims: BearerClaims, nowSeconds = Math.floor(Date.now() / 1000)): void {
  db.transaction(() => {
    db.prepare('DELETE FROM revoked_bearer_tokens WHERE expires_at < ?').run(nowSeconds);
    if (claims.jti === undefined) {
      db.prepare('UPDATE users SET token_version = token_version + 1 WHERE id = ? AND token_version = ?').run(claims.sub, claims.ver);
      return;
    }
    db.prepare('INSERT OR IGNORE INTO revoked_bearer_tokens (jti, user_id, expires_at) VALUES (?, ?, ?)').run(claims.jti, claims.sub, claims.exp);
  })();
}
