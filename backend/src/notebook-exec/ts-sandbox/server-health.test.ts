/**
 * Cells that break their limits run beside a real server in this process: while an infinite loop,
 * a memory bomb and a host-call flood run, the server keeps answering quickly (the cells are in
 * the sandbox's worker thread, never on the event loop), and it still logs users in afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TS_CELL_LIMITS } from '../../config.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { TsSandbox } from './sandbox.ts';
import { TestAlmHost } from './test-host.ts';

let server: TestServer;
let sandbox: TsSandbox;
/** the loop runs here, with a short wall time; the rest get a long one so a loaded machine cannot turn them into timeouts */
let quick: TsSandbox;
let host: TestAlmHost;
beforeAll(async () => {
  server = await startTestServer();
  host = await TestAlmHost.create();
  sandbox = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: 30_000, maxHostCalls: 500 });
  quick = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: 2_500 });
  await Promise.all([sandbox.warm(), quick.warm()]);
});
afterAll(async () => {
  await Promise.all([sandbox.close(), quick.close()]);
  host.close();
  await server.stop();
});

async function healthWhile(work: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void work.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const res = await server.request('GET', '/api/health');
    expect(res.status).toBe(200);
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 100));
  }
  return latencies;
}

describe('the server stays healthy while cells break their limits', () => {
  it('answers /api/health during a loop, a memory bomb and a host-call flood, and logs in afterwards', async () => {
    const attacks = [
      [quick, 'timeout', 'for (;;) {}'],
      [sandbox, 'memory', 'const keep: string[] = [];\nwhile (true) keep.push("z".repeat(1e6) + keep.length);'],
      [sandbox, 'host-call-limit', 'for (;;) { try { alm.curves(); } catch {} }'],
    ] as const;
    for (const [target, kind, source] of attacks) {
      const cell = target.run({ source }, host);
      const latencies = await healthWhile(cell);
      expect(latencies.length).toBeGreaterThan(0);
      expect(Math.max(...latencies)).toBeLessThan(1_000);
      expect(await cell).toMatchObject({ ok: false, error: { kind } });
    }
    const login = await server.login('admin', server.admin.password);
    expect(login.user.username).toBe('admin');
    expect(await sandbox.run({ source: 'export const after = alm.dataset().positions;' }, host)).toMatchObject({ ok: true, outputs: { after: 5 } });
    expect(await quick.run({ source: 'export const after: number = 1;' }, host)).toMatchObject({ ok: true, outputs: { after: 1 } });
    expect([sandbox.workersStarted, quick.workersStarted]).toEqual([1, 1]);
  });
});
