import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

const PASSWORD = 'correct-horse-battery';

/** Sends raw bytes (fetch would refuse some of these). */
function rawPost(url: string, path: string, headers: Record<string, string>, body: Buffer | string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('request handling and the one error shape', () => {
  let t: TestServer;
  let token: string;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'almready-spa-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ALMReady</title><div id="root"></div>');
    writeFileSync(join(staticDir, 'assets', 'index-3f2a1c.js'), 'console.log("app")');
    writeFileSync(join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(tmpdir(), 'almready-secret.txt'), 'outside the SPA folder');
    t = await startTestServer({ env: { staticDir, corsOrigins: ['https://alm.bank.internal'] } });
    await t.createUser('gina', PASSWORD);
    token = (await t.login('gina', PASSWORD)).token;
  });
  afterAll(async () => {
    await t.stop();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('health needs no login', async () => {
    const res = await t.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: '0.1.0' });
  });

  it('malformed JSON is a 400 with a readable message', async () => {
    const res = await t.request('POST', '/api/auth/login', { body: '{"username": "gina", ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
    expect(res.body.error.message).toMatch(/^The request body is not valid JSON/);
    const scalar = await t.request('POST', '/api/auth/login', { body: '"just a string"', headers: { 'content-type': 'application/json' } });
    expect(scalar.status).toBe(400);
  });

  it('a JSON body over 1 MB is a 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const res = await t.request('POST', '/api/workspaces', { token, body: big, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'payload_too_large', message: 'The JSON body is larger than 1024 KB.' });
    const chunked = await rawPost(t.url, '/api/auth/login', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, Buffer.alloc(2 * 1024 * 1024, 32));
    expect(chunked.status).toBe(413);
  });

  it('a non-JSON body is a 415', async () => {
    const res = await t.request('POST', '/api/auth/login', { body: 'username=gina', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('unknown fields are refused with their name, bad fields with their path', async () => {
    const extra = await t.request('POST', '/api/auth/login', { body: { username: 'gina', password: PASSWORD, remember: true } });
    expect(extra.status).toBe(422);
    expect(extra.body.error.code).toBe('validation_failed');
    expect(extra.body.error.message).toContain('remember');
    const admin = await t.login('admin', t.admin.password);
    const bad = await t.request('POST', '/api/admin/users', { token: admin.token, body: { username: 'hal', password: 'short', role: 'boss' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/password: must be at least 10 characters/);
    expect(bad.body.error.message).toMatch(/role: must be "admin" or "member"/);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['password', 'role']);
  });

  it('unknown API routes are a JSON 404, wrong methods a 405', async () => {
    const missing = await t.request('GET', '/api/nothing-here', { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here.' } });
    const wrongMethod = await t.request('DELETE', '/api/auth/me', { token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe('method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toContain('GET');
  });

  it('error bodies never carry stack traces or internals', async () => {
    const responses = await Promise.all([
      t.request('POST', '/api/auth/login', { body: '{', headers: { 'content-type': 'application/json' } }),
      t.request('GET', '/api/workspaces/not-a-uuid', { token }),
      t.request('GET', '/api/admin/users', { token }),
      t.request('GET', '/api/auth/me', { token: 'garbage' }),
    ]);
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(Object.keys(res.body)).toEqual(['error']);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|stack|SQLITE/i);
    }
  });

  it('sets security headers: CSP without inline scripts, nosniff, frame denial', async () => {
    const res = await t.request('GET', '/api/health');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("font-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // Plain HTTP: no HSTS (browsers ignore it there; it belongs on HTTPS answers only).
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('CORS: only listed origins get CORS headers and preflight answers', async () => {
    const listed = await t.request('GET', '/api/health', { headers: { origin: 'https://alm.bank.internal' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://alm.bank.internal');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await t.request('GET', '/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await t.request('OPTIONS', '/api/workspaces', { headers: { origin: 'https://alm.bank.internal', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await t.request('OPTIONS', '/api/workspaces', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(refused.status).toBe(403);
  });

  it('serves the SPA: files, long cache for hashed assets, index.html fallback for client routes', async () => {
    const root = await t.request('GET', '/');
    expect(root.status).toBe(200);
    expect(root.body).toContain('<div id="root">');
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const deep = await t.request('GET', '/workspaces/123/notebooks');
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    expect(deep.body).toContain('<title>ALMReady</title>');
    const asset = await t.request('GET', '/assets/index-3f2a1c.js');
    expect(asset.body).toBe('console.log("app")');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await t.request('GET', '/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    const head = await t.request('HEAD', '/assets/index-3f2a1c.js');
    expect([head.status, head.headers.get('content-length'), head.body]).toEqual([200, '18', '']);
    expect(head.headers.get('content-type')).toContain('text/javascript');
    expect((await t.request('GET', '/assets/missing-1234.js')).status).toBe(404);
    expect((await t.request('GET', '/%2e%2e/almready-secret.txt')).status).toBe(404);
    expect((await t.request('GET', '/api/unknown')).status).toBe(401); // API paths never fall back to the SPA
  });
});
