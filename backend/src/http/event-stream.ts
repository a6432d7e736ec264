/**
 * A Server-Sent Events answer: the headers that keep proxies from buffering it (nginx reads
 * `X-Accel-Buffering`), no socket timeout, a comment line every 15 s so idle connections stay open,
 * and one cleanup — when the stream ends or the client goes away — that stops the heartbeat and
 * runs the route's own `onClose` (unsubscribe, abort) exactly once.
 */
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  write(text: string): void;
  /** Ends the answer (with a last chunk); later writes and ends are ignored. */
  end(text?: string): void;
}

export function openEventStream(ctx: Context, onClose: () => void = () => {}): EventStream {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.type = 'text/event-stream';
  ctx.status = 200;
  ctx.body = stream;
  let open = true;
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const cleanup = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    onClose();
  };
  ctx.res.on('close', cleanup);
  stream.on('close', cleanup);
  return {
    write: (text) => {
      if (open) stream.write(text);
    },
    end: (text) => {
      if (!open) return;
      cleanup();
      if (text === undefined) stream.end();
      else stream.end(text);
    },
  };
}
