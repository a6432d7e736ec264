/**
 * The one body reader. Every route declares what it takes (http/route-table.ts): a JSON body up
 * to its own limit, a multipart upload (streamed by the route itself), or nothing. The declared
 * type is enforced before a byte is read: JSON routes refuse multipart, form-encoded or untyped
 * bodies with 415, so no route reads more than its limit whatever the client claims to send.
 * JSON bodies must be objects or arrays (a bare string or number is never a valid body here).
 */
import type { Context, Middleware } from 'koa';
import { AppError } from '../app-error.ts';
import './state.ts';

export const JSON_LIMIT_BYTES = 1024 * 1024;
/** Notebook saves carry whole documents (cells up to 1,000,000 characters each), so they get more room. */
export const NOTEBOOK_JSON_LIMIT_BYTES = 16 * 1024 * 1024;
/** Routes without a body still accept the `{}` a client sends by habit, and nothing bigger. */
export const NO_BODY_LIMIT_BYTES = 1024;

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'json'; limitBytes: number }
  | { kind: 'multipart' };

function hasBody(ctx: Context): boolean {
  const headers = ctx.req.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

export function bodyReader(spec: BodySpec): Middleware {
  return async (ctx, next) => {
    if (!hasBody(ctx)) {
      if (spec.kind === 'multipart') throw notMultipart();
      ctx.request.body = undefined;
      return next();
    }
    if (spec.kind === 'multipart') {
      if (!ctx.is('multipart/form-data')) throw notMultipart();
      return next();
    }
    if (!ctx.is('application/json', '+json')) {
      throw new AppError(415, 'unsupported_media_type', spec.kind === 'none'
        ? 'This route takes no request body; send none (or {} as application/json).'
        : 'Send the request body as JSON with Content-Type: application/json.', undefined, { Connection: 'close' });
    }
    const limitBytes = spec.kind === 'none' ? NO_BODY_LIMIT_BYTES : spec.limitBytes;
    const declared = Number(ctx.get('content-length') || Number.NaN);
    if (declared > limitBytes) throw tooLarge(limitBytes);
    ctx.request.body = parseJson(await readText(ctx.req, limitBytes));
    return next();
  };
}

function notMultipart(): AppError {
  return new AppError(415, 'unsupported_media_type', 'This route takes a multipart/form-data upload.', undefined, { Connection: 'close' });
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed[0] !== '{' && trimmed[0] !== '[') {
    throw new AppError(400, 'invalid_json', 'The request body must be a JSON object.');
  }
  try {
    return JSON.parse(trimmed);
  } catch (error) {
    throw new AppError(400, 'invalid_json', `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`);
  }
}

function tooLarge(limitBytes: number): AppError {
  const size = limitBytes >= 1024 ? `${Math.round(limitBytes / 1024)} KB` : `${limitBytes} bytes`;
  return new AppError(413, 'payload_too_large', `The JSON body is larger than ${size}.`, undefined, { Connection: 'close' });
}

function readText(stream: NodeJS.ReadableStream & { resume: () => unknown }, limitBytes: number): Promise<string> {
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
    const onError = (error: Error) => finish(new AppError(400, 'bad_request', `The request body could not be read: ${error.message}.`));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
