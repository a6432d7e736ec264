/**
 * The warm pool hands one worker thread from one execution's sandbox to the next (another
 * workspace's, another user's). These tests try to carry state across that hand-over the way a
 * cell author would, and check that a worker killed by a limit is replaced, never handed on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TS_CELL_LIMITS } from '../../config.ts';
import type { CellResult } from './cell-result.ts';
import { SandboxPool } from './sandbox-pool.ts';
import { TsSandbox } from './sandbox.ts';
import { TestAlmHost } from './test-host.ts';

let pool: SandboxPool;
let host: TestAlmHost;
const limits = { ...DEFAULT_TS_CELL_LIMITS, wallMs: 30_000 };
beforeAll(async () => {
  host = await TestAlmHost.create();
  pool = new SandboxPool({ limits, ready: 1 });
  await pool.whenReady();
}, 120_000);
afterAll(async () => {
  await pool.close();
  host.close();
});

const sandboxOf = (grace?: number) => new TsSandbox(pool.limits, undefined, grace, pool);
function outputs(result: CellResult) {
  if (!result.ok) throw new Error(`cell failed: ${JSON.stringify(result.error)}`);
  return result.outputs;
}

describe('a warm worker handed from one execution to the next keeps nothing of the first', () => {
  it('a global, a polluted prototype and a big string of workspace A are not in workspace B’s later cell', async () => {
    const a = sandboxOf();
    await a.warm();
    const used = a.worker;
    expect(pool.taken).toBe(1);
    const set = await a.run({ source: [
      'globalThis.stolen = "A-secret";',
      '(Object.prototype as any).leak = "A-proto";',
      '(Array.prototype as any).push = () => 0;',
      'const secret = "A-bytes-".repeat(100000);',
      'export const n = secret.length;',
    ].join('\n') }, host);
    expect(outputs(set)).toEqual({ n: 800_000 });
    // within A, the next cell already starts clean (a new instance per cell)
    expect(outputs(await a.run({ source: 'export const same = typeof (globalThis as any).stolen;' }, host))).toEqual({ same: 'undefined' });
    await a.close();
    expect(pool.givenBack).toBe(1);

    const b = sandboxOf();
    await b.warm();
    // the worker A gave back is the one B gets: the hand-over itself is what is tested
    expect(b.worker).toBe(used);
    expect(pool.started).toBe(2);
    expect(pool.taken).toBe(2);
    const seen = await b.run({ source: [
      'const xs: number[] = [];',
      'xs.push(1);',
      'export const stolen = typeof (globalThis as any).stolen;',
      'export const proto = ({} as any).leak ?? null;',
      'export const pushed = xs.length;',
      'export const names = Object.getOwnPropertyNames(globalThis).filter((n) => /stolen|leak|secret/.test(n));',
    ].join('\n') }, host);
    expect(outputs(seen)).toEqual({ stolen: 'undefined', proto: null, pushed: 1, names: [] });
    await b.close();
  }, 120_000);

  it('a worker killed at its wall time, or by a cancel, is replaced and never handed to another execution', async () => {
    const stuck = new TsSandbox(pool.limits, undefined, 100, pool);
    const before = { started: pool.started, givenBack: pool.givenBack };
    // a cell inside one long native call is terminated from outside (wall time + grace)
    const short = new SandboxPool({ limits: { ...limits, wallMs: 300 }, ready: 1 });
    try {
      await short.whenReady();
      const killed = new TsSandbox(short.limits, undefined, 100, short);
      const r = await killed.run({ source: 'const text = "[" + "1.5,".repeat(3e6) + "1]";\nexport const n = JSON.parse(text).length;' }, host);
      expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
      expect(killed.workersStarted).toBe(1);
      // the next cell of that sandbox runs in another worker, from the pool
      expect(outputs(await killed.run({ source: 'export const back: boolean = true;' }, host))).toEqual({ back: true });
      expect(killed.workersStarted).toBe(2);
      await killed.close();
      expect(short.givenBack).toBe(1); // the live one; the killed one never came back
      expect(short.started).toBe(3); // the first, the refill after each take
    } finally {
      await short.close();
    }

    const running = stuck.run({ source: 'for (;;) {}' }, host);
    await new Promise((r) => setTimeout(r, 300));
    expect(stuck.cancel()).toBe(true);
    expect(await running).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    await stuck.close();
    expect(pool.givenBack).toBe(before.givenBack); // closed after its worker was killed: nothing given back
    const next = sandboxOf();
    expect(outputs(await next.run({ source: 'export const ok: number = 1;' }, host))).toEqual({ ok: 1 });
    await next.close();
    expect(pool.started).toBeGreaterThan(before.started);
  }, 120_000);

  it('a memory bomb ends its cell with a memory error, and the next execution on that worker has its full memory', async () => {
    const a = sandboxOf();
    expect(await a.run({ source: 'const keep: Uint8Array[] = [];\nwhile (true) keep.push(new Uint8Array(4e6));' }, host)).toMatchObject({ ok: false, error: { kind: 'memory' } });
    await a.close();
    const b = sandboxOf();
    // 100 MB fits only in a memory the bomb did not fill
    expect(outputs(await b.run({ source: 'const big = new Uint8Array(100e6); big[5] = 7;\nexport const v = big[5] + big.length;' }, host))).toEqual({ v: 100_000_007 });
    await b.close();
  }, 120_000);

  it('a ready worker starts a cell in under 50 ms', async () => {
    const s = sandboxOf();
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await s.run({ source: `export const i = ${i};` }, host);
      if (!r.ok) throw new Error(r.error.message);
      starts.push(r.timing!.sandboxStartMs);
    }
    await s.close();
    expect(Math.min(...starts)).toBeLessThan(50);
  }, 120_000);
});

describe('closing the pool', () => {
  it('stops the workers still booting without calling it a failed start', async () => {
    const logged: string[] = [];
    const booting = new SandboxPool({ limits, ready: 2, log: (message) => logged.push(message) });
    expect(booting.started).toBe(2);
    await booting.close();
    // the workers' own end (terminate) settles their start; give it a turn of the event loop
    await new Promise((r) => setTimeout(r, 200));
    expect(logged).toEqual([]);
  });
});
