/**
 * The real server as a child process, killed with SIGKILL in the middle of a large upload and in
 * the middle of a stream of notebook saves, then restarted on the same data directory: no dataset
 * is half-written (no temp folders, every listed dataset loads), every notebook version is
 * readable and the current version's file exists, and no file lacks its row.
 */
import { httpRequest as apiRequest } from '../testing/http-client.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebookText } from '@almready/notebooks';
import { datasetForm } from './test-fixtures.ts';

const CLI = fileURLToPath(new URL('../../bin/almready.mjs', import.meta.url));
const ADMIN_PASSWORD = 'crash-test-admin-password';
let dataDir: string;
let child: ChildProcess | undefined;
let url = '';
let token = '';

async function startChild(): Promise<void> {
  child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-demo'], {
    env: { ...process.env, ALMREADY_DATA_DIR: dataDir, ALMREADY_ADMIN_PASSWORD: ADMIN_PASSWORD, ALMREADY_LOG_LEVEL: 'silent', ALMREADY_STATIC_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const login = await api('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  token = login.body.token;
}

async function kill9(): Promise<void> {
  const proc = child!;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  child = undefined;
}

function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return apiRequest(url, method, path, { token, body });
}

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'almready-crash-'));
  await startChild();
}, 120_000);

afterAll(async () => {
  if (child) await kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash safety (kill -9)', () => {
  let wid = '';
  let wsDir = '';
  let goodDataset = '';
  let nid = '';

  it('a kill in the middle of a large upload leaves only whole datasets after restart', async () => {
    const ws = await api('POST', '/api/workspaces', { name: 'Crash' });
    wid = ws.body.workspace.id;
    wsDir = join(dataDir, 'workspaces', ws.body.workspace.owner.id, wid);
    const good = await api('POST', `/api/workspaces/${wid}/datasets`, await datasetForm(200));
    expect(good.status).toBe(201);
    goodDataset = good.body.dataset.id;

    // A hand-written multipart body sent slowly: the server has started writing it when we kill.
    const boundary = 'crashboundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="as_of"\r\n\r\n2025-06-30\r\n--${boundary}\r\nContent-Disposition: form-data; name="positions"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nposition_id,side,product,currency,notional,maturity_date,amortization,rate_type,rate\n`;
    const req = httpRequest(`${url}/api/workspaces/${wid}/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(200 * 1024 * 1024) },
    });
    req.on('error', () => {});
    req.write(head);
    const line = 'P1,asset,loan,EUR,1000,2030-01-01,bullet,fixed,0.02\n'.repeat(20_000);
    for (let i = 0; i < 10; i += 1) {
      req.write(line);
      await new Promise((r) => setTimeout(r, 50));
    }
    const inFlight = listDir(join(wsDir, 'datasets')).filter((n) => n.startsWith('.upload-'));
    expect(inFlight).toHaveLength(1);
    await kill9();
    req.destroy();

    await startChild();
    expect(listDir(join(wsDir, 'datasets'))).toEqual([goodDataset]);
    const list = await api('GET', `/api/workspaces/${wid}/datasets`);
    expect(list.body.datasets.map((d: { id: string }) => d.id)).toEqual([goodDataset]);
    for (const d of list.body.datasets) {
      const page = await api('POST', `/api/workspaces/${wid}/datasets/${d.id}/query`, { table: 'positions', startRow: 0, endRow: 5 });
      expect(page.status).toBe(200);
      expect(page.body.rowCount).toBe(200);
    }
  });

  it('a kill during a stream of notebook saves leaves every version readable and the current one present', async () => {
    const created = await api('POST', `/api/workspaces/${wid}/notebooks`, { name: 'Hammered' });
    nid = created.body.notebook.id;
    let version = 1;
    let stop = false;
    const saver = (async () => {
      while (!stop) {
        const content = { format: 'almready-notebook', version: 1, title: 'Hammered', cells: [{ id: 'c', kind: 'markdown', source: `save ${version} ${'x'.repeat(20_000)}` }] };
        const res = await api('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { version, content }).catch(() => undefined);
        if (!res) return;
        if (res.status === 200) version = res.body.notebook.version;
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    await kill9();
    stop = true;
    await saver;
    expect(version).toBeGreaterThan(3);

    await startChild();
    const nb = await api('GET', `/api/workspaces/${wid}/notebooks/${nid}`);
    expect(nb.status).toBe(200);
    expect(nb.body.notebook.version).toBeGreaterThanOrEqual(version);
    const versions = await api('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`);
    const numbers = versions.body.versions.map((v: { version: number }) => v.version);
    expect(numbers[0]).toBe(nb.body.notebook.version);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers.length - i));
    const files = listDir(join(wsDir, 'notebooks', nid));
    expect(files).toEqual(numbers.map((n: number) => `v${n}.md`).sort());
    for (const file of files) {
      const parsed = parseNotebookText(readFileSync(join(wsDir, 'notebooks', nid, file), 'utf8'));
      expect(parsed.ok, file).toBe(true);
    }
    // Saving continues from the recovered version.
    const next = await api('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { version: nb.body.notebook.version, content: nb.body.notebook.content });
    expect(next.status).toBe(200);
  });
});
