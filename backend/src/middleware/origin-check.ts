/**
 * CSRF defence for cookie sessions: a state-changing request must say where it came from
 * (Origin, else Referer) and that must be this server or a configured CORS origin. SameSite=Lax
 * already blocks most cross-site POSTs; this closes the rest (same-site subdomains, old browsers).
 */
import type { Context } from 'koa';
import { appError } from '../app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/**
 * The origin the request claims, from Origin or else Referer; null when neither is sent. The
 * literal `Origin: null` (sandboxed frames, data: URLs, some redirects) is an opaque origin and
 * counts as foreign: it is returned as 'null' and never trusted, whatever the Referer says.
 */
export function requestOrigin(ctx: Context): string | null {
  const origin = ctx.get('origin');
  if (origin !== '') return origin;
  const referer = ctx.get('referer');
  if (referer === '') return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** The configured public URL (ALMREADY_PUBLIC_URL) when set, else the request's own scheme and Host. */
export function ownOrigin(ctx: Context, publicUrl?: string | null): string {
  return publicUrl ?? `${ctx.protocol}://${ctx.host}`;
}

export function isTrustedOrigin(ctx: Context, origin: string, corsOrigins: readonly string[], publicUrl?: string | null): boolean {
  return origin === ownOrigin(ctx, publicUrl) || corsOrigins.includes(origin);
}

/** Throws 403 unless the request carries a trusted Origin/Referer. */
export function assertSameOrigin(ctx: Context, corsOrigins: readonly string[], publicUrl?: string | null): void {
  const origin = requestOrigin(ctx);
  if (origin === null) {
    throw appError(403, 'csrf_origin_missing', 'State-changing requests with a session cookie must carry an Origin header.');
  }
  assertNotForeign(ctx, origin, corsOrigins, publicUrl);
}

/** Throws 403 when a claimed origin is not ours (an absent one passes: scripts send none). */
export function assertNotForeign(ctx: Context, origin: string | null, corsOrigins: readonly string[], publicUrl?: string | null): void {
  if (origin === null || isTrustedOrigin(ctx, origin, corsOrigins, publicUrl)) return;
  const who = origin === 'null' ? 'an opaque origin (Origin: null, e.g. a sandboxed frame)' : origin;
  throw appError(403, 'csrf_origin_mismatch', `Requests from ${who} are not allowed to change data here.`);
}
