/**
 * The one error path. Every failure leaves as `{error: {code, message, details?}}`; a 5xx says
 * only "something went wrong" plus the request id, while the log line gets the stack.
 */
import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import type { ErrorBody as ErrorBodyContract } from '@almready/contracts';
import { AppError } from '../app-error.ts';
import { formatZodError } from './validate.ts';

/** The old names of the one error type, kept so existing imports keep working. */
export { AppError as HttpError, appError as httpError } from '../app-error.ts';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  408: 'timeout', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type',
  422: 'validation_failed', 429: 'too_many_requests', 501: 'not_implemented', 503: 'unavailable',
};

const CONTENT_HEADERS = ['content-disposition', 'content-encoding', 'content-length', 'etag', 'last-modified', 'cache-control'];

/** The one error shape (@almready/contracts error.ts). */
type ErrorBody = ErrorBodyContract;

/** Shape of anything thrown with a status (http-errors from ctx.throw, koa-jwt, router). */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof AppError) {
    const body: ErrorBody = error.expose
      ? { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } }
      : internalBody(requestId);
    return { status: error.status, body, headers: error.headers ?? {} };
  }
  if (error instanceof ZodError) {
    return { status: 422, body: { error: { code: 'validation_failed', message: formatZodError(error), details: { issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } } }, headers: {} };
  }
  const status = statusOf(error);
  if (status !== undefined && status < 500) {
    const exposed = (error as { expose?: unknown }).expose !== false;
    const message = exposed && error instanceof Error && error.message ? error.message : defaultMessage(status);
    const headers: Record<string, string> = {};
    const errorHeaders = (error as { headers?: unknown }).headers;
    if (errorHeaders && typeof errorHeaders === 'object') {
      for (const [k, v] of Object.entries(errorHeaders)) if (typeof v === 'string') headers[k] = v;
    }
    // Errors of libraries that carry an API-looking code keep it.
    const ownCode = (error as { code?: unknown }).code;
    const code = exposed && typeof ownCode === 'string' && /^[a-z][a-z_]*$/.test(ownCode) ? ownCode : CODE_BY_STATUS[status] ?? 'bad_request';
    const details = exposed ? (error as { details?: unknown }).details : undefined;
    return { status, body: { error: { code, message, ...(details === undefined ? {} : { details }) } }, headers };
  }
  return { status: status ?? 500, body: internalBody(requestId), headers: {} };
}

function internalBody(requestId: string): ErrorBody {
  return {
    error: {
      code: 'internal_error',
      message: `Something went wrong on the server. Quote request id ${requestId} when reporting it.`,
      details: { requestId },
    },
  };
}

function defaultMessage(status: number): string {
  switch (status) {
    case 401: return 'Sign in first: this route needs a session cookie or a Bearer token.';
    case 403: return 'You are not allowed to do this.';
    case 404: return 'Not found.';
    case 405: return 'This method is not allowed on this route.';
    default: return 'The request could not be processed.';
  }
}

/** Outermost middleware (after request ids): also turns an unmatched route into a JSON 404. */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        throw new AppError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}.`);
      }
      // The router's allowedMethods() leaves a bare 405 with an Allow header.
      if (ctx.status === 405 && ctx.body == null) {
        throw new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; use ${ctx.response.get('allow') || 'another method'}.`);
      }
    } catch (error) {
      const requestId = String(ctx.state.requestId ?? 'unknown');
      const { status, body, headers } = toErrorResponse(error, requestId);
      const log = ctx.state.log ?? null;
      if (status >= 500 && log) log.error({ err: error, requestId }, 'request failed');
      if (ctx.headerSent || !ctx.writable) return;
      // Content headers set by the failed route (e.g. an export's Content-Disposition) must not leak.
      for (const name of CONTENT_HEADERS) ctx.remove(name);
      ctx.set(headers);
      ctx.status = status;
      ctx.type = 'application/json';
      ctx.body = body;
    }
  };
}
