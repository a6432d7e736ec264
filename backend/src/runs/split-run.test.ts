/**
 * Split runs over real HTTP and real worker threads: a server whose split threshold is lowered
 * (ALMREADY_RUN_SPLIT_MIN_POSITIONS) cuts the run into two parts computed at once, and every
 * figure of every result table equals that of a server computing the same dataset on one worker,
 * to 1e-9 relative; the second run on a dataset reads its cached columns; cancel stops all parts
 * and leaves nothing; deleting a dataset drops its cached columns; a tiny budget caches nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS, type Limits } from '../config.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, uploadDataset, waitForRun, type Member } from '../workspaces/test-fixtures.ts';
import { runServiceFor } from './service.ts';
import { RESULT_TABLES } from './worker-protocol.ts';

const POSITIONS = 6_000;
const limits = (runs: Partial<Limits['runs']>): Limits => ({ query: DEFAULT_QUERY_LIMITS, runs: { workers: 2, perUser: 2, queuedPerUser: 10, ...runs } });

interface Side { t: TestServer; owner: Member; wid: string; did: string }

async function side(runs: Partial<Limits['runs']>, positions = POSITIONS): Promise<Side> {
  const t = await startTestServer({ env: { limits: limits(runs) } });
  const owner = await member(t, 'rita');
  const wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Split' } })).body.workspace.id;
  return { t, owner, wid, did: await uploadDataset(t, owner.token, wid, positions) };
}

async function run(s: Side, body: Record<string, unknown>, datasetId = s.did): Promise<any> {
  const started = await s.t.request('POST', `/api/workspaces/${s.wid}/runs`, { token: s.owner.token, body: { datasetId, ...body } });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const done = await waitForRun(s.t, s.owner.token, s.wid, started.body.run.id, 120_000);
  expect(done.status, JSON.stringify(done)).toBe('done');
  return done;
}

async function tables(s: Side, rid: string): Promise<Record<string, { columns: { name: string }[]; rows: Record<string, unknown>[] }>> {
  const out: Record<string, { columns: { name: string }[]; rows: Record<string, unknown>[] }> = {};
  for (const table of RESULT_TABLES) {
    const res = await s.t.request('GET', `/api/workspaces/${s.wid}/runs/${rid}/results/${table}`, { token: s.owner.token });
    expect(res.status, table).toBe(200);
    out[table] = res.body;
  }
  return out;
}

let split: Side;
let single: Side;

beforeAll(async () => {
  [split, single] = await Promise.all([
    side({ splitMinPositions: 1_000, splitParts: 2 }),
    side({ splitMinPositions: 10_000_000 }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([split?.t.stop(), single?.t.stop()]);
});

describe('split runs', () => {
  const body = { method: 'full', floor: true, niiHorizonMonths: 12, tier1: 5e7, breakdownBy: ['segment'] };

  it('a run cut into two parts equals the run on one worker: every figure of every table to 1e-9 relative', async () => {
    const [a, b] = await Promise.all([run(split, body), run(single, body)]);
    expect(a.summary.compute).toMatchObject({ parts: 2, cached: false });
    expect(b.summary.compute).toMatchObject({ parts: 1, cached: false });
    expect(a.summary.positions).toBe(POSITIONS);
    const [ta, tb] = await Promise.all([tables(split, a.id), tables(single, b.id)]);
    let compared = 0;
    for (const table of RESULT_TABLES) {
      const rowsA = ta[table]!.rows;
      const rowsB = tb[table]!.rows;
      expect(ta[table]!.columns, table).toEqual(tb[table]!.columns);
      expect(rowsA.length, table).toBe(rowsB.length);
      expect(rowsA.length, table).toBeGreaterThan(0);
      rowsA.forEach((row, r) => {
        for (const [column, value] of Object.entries(row)) {
          const other = rowsB[r]![column];
          if (typeof value !== 'number') {
            expect(value, `${table} row ${r} ${column}`).toEqual(other);
            continue;
          }
          expect(typeof other, `${table} row ${r} ${column}`).toBe('number');
          const scale = Math.max(Math.abs(value), Math.abs(other as number));
          expect(Math.abs(value - (other as number)), `${table} row ${r} ${column}: ${value} vs ${other}`).toBeLessThanOrEqual(1e-9 * scale + 1e-6 * (scale === 0 ? 1 : 0));
          compared += 1;
        }
      });
    }
    // EVE and NII per scenario, gap, the breakdowns: hundreds of figures, not a handful
    expect(compared).toBeGreaterThan(500);
    for (const key of ['eveBase', 'eveLoss', 'niiBase'] as const) {
      expect(Math.abs(a.summary[key] - b.summary[key])).toBeLessThanOrEqual(1e-9 * Math.abs(b.summary[key]));
    }
    expect(a.summary.worstEve.scenario).toBe(b.summary.worstEve.scenario);
    expect(a.summary.outlierTests.eve.flagged).toBe(b.summary.outlierTests.eve.flagged);
    expect(a.summary.warnings).toEqual(b.summary.warnings);
  });

  it('the second run on a dataset reads its cached columns: no load', async () => {
    const before = runServiceFor(split.t.deps).cacheStats();
    expect(before.entries).toBe(1);
    const again = await run(split, { ...body, scenarios: ['base', 'parallel_up'] });
    expect(again.summary.compute).toEqual({ parts: 2, cached: true, loadMs: 0 });
    const after = runServiceFor(split.t.deps).cacheStats();
    expect(after.hits).toBe(before.hits + 1);
    expect(after.misses).toBe(before.misses);
    expect(after.bytes).toBeGreaterThan(POSITIONS * 100);
  });

  it('progress of a split run is one fraction per phase that never goes back, ending at 1', async () => {
    const started = await split.t.request('POST', `/api/workspaces/${split.wid}/runs`, { token: split.owner.token, body: { datasetId: split.did, ...body } });
    const res = await fetch(`${split.t.url}/api/workspaces/${split.wid}/runs/${started.body.run.id}/events`, { headers: { authorization: `Bearer ${split.owner.token}` } });
    const events = (await res.text()).split('\n\n').filter((b) => b.startsWith('event:')).map((b) => {
      const [e, d] = b.split('\n');
      return { event: e!.slice(7), data: JSON.parse(d!.slice(6)) };
    });
    expect(events[events.length - 1]!.event).toBe('done');
    const eve = events.filter((e) => e.event === 'progress' && e.data.phase === 'eve').map((e) => e.data.fraction as number);
    expect(eve.length).toBeGreaterThan(0);
    for (let k = 1; k < eve.length; k++) expect(eve[k]).toBeGreaterThanOrEqual(eve[k - 1]!);
    expect(eve.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it('cancelling a split run while its parts compute stops every part and leaves no result tables', async () => {
    const large = await uploadDataset(split.t, split.owner.token, split.wid, 40_000);
    await run(split, { scenarios: ['base'] }, large); // cached now: the cancelled run computes at once
    const started = await split.t.request('POST', `/api/workspaces/${split.wid}/runs`, { token: split.owner.token, body: { datasetId: large, ...body } });
    const rid = started.body.run.id;
    const res = await fetch(`${split.t.url}/api/workspaces/${split.wid}/runs/${rid}/events`, { headers: { authorization: `Bearer ${split.owner.token}` } });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"phase":"eve"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(runServiceFor(split.t.deps).stats().running).toBe(2); // both parts compute
    const cancelled = await split.t.request('POST', `/api/workspaces/${split.wid}/runs/${rid}/cancel`, { token: split.owner.token });
    expect(cancelled.body.run.status).toBe('cancelled');
    expect(runServiceFor(split.t.deps).stats()).toMatchObject({ running: 0, queued: 0 });
    await reader.cancel();
    // no part finishes later and writes anything
    await new Promise((r) => setTimeout(r, 1_500));
    const runDir = join(split.t.dataDir, 'workspaces', split.owner.id, split.wid, 'runs', rid);
    expect(existsSync(runDir)).toBe(false);
    const row = (await split.t.request('GET', `/api/workspaces/${split.wid}/runs/${rid}`, { token: split.owner.token })).body.run;
    expect(row.status).toBe('cancelled');
    expect(row.summary ?? null).toBeNull();
    expect((await split.t.request('GET', `/api/workspaces/${split.wid}/runs/${rid}/results/eve`, { token: split.owner.token })).status).toBe(409);
    // the pool is fine: the next run is done
    expect((await run(split, { scenarios: ['base'] }, large)).summary.compute).toMatchObject({ parts: 2, cached: true });
  });

  it('deleting a dataset drops its cached columns', async () => {
    const other = await uploadDataset(split.t, split.owner.token, split.wid, 1_500);
    await run(split, { scenarios: ['base'] }, other);
    const service = runServiceFor(split.t.deps);
    const before = service.cacheStats().entries;
    const deleted = await split.t.request('DELETE', `/api/workspaces/${split.wid}/datasets/${other}`, { token: split.owner.token });
    expect(deleted.status).toBe(204);
    expect(service.cacheStats().entries).toBe(before - 1);
  });
});

describe('a dataset cache budget smaller than the dataset', () => {
  let tiny: Side;
  beforeAll(async () => {
    tiny = await side({ cacheMb: 1 }, 12_000);
  }, 120_000);
  afterAll(async () => {
    await tiny?.t.stop();
  });

  it('keeps nothing: every run loads its dataset', async () => {
    const first = await run(tiny, { scenarios: ['base'] });
    const second = await run(tiny, { scenarios: ['base'] });
    expect(first.summary.compute.cached).toBe(false);
    expect(second.summary.compute.cached).toBe(false);
    expect(second.summary.compute.loadMs).toBeGreaterThan(0);
    expect(runServiceFor(tiny.t.deps).cacheStats()).toMatchObject({ entries: 0, bytes: 0, budgetBytes: 1024 * 1024 });
  });
});
