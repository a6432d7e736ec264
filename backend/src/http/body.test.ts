/**
 * Breach 12: the JSON limit could be bypassed by sending JSON as multipart/form-data (a 3 MB body
 * created a workspace), and workspace routes read up to 20 MB. Now every route reads only the
 * body type it declares, up to its own limit, and answers 415/413 in the error shape otherwise.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

const PASSWORD = 'body-limit-password';
const THREE_MB = 3 * 1024 * 1024;

let t: TestServer;
let token: string;
let cookie: string;
let wid: string;

function workspaceCount(): number {
  return Number(t.deps.db.prepare('SELECT count(*) FROM workspaces').pluck().get());
}

/** A multipart body whose one field holds `json`, as a form post of a JSON document would. */
function multipartJson(json: string): { body: Buffer; type: string } {
  const boundary = '----almready-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\nContent-Type: application/json\r\n\r\n`),
    Buffer.from(json),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/** A raw request (fetch would refuse some of these); the server may answer before the body is sent. */
function rawPost(path: string, headers: Record<string, string>, body: Buffer, method = 'POST'): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${t.url}${path}`, { method, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    // The server may answer and close before the whole body is sent; that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

beforeAll(async () => {
  t = await startTestServer();
  await t.createUser('bodo', PASSWORD);
  const session = await t.login('bodo', PASSWORD);
  token = session.token;
  cookie = session.cookie;
  wid = (await t.request('POST', '/api/workspaces', { token, body: { name: 'Limits' } })).body.workspace.id;
});

afterAll(async () => {
  await t?.stop();
});

describe('one body reader: the declared type and the route limit', () => {
  it('a 3 MB JSON body sent as multipart/form-data to a JSON route is a 415 in the error shape; no workspace is made', async () => {
    const before = workspaceCount();
    const { body, type } = multipartJson(JSON.stringify({ name: 'x'.repeat(THREE_MB) }));
    expect(body.length).toBeGreaterThan(THREE_MB);
    const attempts = [
      await rawPost('/api/workspaces', { authorization: `Bearer ${token}`, 'content-type': type }, body),
      await rawPost('/api/workspaces', { cookie, origin: t.url, 'content-type': type }, body),
      await rawPost(`/api/workspaces/${wid}/sql`, { authorization: `Bearer ${token}`, 'content-type': type }, body),
      await rawPost('/api/auth/login', { 'content-type': type }, body),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(415);
      expect(Object.keys(res.body)).toEqual(['error']);
      expect(res.body.error).toEqual({ code: 'unsupported_media_type', message: 'Send the request body as JSON with Content-Type: application/json.' });
    }
    expect(workspaceCount()).toBe(before);
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  });

  it('the same 3 MB as application/json is a 413 on the 1 MB routes, workspace routes included (they read 20 MB before)', async () => {
    const before = workspaceCount();
    const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(THREE_MB) }));
    const create = await rawPost('/api/workspaces', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, big);
    expect(create.status).toBe(413);
    expect(create.body.error).toEqual({ code: 'payload_too_large', message: 'The JSON body is larger than 1024 KB.' });
    const mapping = Buffer.from(JSON.stringify({ mapping: { notional: 'x'.repeat(2 * 1024 * 1024) } }));
    const save = await rawPost(`/api/workspaces/${wid}/mappings/huge`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, mapping, 'PUT');
    expect(save.status).toBe(413);
    const runs = await rawPost(`/api/workspaces/${wid}/runs`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, big);
    expect(runs.status).toBe(413);
    expect(workspaceCount()).toBe(before);
    expect(t.deps.db.prepare('SELECT count(*) FROM column_mappings').pluck().get()).toBe(0);
  });

  it('form-encoded, text and untyped bodies are refused on JSON routes; JSON on the upload route; big bodies on routes that take none', async () => {
    const form = await t.request('POST', '/api/workspaces', { token, body: 'name=Sneaky', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const text = await t.request('POST', '/api/workspaces', { token, body: '{"name":"Sneaky"}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const untyped = await rawPost('/api/workspaces', { authorization: `Bearer ${token}` }, Buffer.from('{"name":"Sneaky"}'));
    expect(untyped.status).toBe(415);
    const jsonUpload = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token, body: { positions: 'a,b' } });
    expect([jsonUpload.status, jsonUpload.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const logout = await rawPost('/api/auth/logout', { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ pad: 'x'.repeat(THREE_MB) })));
    expect(logout.status).toBe(413);
    expect(t.deps.db.prepare("SELECT count(*) FROM workspaces WHERE name = 'Sneaky'").pluck().get()).toBe(0);
    // The bearer token was not logged out by the refused request.
    expect((await t.request('GET', '/api/auth/me', { token })).status).toBe(200);
  });

  it('the body is not read before the caller is known: an anonymous 3 MB JSON post is a 401', async () => {
    const res = await rawPost('/api/workspaces', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ name: 'x'.repeat(THREE_MB) })));
    expect(res.status).toBe(401);
  });
});
