/**
 * JWTs for scripts and the CLI (`Authorization: Bearer`). Signed with jose (HS256), verified by
 * koa-jwt pinned to HS256 so `alg: none` and algorithm-confusion tokens are refused. A token
 * names its user (`sub`) and the user's token version (`ver`); the user row is read on every
 * request, so a disable or password reset (which bumps the version) stops old tokens at once.
 */
import { createSecretKey } from 'node:crypto';
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
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.max(1, Math.round(ttlDays * 86_400)))
    .sign(new TextEncoder().encode(secret));
}

const claimsSchema = z.object({ sub: z.string().min(1), ver: z.number().int(), iat: z.number(), exp: z.number() });
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
