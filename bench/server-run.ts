/**
 * Server run benchmark: a 1,000,000-position dataset imported into a server's data dir, then the
 * time from `POST /runs` to the run's `done` event (EVE full + NII 12 months, base + 6 regulatory
 * scenarios: the default settings), on the product's own path — the `almready serve` process,
 * its worker pool, its dataset cache. Targets: < 2.5 s for the first run on a dataset (its columns
 * loaded through DuckDB), < 2.0 s for a second run (columns cached).
 *
 * Each sample starts a fresh server on the same data dir, warms its pool up as a server that has
 * been up is (two small runs at once: both workers spawned and compiled), then times the first run
 * on the large dataset and BENCH_CACHED_RUNS (2) more. BENCH_RUNS (3) samples; medians printed
 * with every figure. The data dir is prepared once (BENCH_DATA_DIR keeps it between invocations,
 * e.g. to interleave two versions of the code); BENCH_POSITIONS (1,000,000) sets the book.
 * Run: `npx tsx bench/server-run.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticBalanceSheet } from '@almready/engine';
import { httpRequest } from '../backend/src/testing/http-client.ts';
import { writeSyntheticCsv } from '../backend/src/workspaces/synthetic-csv.ts';

const POSITIONS = Number(process.env.BENCH_POSITIONS ?? 1_000_000);
const SAMPLES = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const CACHED_RUNS = Math.max(1, Number(process.env.BENCH_CACHED_RUNS ?? 2));
const ADMIN_PASSWORD = 'server-run-bench-admin';
const CLI = fileURLToPath(new URL('../backend/bin/almready.mjs', import.meta.url));
const keep = process.env.BENCH_DATA_DIR !== undefined;
const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'almready-server-run-'));

let server: ChildProcess | undefined;
let url = '';
/** the server's `run done` log lines by run id: each job's wall, CPU and waiting-for-a-CPU ms (new code only) */
const runLogs = new Map<string, { jobs?: Record<string, { ms: number; cpuMs: number; waitMs: number }> }>();

async function startServer(): Promise<void> {
  server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, ALMREADY_DATA_DIR: dataDir, ALMREADY_ADMIN_PASSWORD: ADMIN_PASSWORD, ALMREADY_LOG_LEVEL: 'info', ALMREADY_STATIC_DIR: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let partial = '';
    server!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"run done"')) continue;
        try {
          const entry = JSON.parse(line) as { runId?: string; jobs?: Record<string, { ms: number; cpuMs: number; waitMs: number }> };
          if (entry.runId) runLogs.set(entry.runId, entry);
        } catch { /* not a log line */ }
      }
      if (out.length > 1_000_000) out = out.slice(-10_000);
    });
    server!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function stopServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return;
  const exited = new Promise((r) => s.once('exit', r));
  s.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (s.exitCode === null) s.kill('SIGKILL');
}

async function api(token: string | null, method: string, path: string, body?: unknown): Promise<any> {
  const res = await httpRequest(url, method, path, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body === '' ? null : res.body;
}

async function upload(token: string, wid: string, positions: number, name: string): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'almready-server-run-csv-'));
  try {
    const files = await writeSyntheticCsv(scratch, syntheticBalanceSheet({ positions, asOf: '2025-06-30', seed: 3 }));
    const form = new FormData();
    form.set('name', name);
    form.set('as_of', '2025-06-30');
    form.set('positions', await openAsBlob(files.positions), 'positions.csv');
    form.set('curves', await openAsBlob(files.curves), 'curves.csv');
    form.set('schedules', await openAsBlob(files.schedules), 'schedules.csv');
    return (await api(token, 'POST', `/api/workspaces/${wid}/datasets`, form)).dataset.id;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface Prepared { wid: string; large: string; small: string; positions: number }

/** The workspace with the large dataset and a small one for the warm-up, made once per data dir. */
async function prepare(token: string): Promise<Prepared> {
  const file = join(dataDir, 'bench-server-run.json');
  if (existsSync(file)) {
    const prepared = JSON.parse(readFileSync(file, 'utf8')) as Prepared;
    if (prepared.positions === POSITIONS) return prepared;
  }
  const wid = (await api(token, 'POST', '/api/workspaces', { name: 'Server run bench' })).workspace.id;
  const started = Date.now();
  const large = await upload(token, wid, POSITIONS, 'Large book');
  console.log(`imported ${POSITIONS.toLocaleString('en')} positions over HTTP in ${((Date.now() - started) / 1000).toFixed(1)} s (setup, not timed below)`);
  const prepared = { wid, large, small: await upload(token, wid, 2_000, 'Warm-up book'), positions: POSITIONS };
  writeFileSync(file, JSON.stringify(prepared));
  return prepared;
}

/** POST /runs → the `done` event on the run's stream: ms, and the run's summary. */
async function timedRun(token: string, wid: string, datasetId: string): Promise<{ ms: number; summary: any; id: string }> {
  const started = performance.now();
  const run = (await api(token, 'POST', `/api/workspaces/${wid}/runs`, { datasetId })).run;
  const res = await fetch(`${url}/api/workspaces/${wid}/runs/${run.id}/events`, { headers: { authorization: `Bearer ${token}` } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) text += decoder.decode(value, { stream: true });
    const end = /event: (done|failed|cancelled)\ndata: (.*)\n/.exec(text);
    if (end) {
      const ms = performance.now() - started;
      await reader.cancel();
      if (end[1] !== 'done') throw new Error(`run ${end[1]}: ${end[2]}`);
      return { ms, summary: JSON.parse(end[2]!).summary, id: run.id };
    }
    if (done) throw new Error(`the run's event stream ended without an outcome: ${text.slice(-300)}`);
  }
}

/**
 * Each job's wall / own-thread CPU / waiting-for-a-CPU ms from the server's log, and the run's
 * compute without the other processes' share: per stage (load; parts or whole; merge) the largest
 * wall − wait, summed. DuckDB's own threads are not in a job's CPU: for `load` the estimate is rougher.
 */
async function jobsOf(runId: string): Promise<string> {
  for (let k = 0; k < 20 && !runLogs.has(runId); k++) await new Promise((r) => setTimeout(r, 50));
  const jobs = runLogs.get(runId)?.jobs;
  if (!jobs) return '';
  const busy = (name: string) => (jobs[name] ? jobs[name]!.ms - jobs[name]!.waitMs : 0);
  const parts = Object.keys(jobs).filter((name) => name.startsWith('part-'));
  const estimate = busy('load') + busy('whole') + Math.max(0, ...parts.map(busy)) + busy('merge');
  const list = Object.entries(jobs).map(([name, t]) => `${name} ${t.ms}/${t.cpuMs}/${t.waitMs}`).join(', ');
  return `\n            jobs (wall/CPU/wait ms): ${list}; without the wait ≈ ${seconds(estimate)} s`;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const seconds = (ms: number): string => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const first: number[] = [];
  const cached: number[] = [];
  const notes: string[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    await startServer();
    const token = (await api(null, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).token;
    const { wid, large, small } = await prepare(token);
    await Promise.all([timedRun(token, wid, small), timedRun(token, wid, small)]);
    const one = await timedRun(token, wid, large);
    first.push(one.ms);
    // elapsedMs: from the request until the result was computed (before its tables were written and registered)
    const compute = (s: any) => `${s.compute ? `${s.compute.parts} part(s), ${s.compute.cached ? 'cached' : `load ${s.compute.loadMs} ms`}` : 'one worker, loaded'}; computed at ${s.elapsedMs} ms`;
    notes.push(`sample ${sample + 1}: first ${seconds(one.ms)} s (${compute(one.summary)})${await jobsOf(one.id)}`);
    for (let k = 0; k < CACHED_RUNS; k++) {
      const again = await timedRun(token, wid, large);
      cached.push(again.ms);
      notes.push(`          again ${seconds(again.ms)} s (${compute(again.summary)})${await jobsOf(again.id)}`);
    }
    await stopServer();
  }
  console.log(notes.join('\n'));
  console.log(`server run of ${POSITIONS.toLocaleString('en')} positions, POST → done: first ${seconds(median(first))} s (median of ${first.length}; target < 2.5 s), `
    + `second ${seconds(median(cached))} s (median of ${cached.length}; target < 2.0 s)`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopServer();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  });
