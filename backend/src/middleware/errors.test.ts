/** One error class and one rendering: the old names are the same class, the query layer's errors are AppErrors. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../app-error.ts';
import { QueryError } from '../data/query/query-error.ts';
import { ApiError, apiError } from '../workspaces/api-error.ts';
import { fromQueryError } from '../workspaces/query-errors.ts';
import { HttpError, httpError, toErrorResponse } from './errors.ts';
import { parseWith } from './validate.ts';

describe('the one error path', () => {
  it('HttpError and ApiError are AppError; QueryError is one, with its status from its code', () => {
    expect(HttpError).toBe(AppError);
    expect(ApiError).toBe(AppError);
    expect(httpError(409, 'conflict', 'x')).toBeInstanceOf(AppError);
    expect(apiError(404, 'not_found', 'x')).toBeInstanceOf(AppError);
    const timeout = new QueryError('timeout', 'The query ran longer than 30 s and was stopped.');
    expect(timeout).toBeInstanceOf(AppError);
    expect(toErrorResponse(timeout, 'r1')).toEqual({ status: 408, body: { error: { code: 'timeout', message: 'The query ran longer than 30 s and was stopped.' } }, headers: {} });
    expect(toErrorResponse(new QueryError('memory_limit', 'm'), 'r1').status).toBe(413);
    expect(fromQueryError(timeout)).toBe(timeout);
    // A look-alike is not trusted by its name any more: it stays an internal error.
    const lookalike = Object.assign(new Error('secret /srv/path'), { name: 'QueryError', code: 'bad_request' });
    expect(fromQueryError(lookalike)).toBeUndefined();
  });

  it('renders every AppError in the one shape; hides 5xx messages except a deliberate 503', () => {
    expect(toErrorResponse(new AppError(429, 'too_many_requests', 'Wait.', undefined, { 'Retry-After': '1' }), 'r2'))
      .toEqual({ status: 429, body: { error: { code: 'too_many_requests', message: 'Wait.' } }, headers: { 'Retry-After': '1' } });
    expect(toErrorResponse(new AppError(503, 'unavailable', 'The query service is not available on this server.'), 'r3').body.error.message)
      .toBe('The query service is not available on this server.');
    const internal = toErrorResponse(new AppError(500, 'boom', 'SQLITE_CORRUPT at /srv/data'), 'r4');
    expect(internal.body.error).toEqual({ code: 'internal_error', message: 'Something went wrong on the server. Quote request id r4 when reporting it.', details: { requestId: 'r4' } });
  });

  it('one validator: a 422 naming every bad field with its path', () => {
    const schema = z.strictObject({ name: z.string().min(1, 'must not be empty'), role: z.enum(['a', 'b'], { message: 'must be "a" or "b"' }) });
    try {
      parseWith(schema, { name: '', role: 'c', extra: 1 });
      expect.unreachable();
    } catch (error) {
      const { status, body } = toErrorResponse(error, 'r5');
      expect(status).toBe(422);
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toBe('Invalid request: name: must not be empty; role: must be "a" or "b"; body: Unrecognized key: "extra".');
      expect((body.error.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['name', 'role', '']);
    }
  });
});
