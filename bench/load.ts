/**
 * `npm run bench:load`: HTTP load on a real server (child process, loopback, temp data dir).
 * 50 authenticated connections (5 users × 10) drive a mix of me / workspace list / grid page /
 * notebook load for 30 s, first on an idle server, then while a 1,000,000-position run is in
 * progress in the worker pool. Prints requests/s, p50/p99 latency and errors for both phases.
 * Targets: zero errors, p99 < 100 ms idle and < 250 ms during the run.
 *
 * Env: LOAD_SECONDS (30), LOAD_RUN_POSITIONS (1000000). LOAD_ENDPOINTS=1 instead drives each
 * request of the mix alone (one user, 10 connections) and prints its figures, without the run;
 * LOAD_IDLE_ONLY=1 stops after the idle phase; LOAD_NODE_ARGS adds node flags to the server.
 */
import { httpRequest } from '../backend/src/testing/http-client.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticBalanceSheet } from '@almready/engine';
import { writeSyntheticCsv } from '../backend/src/workspaces/synthetic-csv.ts';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Cannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const RUN_POSITIONS = Number(process.env.LOAD_RUN_POSITIONS ?? 1_000_000);
const USERS = 5;
const CONNECTIONS_PER_USER = 10;
const ADMIN_PASSWORD = 'load-bench-admin-password';
const CLI = fileURLToPath(new URL('../backend/bin/almready.mjs', import.meta.url));

const dataDir = mkdtempSync(join(tmpdir(), 'almready-load-'));
let server: ChildProcess | undefined;
let url = '';

async function startServer(): Promise<void> {
  // LOAD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the server's node.
  const nodeArgs = (process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  server = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, ALMREADY_DATA_DIR: dataDir, ALMREADY_ADMIN_PASSWORD: ADMIN_PASSWORD, ALMREADY_LOG_LEVEL: 'warn', ALMREADY_STATIC_DIR: '', ALMREADY_DEMO_NOTEBOOKS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function api(token: string | null, method: string, path: string, body?: unknown): Promise<any> {
  const res = await httpRequest(url, method, path, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body === '' ? null : res.body;
}

async function login(username: string, password: string): Promise<string> {
  return (await api(null, 'POST', '/api/auth/login', { username, password })).token;
}

function mix(wid: string, did: string, nid: string) {
  const json = { 'content-type': 'application/json' };
  return [
    { method: 'GET', path: '/api/auth/me' },
    { method: 'GET', path: '/api/workspaces' },
    { method: 'POST', path: `/api/workspaces/${wid}/datasets/${did}/query`, headers: json, body: JSON.stringify({ table: 'positions', startRow: 0, endRow: 100 }) },
    { method: 'POST', path: `/api/workspaces/${wid}/datasets/${did}/query`, headers: json, body: JSON.stringify({ table: 'positions', startRow: 1000, endRow: 1100, sortModel: [{ colId: 'notional', sort: 'desc' }] }) },
    { method: 'GET', path: `/api/workspaces/${wid}/notebooks/${nid}` },
  ];
}

interface Phase { name: string; rps: number; total: number; p50: number; p99: number; max: number; errors: number; statuses: Record<string, number> }

async function phase(name: string, tokens: string[], requests: object[]): Promise<Phase> {
  const results = await Promise.all(tokens.map((token) => autocannon({
    url,
    connections: CONNECTIONS_PER_USER,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests,
  })));
  const total = results.reduce((s, r) => s + r.requests.total, 0);
  return {
    name,
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    total,
    // Weighted p50; the worst instance's p99 (each instance is 10 of the 50 connections).
    p50: results.reduce((s, r) => s + r.latency.p50 * r.requests.total, 0) / Math.max(1, total),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    max: Math.max(...results.map((r) => r.latency.max)),
    errors: results.reduce((s, r) => s + r.errors + r.timeouts + r.non2xx, 0),
    statuses: results.reduce<Record<string, number>>((acc, r) => {
      for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) acc[code] = (acc[code] ?? 0) + stat.count;
      return acc;
    }, {}),
  };
}

async function main(): Promise<void> {
  console.log(`data dir ${dataDir}`);
  await startServer();
  const admin = await login('admin', ADMIN_PASSWORD);
  const demo = (await api(admin, 'GET', '/api/workspaces')).workspaces.find((w: { name: string }) => w.name === 'Demo bank');
  if (!demo) throw new Error('the demo workspace was not created');
  const did = (await api(admin, 'GET', `/api/workspaces/${demo.id}/datasets`)).datasets[0].id;
  const nid = (await api(admin, 'GET', `/api/workspaces/${demo.id}/notebooks`)).notebooks[0].id;
  const tokens: string[] = [];
  for (let u = 0; u < USERS; u += 1) {
    const username = `analyst${u}`;
    const password = `${username}-password`;
    await api(admin, 'POST', '/api/admin/users', { username, password, role: 'member' });
    await api(admin, 'PUT', `/api/workspaces/${demo.id}/members/${username}`, { role: 'explore' });
    tokens.push(await login(username, password));
  }
  const requests = mix(demo.id, did, nid);
  console.log(`server ${url}; ${USERS} users × ${CONNECTIONS_PER_USER} connections, ${SECONDS} s per phase`);

  if (process.env.LOAD_ENDPOINTS === '1') {
    const names = ['me', 'workspaces', 'grid page', 'sorted grid page', 'notebook'];
    console.log('\nendpoint            req/s   p50 ms   p99 ms   errors');
    for (const [i, request] of requests.entries()) {
      const p = await phase(names[i] ?? `request ${i}`, tokens.slice(0, 1), [request]);
      console.log(`${p.name.padEnd(17)} ${p.rps.toFixed(0).padStart(7)} ${p.p50.toFixed(1).padStart(8)} ${p.p99.toFixed(1).padStart(8)} ${String(p.errors).padStart(8)}`);
    }
    return;
  }

  const idle = await phase('idle', tokens, requests);
  if (process.env.LOAD_IDLE_ONLY === '1') {
    console.log(`idle: ${idle.rps.toFixed(0)} req/s, p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms, max ${idle.max} ms, ${idle.errors} errors`);
    return;
  }

  console.log(`preparing ${RUN_POSITIONS.toLocaleString('en')} synthetic positions…`);
  const scratch = mkdtempSync(join(tmpdir(), 'almready-load-csv-'));
  const files = await writeSyntheticCsv(scratch, syntheticBalanceSheet({ positions: RUN_POSITIONS, asOf: '2025-06-30', seed: 3 }));
  const form = new FormData();
  form.set('name', 'Large book');
  form.set('as_of', '2025-06-30');
  form.set('positions', await openAsBlob(files.positions), 'positions.csv');
  form.set('curves', await openAsBlob(files.curves), 'curves.csv');
  form.set('schedules', await openAsBlob(files.schedules), 'schedules.csv');
  const importStart = Date.now();
  const big = (await api(admin, 'POST', `/api/workspaces/${demo.id}/datasets`, form)).dataset;
  rmSync(scratch, { recursive: true, force: true });
  console.log(`imported ${big.rows.positions.toLocaleString('en')} positions over HTTP in ${((Date.now() - importStart) / 1000).toFixed(1)} s`);

  const run = (await api(admin, 'POST', `/api/workspaces/${demo.id}/runs`, { datasetId: big.id })).run;
  const runStart = Date.now();
  const during = await phase('during run', tokens, requests);
  const atEnd = (await api(admin, 'GET', `/api/workspaces/${demo.id}/runs/${run.id}`)).run;
  let final = atEnd;
  while (!['done', 'failed', 'cancelled'].includes(final.status)) {
    await new Promise((r) => setTimeout(r, 500));
    final = (await api(admin, 'GET', `/api/workspaces/${demo.id}/runs/${run.id}`)).run;
  }
  const runSeconds = (Date.parse(final.finishedAt) - Date.parse(final.startedAt)) / 1000;

  console.log('\nphase            req/s    requests   p50 ms   p99 ms   max ms   errors');
  for (const p of [idle, during]) {
    console.log(`${p.name.padEnd(15)} ${p.rps.toFixed(0).padStart(6)} ${String(p.total).padStart(11)} ${p.p50.toFixed(1).padStart(8)} ${p.p99.toFixed(1).padStart(8)} ${p.max.toFixed(0).padStart(8)} ${String(p.errors).padStart(8)}   statuses ${JSON.stringify(p.statuses)}`);
  }
  console.log(`\nrun of ${RUN_POSITIONS.toLocaleString('en-US')} positions: ${final.status} in ${runSeconds.toFixed(1)} s (${atEnd.status} at the end of the loaded phase, ${((Date.now() - runStart) / 1000).toFixed(0)} s after start)${final.error ? ` — ${final.error}` : ''}`);
  const ok = idle.errors === 0 && during.errors === 0 && idle.p99 < 100 && during.p99 < 250;
  console.log(`targets (0 errors, p99 < 100 ms idle, < 250 ms during run): ${ok ? 'met' : 'NOT met'}`);
  process.exitCode = ok ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => {
    server?.kill('SIGTERM');
    setTimeout(() => {
      server?.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      process.exit();
    }, 3000);
  });
