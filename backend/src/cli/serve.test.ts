import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/almready.mjs', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'almready-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before printing ${pattern}: ${text}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('almready serve', () => {
  it('on SIGTERM finishes the in-flight request, refuses new connections and exits 0', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--no-demo'], {
      cwd: repoRoot,
      env: { ...process.env, ALMREADY_DATA_DIR: dataDir, ALMREADY_PORT: '0', ALMREADY_HOST: '127.0.0.1', ALMREADY_ADMIN_PASSWORD: 'serve-test-password', ALMREADY_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let stillRunning = false;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const [, url] = await waitForOutput(child, /ALMReady is running at (http:\/\/\S+)/);
      expect(stdout).toContain('Admin login: admin / (the password in ALMREADY_ADMIN_PASSWORD)');

      // Open the connection first (one keep-alive socket), so the slow request below is
      // already being parsed by the server, not waiting in the accept queue, when SIGTERM lands.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const warmUp = await new Promise<number>((resolve, reject) => {
        httpRequest(`${url}/api/health`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        }).on('error', reject).end();
      });
      expect(warmUp).toBe(200);

      // A login whose body is still arriving when SIGTERM lands.
      const body = JSON.stringify({ username: 'admin', password: 'serve-test-password' });
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${url}/api/auth/login`, { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        void sleep(500).then(() => {
          child.kill('SIGTERM');
          return sleep(800);
        }).then(() => {
          stillRunning = child.exitCode === null; // must still be waiting for our request
          req.end(body.slice(10));
        });
      });
      const { status, text } = await response;
      expect(stillRunning).toBe(true);
      expect(status).toBe(200);
      expect(JSON.parse(text).user.username).toBe('admin');
      const code = await exited;
      expect(code).toBe(0);
      expect(stdout).toContain('Received SIGTERM');
      expect(stdout).toContain('ALMReady stopped.');
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (stderr.trim() !== '') console.error(stderr);
    }
  }, 60_000);
});
