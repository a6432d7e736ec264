import { describe, expect, it } from 'vitest';
import { failureFromBody, onUnauthorized, request, wsPath } from './http.ts';

function respond(status: number, body: string, statusText = ''): (input: string, init?: RequestInit) => Promise<Response> {
  return async () => new Response(body, { status, statusText });
}

describe('request', () => {
  it('answers the parsed body on success', async () => {
    const result = await request<{ status: string }>('/api/health', { fetchImpl: respond(200, '{"status":"ok","version":"0.1.0"}') });
    expect(result).toEqual({ ok: true, value: { status: 'ok', version: '0.1.0' } });
  });

  it('keeps the server message verbatim and signals a lost session on 401', async () => {
    let signalled = 0;
    onUnauthorized(() => signalled++);
    const body = '{"error":{"code":"unauthenticated","message":"Your session has ended: log in again."}}';
    const result = await request('/api/workspaces', { fetchImpl: respond(401, body) });
    expect(result).toEqual({ ok: false, error: { status: 401, code: 'unauthenticated', message: 'Your session has ended: log in again.' } });
    expect(signalled).toBe(1);
    await request('/api/auth/login', { method: 'POST', body: {}, quietUnauthorized: true, fetchImpl: respond(401, body) });
    expect(signalled).toBe(1);
    onUnauthorized(null);
  });

  it('reports an unreachable server as status 0', async () => {
    const result = await request('/api/health', { fetchImpl: async () => { throw new TypeError('Failed to fetch'); } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.status).toBe(0);
  });

  it('sends JSON bodies with the method asked for', async () => {
    let seen: RequestInit | undefined;
    await request('/api/workspaces', {
      method: 'POST',
      body: { name: 'ALM' },
      fetchImpl: async (_path, init) => { seen = init; return new Response('{}', { status: 201 }); },
    });
    expect(seen?.method).toBe('POST');
    expect(seen?.body).toBe('{"name":"ALM"}');
    expect((seen?.headers as Record<string, string>)['content-type']).toBe('application/json');
  });
});

describe('failureFromBody', () => {
  it('keeps validation details', () => {
    const details = { errors: [{ file: 'positions', row: 3, column: 'notional', value: '-1', reason: 'must be > 0' }], total: 1 };
    const failure = failureFromBody(422, { error: { code: 'validation_failed', message: '1 row is invalid', details } });
    expect(failure).toEqual({ status: 422, code: 'validation_failed', message: '1 row is invalid', details });
  });

  it('says what a bare 429 means', () => {
    expect(failureFromBody(429, null).message).toBe('Too many attempts: wait a moment and try again.');
    expect(failureFromBody(502, 'x', 'Bad Gateway')).toEqual({ status: 502, code: 'http_502', message: 'Bad Gateway' });
  });
});

describe('wsPath', () => {
  it('encodes each segment', () => {
    expect(wsPath('a1', 'members', 'ann smith')).toBe('/api/workspaces/a1/members/ann%20smith');
  });
});
