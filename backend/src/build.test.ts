/**
 * The compiled backend (backend/dist, scripts/build.mjs) against the TypeScript sources: the CLI
 * prints the same help and the same numbers, the compiled server answers health and a login and
 * runs a calculation on its worker pool, and the compiled TypeScript-cell worker runs a cell.
 * `npm ci` builds; when the sources changed since, this builds again first, as `npm start` does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TS_CELL_LIMITS } from './config.ts';
import type { FromWorker, ToWorker } from './notebook-exec/ts-sandbox/protocol.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(repoRoot, 'backend', 'bin', 'almready.mjs');
const dist = path.join(repoRoot, 'backend', 'dist');
const fixtures = path.join(repoRoot, 'backend', 'src', 'data', 'datasets', 'fixtures');
const scratch = mkdtempSync(path.join(tmpdir(), 'almready-build-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `almready …` through the real entry; `sources: true` forces the tsx path (ALMREADY_DEV=1). */
function almready(args: string[], options: { sources?: boolean } = {}) {
  const env = { ...process.env, ALMREADY_DEV: options.sources ? '1' : '' };
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(() => {
  if (almready(['--version']).out.includes('(compiled)')) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  expect(build.stderr).toBe('');
  expect(build.status).toBe(0);
}, 180_000);

describe('the compiled CLI', () => {
  it('is what `almready` runs, with the same help as the sources', () => {
    expect(almready(['--version']).out.trim()).toBe('0.1.0 (compiled)');
    expect(almready(['--version'], { sources: true }).out.trim()).toBe('0.1.0 (TypeScript sources)');
    const compiled = almready(['--help']);
    const sources = almready(['--help'], { sources: true });
    expect(compiled.code).toBe(0);
    expect(compiled.out).toMatch(/^Usage: almready \[options\] \[command\]/);
    for (const command of ['calc [options]', 'import [options] <files...>', 'users', 'serve [options]']) expect(compiled.out).toContain(command);
    expect(compiled.out).toBe(sources.out);
    expect(almready(['calc', '--help']).out).toBe(almready(['calc', '--help'], { sources: true }).out);
  });

  it('computes the same numbers as the sources for `calc`, as JSON and as the report', () => {
    const args = ['calc', '--positions', path.join(fixtures, 'positions-basic.csv'), '--curves', path.join(fixtures, 'curves-long.csv'), '--as-of', '2024-06-30', '--tier1', '50000'];
    const compiled = almready([...args, '--json']);
    expect(compiled.err).toBe('');
    expect(compiled.code).toBe(0);
    const result = JSON.parse(compiled.out) as { as_of: string; eve: { base: number; scenarios: Record<string, { value: number; delta: number }> }; nii: { base: number }; gap: unknown[] };
    expect(result.as_of).toBe('2024-06-30');
    expect(Object.keys(result.eve.scenarios)).toEqual(['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down']);
    expect(Number.isFinite(result.eve.base) && result.eve.base !== 0).toBe(true);
    expect(result.gap).toHaveLength(19);
    // Same code compiled: identical numbers, not merely close ones.
    expect(result).toEqual(JSON.parse(almready([...args, '--json'], { sources: true }).out));
    const report = almready(args);
    expect(report.code).toBe(0);
    expect(report.out).toContain('Supervisory outlier tests (Tier 1 50,000)');
    expect(report.out).toBe(almready(args, { sources: true }).out);
  });

  it('reads an XLSX workbook in its compiled import worker, with the same numbers and the same refusal as the sources', async () => {
    const file = path.join(scratch, 'book.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Positions');
    sheet.addRow(['position_id', 'side', 'product', 'currency', 'notional', 'maturity_date', 'amortization', 'rate_type', 'rate']);
    sheet.addRow(['X-1', 'asset', 'loan', 'EUR', 1250000.25, new Date(Date.UTC(2031, 2, 31)), 'annuity', 'fixed', 0.031]);
    sheet.addRow(['X-2', 'liability', 'deposit', 'EUR', 400000, '2027-09-30', 'bullet', 'fixed', 0.02]);
    await workbook.xlsx.writeFile(file);
    const args = ['calc', '--positions', file, '--curves', path.join(fixtures, 'curves-long.csv'), '--as-of', '2024-06-30', '--json'];
    const compiled = almready(args);
    expect(compiled.err).toBe('');
    expect(compiled.code).toBe(0);
    const result = JSON.parse(compiled.out) as { eve: { base: number } };
    expect(result.eve.base).toBeGreaterThan(0);
    expect(result).toEqual(JSON.parse(almready(args, { sources: true }).out));

    sheet.addRow(['X-3', 'liability', 'deposit', 'EUR', -1, '2027-09-30', 'bullet', 'fixed', 0.02]);
    await workbook.xlsx.writeFile(file);
    const refused = almready(args);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('notional must be greater than 0');
    expect(refused).toEqual(almready(args, { sources: true }));
  });

  it('refuses bad input with the same message and exit code as the sources', () => {
    const args = ['calc', '--positions', path.join(scratch, 'missing.csv'), '--curves', path.join(fixtures, 'curves-long.csv'), '--as-of', '2024-02-30'];
    const compiled = almready(args);
    expect(compiled.code).toBe(2);
    expect(compiled.err).toContain('--as-of');
    expect(compiled.err).toContain('must be a real date yyyy-mm-dd');
    expect(compiled).toEqual(almready(args, { sources: true }));
  });
});

describe('the compiled workers', () => {
  it('has a compiled entry for every worker the backend starts', () => {
    const names: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const match of readFileSync(full, 'utf8').matchAll(/workerStart\([^;]*?, '([\w-]+)'\)/g)) names.push(match[1]!);
        }
      }
    };
    walk(path.join(repoRoot, 'backend', 'src'));
    // The four known today prove the search works; a new worker is checked the same way.
    expect(names).toEqual(expect.arrayContaining(['bank-zip-worker', 'run-worker', 'ts-cell-worker', 'xlsx-stage-worker']));
    for (const name of names) expect(existsSync(path.join(dist, `${name}.js`)), `${name}.js`).toBe(true);
  });

  it('runs a TypeScript cell in the compiled sandbox worker (TypeScript and QuickJS wasm load from node_modules)', async () => {
    const worker = new Worker(path.join(repoRoot, 'backend', 'bin', 'worker-boot.mjs'), { workerData: { entry: pathToFileURL(path.join(dist, 'ts-cell-worker.js')).href } });
    try {
      const channel = new MessageChannel();
      const messages: FromWorker[] = [];
      const next = (type: FromWorker['type']) => new Promise<FromWorker>((resolve, reject) => {
        const seen = messages.find((m) => m.type === type);
        if (seen) return resolve(seen);
        const onMessage = (m: FromWorker) => m.type === type && (worker.off('message', onMessage), resolve(m));
        worker.on('message', onMessage);
        worker.once('error', reject);
      });
      worker.on('message', (m: FromWorker) => messages.push(m));
      const init: ToWorker = { type: 'init', signal: new SharedArrayBuffer(4), replies: channel.port2, limits: DEFAULT_TS_CELL_LIMITS };
      worker.postMessage(init, [channel.port2]);
      await next('ready');
      const run: ToWorker = { type: 'run', runId: 1, source: 'const xs: number[] = [1, 2, 3];\nexport const total = xs.reduce((a, b) => a + b, 0) * 7;', inputs: '{}', limits: DEFAULT_TS_CELL_LIMITS };
      worker.postMessage(run);
      const reply = await next('result');
      expect(reply.type === 'result' && reply.result.ok ? reply.result.outputs : reply).toEqual({ total: 42 });
      channel.port1.close();
    } finally {
      await worker.terminate();
    }
  }, 120_000);
});

function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${text}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) (clearTimeout(timer), resolve(match));
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`server exited (${code}): ${text}`))));
  });
}

describe('the compiled server', () => {
  it('answers health and a login, and runs a calculation on its compiled worker pool', async () => {
    const dataDir = path.join(scratch, 'data');
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd: repoRoot,
      env: { ...process.env, ALMREADY_DEV: '', ALMREADY_DATA_DIR: dataDir, ALMREADY_ADMIN_PASSWORD: 'build-test-password', ALMREADY_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const [, url] = await waitFor(child, /ALMReady is running at (http:\/\/\S+)/, 120_000);
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', version: '0.1.0' });

      const refused = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'not-the-password' }) });
      expect(refused.status).toBe(401);
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'build-test-password' }) });
      expect(login.status).toBe(200);
      const { user, token } = (await login.json()) as { user: { username: string; role: string }; token: string };
      expect([user.username, user.role]).toEqual(['admin', 'admin']);
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

      const { workspaces } = (await (await fetch(`${url}/api/workspaces`, { headers: auth })).json()) as { workspaces: { id: string; name: string }[] };
      const demo = workspaces.find((w) => w.name === 'Demo bank');
      expect(demo).toBeDefined();
      const base = `${url}/api/workspaces/${demo!.id}`;
      const { datasets } = (await (await fetch(`${base}/datasets`, { headers: auth })).json()) as { datasets: { id: string; rows: { positions: number } }[] };
      expect(datasets[0]?.rows.positions).toBe(50_000);
      const started = await fetch(`${base}/runs`, { method: 'POST', headers: auth, body: JSON.stringify({ datasetId: datasets[0]!.id, scenarios: ['base', 'parallel_up'] }) });
      expect(started.status).toBe(202);
      const { run } = (await started.json()) as { run: { id: string } };
      let status = '';
      type RunBody = { run: { status: string; error?: string } };
      let body: RunBody | null = null;
      for (let i = 0; i < 600 && !['done', 'failed', 'cancelled'].includes(status); i++) {
        await new Promise((r) => setTimeout(r, 200));
        body = (await (await fetch(`${base}/runs/${run.id}`, { headers: auth })).json()) as RunBody;
        status = body.run.status;
      }
      expect(body?.run.error).toBeUndefined();
      expect(status).toBe('done');
      const eve = (await (await fetch(`${base}/runs/${run.id}/results/eve`, { headers: auth })).json()) as { rows: unknown[] };
      expect(eve.rows.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    }
  }, 240_000);
});
