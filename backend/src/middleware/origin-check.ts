/**
 * CSRF defence for cookie sessions: a state-changing request must say where it came from
 * (Origin, else Referer) and that must be this server or a configured CORS origin. SameSite=Lax
 * already blocks most cross-site POSTs; this closes the rest (same-site subdomains, old browsers).
 */
import type { Context } from 'koa';
import { httpError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/** The origin the request claims, from Origin or else Referer; null when neither is usable. */
export function requestOrigin(ctx: Context): string | null {
  const origin = ctx.get('origin');
  if (origin !== '' && origin !== 'null') return origin;
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
    throw httpError(403, 'csrf_origin_missing', 'State-changing requests with a session cookie must carry an Origin header.');
  }
  if (!isTrustedOrigin(ctx, origin, corsOrigins, publicUrl)) {
    throw httpError(403, 'csrf_origin_mismatch', `Requests from ${origin} are not allowed to change data here.`);
  }
}
