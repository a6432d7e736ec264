/**
 * The deployment run for real, as a bank's IT runs it: a private Docker engine, base images made
 * offline (Debian mirror + this machine's Node 20), the three images built from the repository's
 * Dockerfiles, `docker-compose up -d` with a throw-away certificate, then everything through nginx
 * over HTTPS, a restart, backup → `down -v` → restore, and an upgrade to a second image tag.
 *
 * Runs only with ALMREADY_DOCKER_TEST=1 (.ci/run sets it after installing docker.io,
 * docker-compose and debootstrap; scripts/test.mjs runs this file after the other suites and adds
 * its counts to the totals). Each step is one test; a step after a failed one fails at once naming
 * the failed step, so a machine where dockerd cannot start gives clear failures, never a hang.
 * Timings of every step: .tmp/compose-timings.txt.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticFiles, AS_OF } from '../backend/src/workspaces/test-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ENABLED = process.env.ALMREADY_DOCKER_TEST === '1';
const STEP_MS = 15 * 60_000;
const PASSWORD = `ci-admin-${Math.random().toString(36).slice(2, 12)}`;
const POSITIONS = Number(process.env.ALMREADY_COMPOSE_POSITIONS ?? 30_000);

const work = ENABLED ? mkdtempSync(join(tmpdir(), 'almready-compose-')) : '';
const dockerDir = process.env.ALMREADY_DOCKER_DIR ?? join(work, 'docker');
const cacheDir = process.env.ALMREADY_DOCKER_CACHE ?? join(homedir(), '.cache', 'almready', 'docker-base');
const project = `almreadyci${process.pid}`;
const timings: string[] = [];
let dockerHost = '';
let failedStep: string | null = null;
let ports = { https: 0, http: 0 };
let publicUrl = '';
let ca = '';
let cookie = '';
const ids = { workspace: '', dataset: '', run: '' };
let eveRows: unknown[] = [];
let migrations: { id: string; applied_at: string }[] = [];
/** Every workspace's id and name before the restart (`almready serve` adds the demo workspace). */
let workspacesBefore: string[][] = [];

/** One step of the run: times it, and refuses to run after an earlier step failed. */
function step(name: string, body: () => Promise<void> | void, timeout = STEP_MS): void {
  it(name, async () => {
    if (failedStep) throw new Error(`not run: the step "${failedStep}" failed before it`);
    const started = Date.now();
    try {
      await body();
    } catch (error) {
      failedStep = name;
      throw error;
    } finally {
      timings.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s  ${failedStep === name ? 'FAILED ' : ''}${name}`);
    }
  }, timeout);
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DOCKER_HOST: dockerHost,
    COMPOSE_PROJECT_NAME: project,
    ALMREADY_NGINX_IMAGE: 'local/nginx:bookworm',
    ALMREADY_BIND_ADDRESS: '127.0.0.1',
    ALMREADY_HTTPS_PORT: String(ports.https),
    ALMREADY_HTTP_PORT: String(ports.http),
    ALMREADY_PUBLIC_URL: publicUrl,
    ALMREADY_CERTS_DIR: join(work, 'certs'),
    ALMREADY_ADMIN_PASSWORD: PASSWORD,
    ALMREADY_VERSION: 'ci1',
    ALMREADY_LOG_LEVEL: 'warn',
    ...extra,
  };
}
let stackEnv: Record<string, string> = {};

/** Runs a command to its end (with a time limit); throws with its output when it fails. */
function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: options.env ?? env(stackEnv), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    child.stderr.on('data', (d: Buffer) => { out += d; });
    child.stdin.end(options.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    child.once('error', (error) => { clearTimeout(timer); fail(new Error(`cannot run ${cmd}: ${error.message}`)); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(out);
      else fail(new Error(`${cmd} ${args.join(' ')} → ${signal ? `killed (${signal}, time limit)` : `exit ${code}`}\n${out.slice(-4000)}`));
    });
  });
}
const compose = (args: string[], timeoutMs?: number) => run('docker-compose', args, { timeoutMs });

function freePort(preferred: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const address = any.address();
        any.close(() => done(typeof address === 'object' && address ? address.port : 0));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => done(preferred)));
  });
}

interface Answer { status: number; headers: IncomingHttpHeaders; rawHeaders: string[]; text: string; body: any }

/** HTTPS through nginx, trusting the test's own CA; a browser's Origin with every write. */
function https(method: string, path: string, options: { body?: unknown; form?: { type: string; data: Buffer }; origin?: string | null; cookie?: string } = {}): Promise<Answer> {
  const headers: Record<string, string | number> = {};
  let payload: Buffer | undefined;
  if (options.form) {
    payload = options.form.data;
    headers['content-type'] = options.form.type;
  } else if (options.body !== undefined) {
    payload = Buffer.from(JSON.stringify(options.body));
    headers['content-type'] = 'application/json';
  }
  if (payload) headers['content-length'] = payload.length;
  const origin = options.origin === undefined ? publicUrl : options.origin;
  if (origin && method !== 'GET') headers.origin = origin;
  const session = options.cookie ?? cookie;
  if (session) headers.cookie = session;
  return new Promise((done, fail) => {
    const req = httpsRequest({ host: '127.0.0.1', port: ports.https, method, path, ca, servername: 'localhost', headers, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any = null;
        try { body = JSON.parse(text); } catch { /* HTML or text */ }
        done({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, text, body });
      });
    });
    req.once('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
    req.once('error', fail);
    req.end(payload);
  });
}

async function waitForHealth(timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const res = await https('GET', '/api/health');
      if (res.status === 200 && res.body?.status === 'ok') return;
      last = `${res.status} ${res.text.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const ps = await compose(['ps']).catch((e: Error) => e.message);
  const logs = await compose(['logs', '--tail', '40']).catch((e: Error) => e.message);
  throw new Error(`no healthy answer from https://127.0.0.1:${ports.https}/api/health within ${timeoutMs / 1000} s (last: ${last})\n${ps}\n${logs}`);
}

async function login(password = PASSWORD): Promise<void> {
  const res = await https('POST', '/api/auth/login', { body: { username: 'admin', password }, cookie: '' });
  expect(res.status, res.text).toBe(200);
  expect(res.body.user).toMatchObject({ username: 'admin', role: 'admin' });
  const setCookie = res.headers['set-cookie']?.[0] ?? '';
  expect(setCookie).toMatch(/; secure/i);
  cookie = setCookie.split(';')[0]!;
}

async function datasetForm(): Promise<{ type: string; data: Buffer }> {
  const files = await syntheticFiles(POSITIONS, 11);
  const form = new FormData();
  form.set('name', 'Compose book');
  form.set('as_of', AS_OF);
  form.set('positions', new Blob([new Uint8Array(files.positions)]), 'positions.csv');
  form.set('curves', new Blob([new Uint8Array(files.curves)]), 'curves.csv');
  form.set('schedules', new Blob([new Uint8Array(files.schedules)]), 'schedules.csv');
  const encoded = new Response(form);
  return { type: encoded.headers.get('content-type')!, data: Buffer.from(await encoded.arrayBuffer()) };
}

/** Everything the stack must still hold after a restart, a restore or an upgrade. */
async function expectDataIntact(): Promise<void> {
  const workspaces = await https('GET', '/api/workspaces');
  expect(workspaces.status).toBe(200);
  const listed = workspaces.body.workspaces.map((w: { id: string; name: string }) => [w.id, w.name]).sort();
  expect(listed).toContainEqual([ids.workspace, 'Compose workspace']);
  expect(listed).toEqual(workspacesBefore);
  const dataset = await https('GET', `/api/workspaces/${ids.workspace}/datasets/${ids.dataset}`);
  expect(dataset.status, dataset.text).toBe(200);
  expect(dataset.body.dataset.name).toBe('Compose book');
  const rows = await https('POST', `/api/workspaces/${ids.workspace}/datasets/${ids.dataset}/query`, { body: { table: 'positions', startRow: 0, endRow: 3 } });
  expect(rows.status, rows.text).toBe(200);
  expect(rows.body.rowCount).toBe(POSITIONS);
  const runAnswer = await https('GET', `/api/workspaces/${ids.workspace}/runs/${ids.run}`);
  expect(runAnswer.body.run.status).toBe('done');
  const eve = await https('GET', `/api/workspaces/${ids.workspace}/runs/${ids.run}/results/eve`);
  expect(eve.status).toBe(200);
  expect(eve.body.rows).toEqual(eveRows);
}

async function readMigrations(): Promise<{ id: string; applied_at: string }[]> {
  const out = await compose(['exec', '-T', 'backend', 'node', '-e',
    "const D=require('better-sqlite3');const d=new D('/data/almready.db',{readonly:true});console.log(JSON.stringify(d.prepare('SELECT id, applied_at FROM schema_migrations ORDER BY id').all()))"]);
  return JSON.parse(out.trim().split('\n').pop()!);
}

function caBundle(): string | null {
  const npmCa = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout?.trim();
  for (const file of [process.env.ALMREADY_BUILD_CA, process.env.NODE_EXTRA_CA_CERTS, npmCa, process.env.SSL_CERT_FILE]) {
    if (file && file !== 'null' && file !== 'undefined' && existsSync(file)) return file;
  }
  return null;
}

describe.skipIf(!ENABLED)('docker-compose stack, built offline, through nginx over HTTPS', () => {
  beforeAll(async () => {
    ports = { https: await freePort(18443), http: await freePort(18080) };
    publicUrl = `https://127.0.0.1:${ports.https}`;
    mkdirSync(join(work, 'certs'), { recursive: true });
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', join(work, 'certs/server.key'), '-out', join(work, 'certs/server.crt')], { encoding: 'utf8' });
    if (cert.status !== 0) throw new Error(`openssl: ${cert.stderr}`);
    ca = readFileSync(join(work, 'certs/server.crt'), 'utf8');
  });

  afterAll(async () => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const cleanupStarted = Date.now();
    if (dockerHost) await compose(['down', '-v', '--remove-orphans'], 120_000).catch(() => '');
    spawnSync(join(ROOT, 'scripts/deploy/private-dockerd.sh'), ['stop', dockerDir], { stdio: 'inherit', timeout: 240_000 });
    rmSync(work, { recursive: true, force: true });
    timings.push(`${((Date.now() - cleanupStarted) / 1000).toFixed(1).padStart(7)} s  clean-up: down -v, dockerd stopped, its folders removed`);
    writeFileSync(join(ROOT, '.tmp/compose-timings.txt'), `${timings.join('\n')}\n`);
    console.log(`compose test timings:\n${timings.join('\n')}`);
  }, 300_000);

  step('starts a private Docker engine', async () => {
    const out = await run(join(ROOT, 'scripts/deploy/private-dockerd.sh'), ['start', dockerDir], { env: process.env, timeoutMs: 90_000 });
    dockerHost = out.trim().split('\n').pop()!;
    expect(dockerHost).toBe(`unix://${resolve(dockerDir)}/docker.sock`);
    expect(await run('docker', ['info', '--format', '{{.Driver}}'])).toMatch(/overlay2|vfs/);
  }, 120_000);

  step('makes the base images offline (debootstrap from the Debian mirror, this machine\'s Node 20)', async () => {
    await run(join(ROOT, 'scripts/deploy/base-images.sh'), ['--cache', cacheDir], { timeoutMs: 8 * 60_000 });
    const node = await run('docker', ['run', '--rm', 'local/node:20-bookworm-slim', 'node', '-p', 'process.version + " " + require("fs").existsSync("/usr/local/include/node/node_api.h")']);
    expect(node.trim()).toBe(`${process.version} true`);
  });

  step('builds the backend and frontend images with the repository\'s Dockerfiles', async () => {
    const bundle = caBundle();
    await run(join(ROOT, 'scripts/deploy/build-images.sh'), ['--tag', 'ci1', '--offline', '--base-cache', cacheDir, '--deps-cache', cacheDir, ...(bundle ? ['--ca-bundle', bundle] : [])], { timeoutMs: 14 * 60_000 });
    const user = await run('docker', ['image', 'inspect', '--format', '{{.Config.User}} {{json .Config.Healthcheck.Test}}', 'almready-backend:ci1']);
    expect(user).toContain('node ');
    expect(user).toContain('/api/health');
    // Production dependencies only: no test runner or SPA bundler in the backend image. (TypeScript
    // is one of the server's own dependencies: it transpiles notebook ts cells.)
    const dev = await run('docker', ['run', '--rm', 'almready-backend:ci1', 'sh', '-c', 'ls node_modules/vitest node_modules/vite 2>/dev/null | wc -l; node -e "require(\'better-sqlite3\')(\':memory:\')" && echo sqlite-ok']);
    expect(dev.trim().split('\n')).toEqual(['0', 'sqlite-ok']);
  });

  step('docker-compose up -d brings the stack up healthy behind nginx on loopback ports', async () => {
    await compose(['config', '-q']);
    await compose(['up', '-d'], 5 * 60_000);
    await waitForHealth();
    const ps = await compose(['ps']);
    expect(ps).toMatch(/backend.*Up.*\(healthy\)/);
  });

  step('redirects plain HTTP to HTTPS on the public port, keeping path and query', async () => {
    const answer = await new Promise<{ status: number; location: string | undefined }>((done, fail) => {
      httpRequest({ host: '127.0.0.1', port: ports.http, path: '/workspaces?tab=runs', headers: { host: `127.0.0.1:${ports.http}` } }, (res) => {
        res.resume();
        done({ status: res.statusCode ?? 0, location: res.headers.location });
      }).once('error', fail).end();
    });
    expect(answer).toEqual({ status: 301, location: `${publicUrl}/workspaces?tab=runs` });
  });

  step('serves the SPA (index, its hashed assets, deep links) with the security headers once each', async () => {
    const index = await https('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script, index.text.slice(0, 500)).toBeTruthy();
    const asset = await https('GET', script!);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.text.length).toBeGreaterThan(10_000);
    const deep = await https('GET', '/workspaces/some-id/notebooks');
    expect(deep.status).toBe(200);
    expect(deep.text).toBe(index.text);
    for (const answer of [index, await https('GET', '/api/health')]) {
      const names = answer.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
      for (const header of ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'content-security-policy', 'referrer-policy']) {
        expect(names.filter((n) => n === header), header).toHaveLength(1);
      }
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });

  step('logs in as the first admin over HTTPS on a non-default port; a foreign origin is refused', async () => {
    const foreign = await https('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD }, origin: 'https://evil.example', cookie: '' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('csrf_origin_mismatch');
    await login();
    const me = await https('GET', '/api/auth/me');
    expect(me.body.user.username).toBe('admin');
  });

  step('creates a workspace and uploads a positions file through nginx', async () => {
    const created = await https('POST', '/api/workspaces', { body: { name: 'Compose workspace' } });
    expect(created.status, created.text).toBe(201);
    ids.workspace = created.body.workspace.id;
    const upload = await https('POST', `/api/workspaces/${ids.workspace}/datasets`, { form: await datasetForm() });
    expect(upload.status, upload.text.slice(0, 1000)).toBe(201);
    ids.dataset = upload.body.dataset.id;
    const rows = await https('POST', `/api/workspaces/${ids.workspace}/datasets/${ids.dataset}/query`, { body: { table: 'positions', startRow: 0, endRow: 3 } });
    expect(rows.body.rowCount).toBe(POSITIONS);
  });

  step('starts a run and reads its progress events as they happen, then its results', async () => {
    const started = await https('POST', `/api/workspaces/${ids.workspace}/runs`, { body: { datasetId: ids.dataset, niiHorizonMonths: 60 } });
    expect(started.status, started.text).toBe(202);
    ids.run = started.body.run.id;
    const t0 = Date.now();
    const events = await new Promise<{ at: number; type: string; data: any }[]>((done, fail) => {
      const seen: { at: number; type: string; data: any }[] = [];
      const req = httpsRequest({ host: '127.0.0.1', port: ports.https, path: `/api/workspaces/${ids.workspace}/runs/${ids.run}/events`, ca, servername: 'localhost', headers: { cookie, accept: 'text/event-stream' } }, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (type) seen.push({ at: Date.now() - t0, type, data: data ? JSON.parse(data) : null });
          }
        });
        res.on('end', () => done(seen));
      });
      req.setTimeout(300_000, () => req.destroy(new Error('the event stream did not end within 300 s')));
      req.once('error', fail);
      req.end();
    });
    const last = events.at(-1)!;
    expect(last.type, JSON.stringify(events)).toBe('done');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // Unbuffered: the first progress event arrives while the run still computes, well before the
    // end, not in one lump with `done` when the stream closes.
    const runTime = last.at - progress[0]!.at;
    console.log(`run events (ms after start → type/phase): ${events.map((e) => `${e.at} ${e.type}${e.data?.phase ? `/${e.data.phase}` : ''}`).join(', ')}`);
    expect(runTime, `events: ${JSON.stringify(events.map((e) => [e.at, e.type, e.data?.phase]))}`).toBeGreaterThan(250);
    expect(new Set(progress.map((e) => e.at)).size).toBeGreaterThan(1);
    const eve = await https('GET', `/api/workspaces/${ids.workspace}/runs/${ids.run}/results/eve`);
    expect(eve.status, eve.text).toBe(200);
    expect(eve.body.rows.length).toBeGreaterThan(0);
    eveRows = eve.body.rows;
    const nii = await https('GET', `/api/workspaces/${ids.workspace}/runs/${ids.run}/results/nii`);
    expect(nii.status).toBe(200);
    expect(nii.body.rows.length).toBeGreaterThan(0);
  });

  step('refuses an oversized upload at nginx with 413, before the backend reads it', async () => {
    // Content-Length above nginx's client_max_body_size (512m): nginx answers without reading the body.
    const answer = await new Promise<string>((done, fail) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: ports.https, ca, servername: 'localhost' }, () => {
        socket.write(`POST /api/workspaces/${ids.workspace}/datasets HTTP/1.1\r\nHost: 127.0.0.1:${ports.https}\r\n` +
          `Origin: ${publicUrl}\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\n` +
          `Content-Length: ${600 * 1024 * 1024}\r\nConnection: close\r\n\r\n--x\r\n`);
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => { text += d; });
      socket.on('end', () => done(text));
      socket.on('close', () => done(text));
      socket.setTimeout(30_000, () => socket.destroy(new Error('no answer to the oversized upload within 30 s')));
      socket.once('error', fail);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('<center>nginx</center>');
    const datasets = await https('GET', `/api/workspaces/${ids.workspace}/datasets`);
    expect(datasets.body.datasets.map((d: { id: string }) => d.id)).toEqual([ids.dataset]);
  });

  step('docker-compose restart backend: sessions, workspace, dataset and run are all there', async () => {
    migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    workspacesBefore = (await https('GET', '/api/workspaces')).body.workspaces.map((w: { id: string; name: string }) => [w.id, w.name]).sort();
    const stopping = Date.now();
    await compose(['restart', 'backend'], 120_000);
    // Graceful: the server ends on SIGTERM at once, not after the 30 s grace period's SIGKILL.
    expect(Date.now() - stopping).toBeLessThan(25_000);
    const logs = await compose(['logs', 'backend']);
    expect(logs).toContain('Received SIGTERM; finishing in-flight requests');
    expect(logs).toContain('ALMReady stopped.');
    await waitForHealth();
    await expectDataIntact();
  });

  step('npm run backup while the server runs, down -v, npm run restore into a fresh volume', async () => {
    const file = join(work, 'backup.tar.gz');
    const backup = await run('npm', ['run', '--silent', 'backup', '--', file], { timeoutMs: 5 * 60_000 });
    expect(backup).toContain(`backup written: ${file}`);
    const listing = await run('tar', ['-tzf', file]);
    // One database in the archive: the online copy, not the live file or its WAL.
    expect(listing.split('\n').filter((name) => /almready\.db/.test(name))).toEqual(['almready.db']);
    expect(listing).toContain('./jwt-secret');
    expect(listing).toContain(`workspaces/`);
    await compose(['down', '-v'], 3 * 60_000);
    const volumes = await run('docker', ['volume', 'ls', '-q']);
    expect(volumes).not.toContain(`${project}_almready_data`);
    const restore = await run('npm', ['run', '--silent', 'restore', '--', file], { timeoutMs: 5 * 60_000 });
    expect(restore).toContain(`restored ${file}`);
    await waitForHealth();
    // Sessions are rows of the restored database: the session from before the backup still works.
    const me = await https('GET', '/api/auth/me');
    expect(me.status, me.text).toBe(200);
    expect(me.body.user.username).toBe('admin');
    await login();
    await expectDataIntact();
    expect(await readMigrations()).toEqual(migrations);
  });

  step('upgrades to a second image tag (saved, removed, loaded) with up -d: data kept, migrations not run again', async () => {
    await run(join(ROOT, 'scripts/deploy/build-images.sh'), ['--tag', 'ci2', '--offline', '--base-cache', cacheDir, '--deps-cache', cacheDir, ...(caBundle() ? ['--ca-bundle', caBundle()!] : [])], { timeoutMs: 10 * 60_000 });
    // The new images reach the server as a bank's would: saved to one archive, removed, loaded.
    const archive = join(work, 'images-ci2.tar.gz');
    await run(join(ROOT, 'scripts/deploy/save-images.sh'), [archive, 'ci2', 'local/nginx:bookworm'], { timeoutMs: 5 * 60_000 });
    await run('docker', ['rmi', 'almready-backend:ci2', 'almready-frontend:ci2']);
    const loaded = await run(join(ROOT, 'scripts/deploy/load-images.sh'), [archive], { timeoutMs: 5 * 60_000 });
    expect(loaded).toContain('Loaded image: almready-backend:ci2');
    expect(loaded).toContain('Loaded image: almready-frontend:ci2');
    stackEnv = { ALMREADY_VERSION: 'ci2' };
    await compose(['up', '-d'], 5 * 60_000);
    await waitForHealth();
    const container = (await compose(['ps', '-q', 'backend'])).trim().split('\n').pop()!;
    const image = await run('docker', ['inspect', '--format', '{{.Config.Image}}', container]);
    expect(image.trim()).toBe('almready-backend:ci2');
    const label = await run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "org.opencontainers.image.version"}}', 'almready-backend:ci2']);
    expect(label.trim()).toBe('ci2');
    await login();
    await expectDataIntact();
    expect(await readMigrations()).toEqual(migrations);
  });

  step('in the defaults\' shape (no public URL; 443/80 when free): redirect and login work', async () => {
    const https443 = await freePort(443);
    const http80 = await freePort(80);
    ports = { https: https443, http: http80 };
    const previous = publicUrl;
    publicUrl = ports.https === 443 ? 'https://127.0.0.1' : `https://127.0.0.1:${ports.https}`;
    stackEnv = { ALMREADY_VERSION: 'ci2', ALMREADY_PUBLIC_URL: '', ALMREADY_HTTPS_PORT: String(ports.https), ALMREADY_HTTP_PORT: String(ports.http) };
    console.log(`defaults' shape on 127.0.0.1:${ports.https}/${ports.http} (was ${previous})`);
    await compose(['up', '-d'], 5 * 60_000);
    await waitForHealth();
    const location = await new Promise<string | undefined>((done, fail) => {
      httpRequest({ host: '127.0.0.1', port: ports.http, path: '/x?y=1', headers: { host: ports.http === 80 ? '127.0.0.1' : `127.0.0.1:${ports.http}` } }, (res) => {
        res.resume();
        done(res.headers.location);
      }).once('error', fail).end();
    });
    expect(location).toBe(`${publicUrl}/x?y=1`);
    await login();
    await expectDataIntact();
  });
});
