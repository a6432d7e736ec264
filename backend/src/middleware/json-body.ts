/**
 * Strict JSON bodies: objects or arrays only, at most `limitBytes`. Multipart uploads pass
 * through untouched (the dataset route streams them); any other body type is refused with 415
 * so a client sending form-encoded data learns why at once.
 */
import type { Middleware } from 'koa';
import { httpError } from './errors.ts';

declare module 'koa' {
  interface Request {
    /** Parsed JSON body; undefined when the request had none. */
    body?: unknown;
  }
}

export const JSON_LIMIT_BYTES = 1024 * 1024;
/** Notebook saves carry whole documents (cells up to 1,000,000 characters each), so they get more room. */
export const NOTEBOOK_JSON_LIMIT_BYTES = 16 * 1024 * 1024;
const NOTEBOOK_PATH = /^\/api\/workspaces\/[^/]+\/notebooks(\/|$)/;

/** The body limit of a request path: 1 MB, or 16 MB for notebook documents. */
export function jsonLimitFor(path: string): number {
  return NOTEBOOK_PATH.test(path) ? NOTEBOOK_JSON_LIMIT_BYTES : JSON_LIMIT_BYTES;
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  if (headers['transfer-encoding'] !== undefined) return true;
  return length !== undefined && length !== '0';
}

export function jsonBody(limitFor: (path: string) => number = jsonLimitFor): Middleware {
  return async (ctx, next) => {
    const limitBytes = limitFor(ctx.path);
    if (!hasBody(ctx.req.headers) || ctx.method === 'GET' || ctx.method === 'HEAD') return next();
    if (ctx.is('multipart/form-data')) return next();
    if (!ctx.is('application/json', '+json')) {
      throw httpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
    }
    const declared = Number(ctx.get('content-length') || Number.NaN);
    if (declared > limitBytes) throw tooLarge(limitBytes);
    const text = await readText(ctx.req, limitBytes);
    const trimmed = text.trim();
    if (trimmed === '') {
      ctx.request.body = undefined;
      return next();
    }
    // Strict like koa-bodyparser's `strict`: a bare string or number is never a valid body here.
    if (trimmed[0] !== '{' && trimmed[0] !== '[') {
      throw httpError(400, 'invalid_json', 'The request body must be a JSON object.');
    }
    try {
      ctx.request.body = JSON.parse(trimmed);
    } catch (error) {
      throw httpError(400, 'invalid_json', `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`);
    }
    return next();
  };
}

function tooLarge(limitBytes: number) {
  return httpError(413, 'payload_too_large', `The JSON body is larger than ${Math.round(limitBytes / 1024)} KB.`, undefined, { Connection: 'close' });
}

function readText(stream: NodeJS.ReadableStream & { destroy?: () => void; resume: () => unknown }, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | null, text?: string) => {
      if (done) return;
      done = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      if (error) {
        // Keep draining so the client can read our 413 instead of seeing a reset connection.
        stream.resume();
        reject(error);
      } else resolve(text ?? '');
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) finish(tooLarge(limitBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks).toString('utf8'));
    const onError = (error: Error) => finish(httpError(400, 'bad_request', `The request body could not be read: ${error.message}.`));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
