/**
 * Gives each request an id (echoed as X-Request-Id, quoted in 5xx bodies) and a child logger,
 * and writes one log line per request: method, path, status, duration, user. No bodies, no
 * headers, no query strings, so credentials cannot end up in the logs.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type pino from 'pino';

export function requestContext(logger: pino.Logger): Middleware {
  return async (ctx, next) => {
    const requestId = randomUUID();
    const started = performance.now();
    const log = logger.child({ requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const user = ctx.state.user;
      const line = {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: user?.id,
        ip: ctx.ip,
      };
      if (ctx.status >= 500) log.warn(line, 'request');
      else log.info(line, 'request');
    }
  };
}
