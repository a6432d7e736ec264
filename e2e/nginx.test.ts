/**
 * Runs the real docker/nginx.conf with Debian's nginx (CI: `apt-get install nginx-light`) in front
 * of a tiny Node upstream on loopback. The config file stays the single source: the test only
 * rewrites host:port pairs and the cert/log/cache/pid paths, and fails if any of them moved.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NGINX = '/usr/sbin/nginx';
const CONF = resolve(import.meta.dirname, '../docker/nginx.conf');

interface Seen { path: string; headers: IncomingHttpHeaders }
const seen: Seen[] = [];
let releaseStream: () => void = () => {};
let streamFinished = false;

let dir = '';
let ca = '';
let nginx: ChildProcess | null = null;
let nginxLog = '';
const servers: Server[] = [];
const ports = { http: 0, https: 0, backend: 0, frontend: 0 };

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    done(typeof address === 'object' && address ? address.port : 0);
  }));
}

function backend(): Server {
  return createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    if (req.url === '/api/health') {
      // Headers the edge proxy must replace with its own, not duplicate.
      res.writeHead(200, { 'content-type': 'application/json', 'x-frame-options': 'SAMEORIGIN', 'x-powered-by': 'Koa' });
      res.end(JSON.stringify({ status: 'ok', version: 'test', forwardedProto: req.headers['x-forwarded-proto'] ?? null }));
    } else if (req.url === '/api/workspaces/w1/runs/r1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('event: progress\ndata: {"phase":"cashflows","fraction":0.25}\n\n');
      // The rest only comes once the test has seen the first event (or after 5 s, to fail, not hang).
      const timer = setTimeout(() => releaseStream(), 5_000);
      releaseStream = () => {
        clearTimeout(timer);
        res.end('event: done\ndata: {"summary":{}}\n\n');
        streamFinished = true;
      };
    } else if (req.url === '/api/upload' && req.method === 'POST') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ bytes }));
      });
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"not_found","message":"Not found"}}');
    }
  });
}

function frontend(): Server {
  return createServer((req, res) => {
    seen.push({ path: `frontend:${req.url}`, headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><div id="root"></div>');
  });
}

/** Replaces one literal of the config, insisting that it is there. */
function substitute(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`docker/nginx.conf no longer contains "${from}": update e2e/nginx.test.ts with it`);
  return text.split(from).join(to);
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); done(); });
      socket.once('error', () => {
        socket.destroy();
        if (nginx?.exitCode !== null) return fail(new Error(`nginx exited: ${nginxLog}`));
        if (Date.now() - started > timeoutMs) return fail(new Error(`nginx did not listen on ${port}: ${nginxLog}`));
        setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

function https(method: string, path: string, body?: Buffer): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = httpsRequest({ host: '127.0.0.1', port: ports.https, method, path, ca, servername: 'localhost', headers: body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} not found: install it with "apt-get install -y nginx-light"`);
  dir = mkdtempSync(join(tmpdir(), 'almready-nginx-'));
  // nginx workers drop root to `nobody`: they must be able to read the tree and write temp files.
  chmodSync(dir, 0o755);
  for (const sub of ['certs', 'logs', 'cache']) mkdirSync(join(dir, sub), { mode: 0o777 });
  chmodSync(join(dir, 'cache'), 0o777);
  const openssl = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', join(dir, 'certs/server.key'), '-out', join(dir, 'certs/server.crt'),
  ], { encoding: 'utf8' });
  if (openssl.status !== 0) throw new Error(`openssl failed: ${openssl.stderr}`);
  ca = readFileSync(join(dir, 'certs/server.crt'), 'utf8');

  ports.backend = await listen(backend());
  ports.frontend = await listen(frontend());
  ports.http = await freePort();
  ports.https = await freePort();

  let conf = readFileSync(CONF, 'utf8');
  conf = substitute(conf, 'set $almready_backend backend:8080;', `set $almready_backend 127.0.0.1:${ports.backend};`);
  conf = substitute(conf, 'set $almready_frontend frontend:80;', `set $almready_frontend 127.0.0.1:${ports.frontend};`);
  conf = substitute(conf, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  conf = substitute(conf, 'listen 443 ssl', `listen 127.0.0.1:${ports.https} ssl`);
  conf = substitute(conf, '/etc/nginx/certs/', `${dir}/certs/`);
  conf = substitute(conf, '/var/log/nginx/', `${dir}/logs/`);
  conf = substitute(conf, '/var/cache/nginx/', `${dir}/cache/`);
  conf = substitute(conf, '/var/run/nginx.pid', `${dir}/nginx.pid`);
  writeFileSync(join(dir, 'nginx.conf'), conf);

  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stdout?.on('data', (chunk: Buffer) => { nginxLog += chunk.toString(); });
  nginx.stderr?.on('data', (chunk: Buffer) => { nginxLog += chunk.toString(); });
  await waitForPort(ports.https, 10_000);
  await waitForPort(ports.http, 10_000);
});

afterAll(async () => {
  releaseStream();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((done) => nginx!.once('exit', done));
    nginx.kill('SIGTERM');
    await exited;
  }
  await Promise.all(servers.map((s) => new Promise((done) => { s.closeAllConnections(); s.close(done); })));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('docker/nginx.conf', () => {
  it('proxies /api over HTTPS and tells the backend the original scheme', async () => {
    const answer = await https('GET', '/api/health');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok', version: 'test', forwardedProto: 'https' });
    const upstream = seen.find((s) => s.path === '/api/health');
    expect(upstream?.headers['x-forwarded-proto']).toBe('https');
    expect(upstream?.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('redirects plain HTTP to HTTPS with 301', async () => {
    const answer = await new Promise<Answer>((done, fail) => {
      httpRequest({ host: '127.0.0.1', port: ports.http, path: '/api/health?x=1' }, (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
      }).on('error', fail).end();
    });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('https://127.0.0.1/api/health?x=1');
    expect(seen.filter((s) => s.path.startsWith('/api/health?'))).toEqual([]);
  });

  it('streams run events unbuffered: the first event arrives before the upstream finishes', async () => {
    const { first, finishedWhenFirstArrived, rest, contentType } = await new Promise<{ first: string; finishedWhenFirstArrived: boolean; rest: string; contentType: string }>((done, fail) => {
      const req = httpsRequest({ host: '127.0.0.1', port: ports.https, path: '/api/workspaces/w1/runs/r1/events', ca, servername: 'localhost', headers: { accept: 'text/event-stream' } }, (res) => {
        let firstChunk: string | null = null;
        let finished = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (firstChunk === null) {
            firstChunk = chunk;
            finished = streamFinished;
            releaseStream();
          } else {
            text += chunk;
          }
        });
        res.on('end', () => done({ first: firstChunk ?? '', finishedWhenFirstArrived: finished, rest: text, contentType: String(res.headers['content-type']) }));
      });
      req.on('error', fail);
      req.end();
    });
    expect(contentType).toBe('text/event-stream');
    expect(first).toContain('event: progress');
    expect(finishedWhenFirstArrived).toBe(false);
    expect(rest).toContain('event: done');
  });

  it('lets an upload larger than 1 MB through to the backend', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 17, 'a');
    const answer = await https('POST', '/api/upload', body);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ bytes: body.length });
  });

  it('serves the SPA from the frontend upstream with the security headers, once each', async () => {
    const page = await https('GET', '/w/abc/explore');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(seen.some((s) => s.path === 'frontend:/w/abc/explore')).toBe(true);
    const api = await https('GET', '/api/health');
    for (const answer of [page, api]) {
      expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['referrer-policy']).toBe('same-origin');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['x-powered-by']).toBeUndefined();
      expect(answer.headers.server).toBe('nginx');
    }
  });
});
