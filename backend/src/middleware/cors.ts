/**
 * CORS for the origins listed in ALMREADY_CORS_ORIGINS only (none by default: the SPA is
 * same-origin). Credentials are allowed for listed origins so a separately hosted SPA works.
 */
import type { Middleware } from 'koa';
import { httpError } from './errors.ts';

export function cors(allowedOrigins: readonly string[]): Middleware {
  const allowed = new Set(allowedOrigins);
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    ctx.vary('Origin');
    const listed = origin !== '' && allowed.has(origin);
    if (listed) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      ctx.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After, Content-Disposition');
    }
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method') !== '') {
      if (!listed) {
        throw httpError(403, 'cors_forbidden', `Origin ${origin || '(none)'} is not allowed; add it to ALMREADY_CORS_ORIGINS.`);
      }
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      ctx.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
