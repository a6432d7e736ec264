/**
 * A cap on the requests one client has in flight at once (by address: `ctx.ip`, which behind a
 * trusted proxy is the address the proxy saw). One client holding hundreds of stalled uploads or
 * slow queries must not take the server's sockets, temp folders and threads from everyone else;
 * past the cap it gets a 429 at once, before anything is read, and may retry when one finishes.
 */
import type { Middleware } from 'koa';
import { AppError } from '../app-error.ts';

export function clientLimit(maxInFlight: number): Middleware {
  const inFlight = new Map<string, number>();
  return async (ctx, next) => {
    const key = ctx.ip || 'unknown';
    const open = inFlight.get(key) ?? 0;
    if (open >= maxInFlight) {
      throw new AppError(429, 'too_many_requests', `This client already has ${open} requests in progress (the limit is ${maxInFlight}); wait for one to finish.`,
        undefined, { 'Retry-After': '1', Connection: 'close' });
    }
    inFlight.set(key, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left <= 0) inFlight.delete(key);
      else inFlight.set(key, left);
    };
    // In flight until the response closes: finished, streamed to its end (CSV export, run
    // events) or cut by the client.
    ctx.res.once('close', release);
    await next();
  };
}
