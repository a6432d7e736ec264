import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_IDLE_MS, DEFAULT_UPLOADS_PER_USER, DEFAULT_ZIP_LIMITS, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { errorHandler } from './middleware/errors.ts';
import { requestContext } from './middleware/request-context.ts';
import { startServer } from './server.ts';

function memoryLog(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('logs and internal errors', () => {
  it('a 500 says only "something went wrong" with the request id; the log has the stack', async () => {
    const { stream, lines } = memoryLog();
    const app = new Koa();
    app.silent = true;
    app.use(requestContext(createLogger({ logLevel: 'info' }, stream)));
    app.use(errorHandler());
    app.use(() => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/almready/data/almready.db');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const address = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${address.port}/api/anything`);
      const body = await res.json();
      const requestId = res.headers.get('x-request-id');
      expect(res.status).toBe(500);
      expect(body).toEqual({
        error: { code: 'internal_error', message: `Something went wrong on the server. Quote request id ${requestId} when reporting it.`, details: { requestId } },
      });
      const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed');
      expect(failure.requestId).toBe(requestId);
      expect(failure.err.stack).toContain('SQLITE_CORRUPT');
    } finally {
      server.close();
    }
  });

  it('request logs carry method, path, status and user, never passwords, tokens or cookies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'almready-logs-'));
    const { stream, lines } = memoryLog();
    const password = 'log-test-admin-password';
    const config: Config = {
      dataDir, port: 0, host: '127.0.0.1', corsOrigins: [], sessionTtlDays: 30, jwtSecret: randomBytes(32).toString('hex'),
      adminPassword: password, maxUploadMb: 512, workspaceTtlDays: null, trustProxy: false, logLevel: 'info', staticDir: null,
      zipLimits: DEFAULT_ZIP_LIMITS, uploadsPerUser: DEFAULT_UPLOADS_PER_USER, uploadIdleMs: DEFAULT_UPLOAD_IDLE_MS,
    };
    const printed: string[] = [];
    const server = await startServer(config, { demo: false, logDestination: stream, print: (l) => printed.push(l) });
    try {
      const login = await fetch(`${server.url}/api/auth/login?next=/`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }),
      });
      const { token, user } = await login.json();
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
      await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong-password-typed' }) });
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /api/auth/login 200', 'GET /api/auth/me 200', 'GET /api/auth/me 200', 'POST /api/auth/login 401',
      ]);
      expect(requests[1].userId).toBe(user.id);
      expect(typeof requests[0].ms).toBe('number');
      const all = lines.join('\n');
      for (const secret of [password, 'wrong-password-typed', token, cookie.split('=')[1]!, config.jwtSecret]) expect(all).not.toContain(secret);
      expect(printed).toEqual(['Admin login: admin / (the password in ALMREADY_ADMIN_PASSWORD)', `ALMReady is running at ${server.url}`]);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a first start without ALMREADY_ADMIN_PASSWORD prints a generated admin password once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'almready-first-'));
    const config: Config = {
      dataDir, port: 0, host: '127.0.0.1', corsOrigins: [], sessionTtlDays: 30, jwtSecret: randomBytes(32).toString('hex'),
      adminPassword: null, maxUploadMb: 512, workspaceTtlDays: null, trustProxy: false, logLevel: 'silent', staticDir: null,
      zipLimits: DEFAULT_ZIP_LIMITS, uploadsPerUser: DEFAULT_UPLOADS_PER_USER, uploadIdleMs: DEFAULT_UPLOAD_IDLE_MS,
    };
    try {
      const first: string[] = [];
      const a = await startServer(config, { demo: false, print: (l) => first.push(l) });
      const generated = /^Admin login: admin \/ ([A-Za-z0-9]{20})$/.exec(first[0] ?? '')?.[1];
      expect(generated).toBeDefined();
      const ok = await fetch(`${a.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: generated }) });
      expect(ok.status).toBe(200);
      await a.close();
      const second: string[] = [];
      const b = await startServer(config, { demo: false, print: (l) => second.push(l) });
      expect(second).toEqual([`ALMReady is running at ${b.url}`]);
      await b.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
