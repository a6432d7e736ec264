/**
 * Runs over real HTTP and real worker threads: SSE progress then done, result tables equal to the
 * engine called directly, cancel, the per-user concurrency limit, engine input errors as `failed`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, buildCurveSet, defaultSettings, type AnalysisResult, type AnalysisSettings } from '@almready/engine';
import { loadDataset } from '../data/datasets/index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { runServiceFor } from './service.ts';
import { member, shareWorkspace, uploadDataset, waitForRun, type Member } from '../workspaces/test-fixtures.ts';

let t: TestServer;
let owner: Member;
let colleague: Member;
let wid: string;
let did: string;

interface SseEvent { event: string; data: any }

async function readEvents(path: string, token: string): Promise<SseEvent[]> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  expect(res.headers.get('cache-control')).toContain('no-cache');
  const text = await res.text();
  return text.split('\n\n').filter((block) => block.startsWith('event:')).map((block) => {
    const [eventLine, dataLine] = block.split('\n');
    return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) };
  });
}

/** The engine called directly on the test dataset: the reference the run's results must equal. */
async function analyseDirectly(settings: Partial<AnalysisSettings>): Promise<AnalysisResult> {
  const data = await loadDataset(join(t.dataDir, 'workspaces', owner.id, wid, 'datasets', did));
  const curves = buildCurveSet(data.curves);
  if (!curves.ok) throw new Error('curves');
  return analyse({ positions: data.positions, schedules: data.schedules, curves: curves.curves, settings: { ...defaultSettings(data.asOf), ...settings } });
}

beforeAll(async () => {
  process.env.ALMREADY_RUN_WORKERS = '4';
  process.env.ALMREADY_RUNS_PER_USER = '2';
  t = await startTestServer();
  delete process.env.ALMREADY_RUN_WORKERS;
  delete process.env.ALMREADY_RUNS_PER_USER;
  [owner, colleague] = await Promise.all([member(t, 'rita'), member(t, 'carl')]);
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Runs' } })).body.workspace.id;
  await shareWorkspace(t, owner, wid, [[colleague, 'explore']]);
  did = await uploadDataset(t, owner.token, wid, 300);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('calculation runs', () => {
  it('streams progress then done, and the result tables hold the engine\'s EVE and NII', async () => {
    const settings = { datasetId: did, method: 'full', floor: true, scenarios: ['base', 'parallel_up', 'parallel_down'], niiHorizonMonths: 12, tier1: 5e6 };
    const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: settings });
    expect(started.status).toBe(202);
    const rid = started.body.run.id;
    const events = await readEvents(`/api/workspaces/${wid}/runs/${rid}/events`, owner.token);
    const last = events[events.length - 1]!;
    expect(last.event, JSON.stringify(events)).toBe('done');
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.some((e) => e.data.phase === 'eve')).toBe(true);
    expect(progress.every((e) => e.data.fraction >= 0 && e.data.fraction <= 1)).toBe(true);

    const direct = await analyseDirectly({ scenarios: ['parallel_up', 'parallel_down'], floor: 'eu', method: 'full', niiHorizonMonths: 12, tier1: 5e6 });
    expect(last.data.summary.eveBase).toBeCloseTo(direct.eve.base, 6);
    expect(last.data.summary.positions).toBe(300);

    const eve = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/eve`, { token: colleague.token });
    expect(eve.status).toBe(200);
    expect(eve.body.columns.map((c: { name: string }) => c.name)).toEqual(['scenario', 'eve', 'delta_eve', 'loss']);
    const byScenario = Object.fromEntries(eve.body.rows.map((r: { scenario: string; eve: number }) => [r.scenario, r.eve]));
    expect(Object.keys(byScenario)).toEqual(['base', 'parallel_up', 'parallel_down']);
    expect(byScenario.base).toBeCloseTo(direct.eve.base, 6);
    expect(byScenario.parallel_up).toBeCloseTo(direct.eve.scenarios.parallel_up!.value, 6);
    expect(byScenario.parallel_down).toBeCloseTo(direct.eve.scenarios.parallel_down!.value, 6);
    expect(Math.abs(direct.eve.scenarios.parallel_up!.delta)).toBeGreaterThan(0);

    const nii = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/nii`, { token: owner.token });
    expect(nii.body.rows.find((r: { scenario: string }) => r.scenario === 'parallel_up').nii).toBeCloseTo(direct.nii.scenarios.parallel_up!.value, 6);
    for (const table of ['gap', 'eve_by_bucket', 'eve_by_product', 'nii_profile']) {
      const res = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/${table}`, { token: owner.token });
      expect(res.status, table).toBe(200);
      expect(res.body.rows.length, table).toBeGreaterThan(0);
    }
    const profile = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/nii_profile`, { token: owner.token });
    expect(profile.body.rows).toHaveLength(12 * 3);
    expect((await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/secrets`, { token: owner.token })).status).toBe(404);

    const sql = await t.request('POST', `/api/workspaces/${wid}/sql`, { token: colleague.token, body: { datasetId: did, sql: "SELECT eve FROM result_eve WHERE scenario = 'parallel_up'" } });
    expect(sql.status, JSON.stringify(sql.body)).toBe(200);
    expect(sql.body.rows[0].eve).toBeCloseTo(direct.eve.scenarios.parallel_up!.value, 6);

    const run = (await t.request('GET', `/api/workspaces/${wid}/runs/${rid}`, { token: owner.token })).body.run;
    expect(run).toMatchObject({ status: 'done', progress: 1, datasetId: did, createdBy: owner.id });
    expect(run.settings.scenarios).toEqual(['base', 'parallel_up', 'parallel_down']);
    expect(run.summary.outlierTests.tier1).toBe(5e6);
  });

  it('cancelling a run while it loads its dataset ends it as cancelled; the server and the next run are fine', async () => {
    // Large enough that loading takes a while: the cancel lands inside DuckDB.
    const large = await uploadDataset(t, owner.token, wid, 30_000);
    const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: large } });
    const rid = started.body.run.id;
    const res = await fetch(`${t.url}/api/workspaces/${wid}/runs/${rid}/events`, { headers: { authorization: `Bearer ${owner.token}` } });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Cancel at the moment the worker reports it is loading (inside DuckDB).
    while (!text.includes('"phase":"load"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    const cancelled = await t.request('POST', `/api/workspaces/${wid}/runs/${rid}/cancel`, { token: colleague.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.run.status).toBe('cancelled');
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text.trim().endsWith('event: cancelled\ndata: {}')).toBe(true);
    expect((await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/eve`, { token: owner.token })).status).toBe(409);
    const next = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base'] } });
    expect((await waitForRun(t, owner.token, wid, next.body.run.id)).status).toBe('done');
  });

  it('a user\'s third concurrent run waits in the queue while another user\'s run starts', async () => {
    const post = (token: string) => t.request('POST', `/api/workspaces/${wid}/runs`, { token, body: { datasetId: did, scenarios: ['base'] } });
    // A cancelled run keeps its worker until the native call it is in returns: start from an idle pool.
    for (const until = Date.now() + 30_000; runServiceFor(t.deps).stats().running > 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
    expect(runServiceFor(t.deps).stats()).toMatchObject({ running: 0, queued: 0 });
    const first = await post(owner.token);
    const second = await post(owner.token);
    const third = await post(owner.token);
    const other = await post(colleague.token);
    expect([first.body.run.status, second.body.run.status, third.body.run.status, other.body.run.status]).toEqual(['running', 'running', 'queued', 'running']);
    const finals = await Promise.all([first, second, third, other].map((r) => waitForRun(t, owner.token, wid, r.body.run.id)));
    expect(finals.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    // The queued run started only after one of the user's first two finished.
    const endOfFirstTwo = Math.min(Date.parse(finals[0].finishedAt), Date.parse(finals[1].finishedAt));
    expect(Date.parse(finals[2].startedAt)).toBeGreaterThanOrEqual(endOfFirstTwo);
  });

  it('an event stream whose client goes away stops listening', async () => {
    const runs = await Promise.all([0, 1, 2].map(() => t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base'] } })));
    const queued = runs.find((r) => r.body.run.status === 'queued')!;
    const rid = queued.body.run.id;
    const abort = new AbortController();
    const res = await fetch(`${t.url}/api/workspaces/${wid}/runs/${rid}/events`, { headers: { authorization: `Bearer ${owner.token}` }, signal: abort.signal });
    await res.body!.getReader().read();
    expect(runServiceFor(t.deps).subscribers(rid)).toBe(1);
    abort.abort();
    await new Promise((r) => setTimeout(r, 200));
    expect(runServiceFor(t.deps).subscribers(rid)).toBe(0);
    await Promise.all(runs.map((r) => waitForRun(t, owner.token, wid, r.body.run.id)));
  });

  it('an unknown dataset is a 422; a queued run can be cancelled too', async () => {
    const res = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: crypto.randomUUID() } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('datasetId');
    const runs = await Promise.all([0, 1, 2].map(() => t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base'] } })));
    const queued = runs.find((r) => r.body.run.status === 'queued')!;
    const cancelled = await t.request('POST', `/api/workspaces/${wid}/runs/${queued.body.run.id}/cancel`, { token: owner.token });
    expect(cancelled.body.run.status).toBe('cancelled');
    const events = await readEvents(`/api/workspaces/${wid}/runs/${queued.body.run.id}/events`, owner.token);
    expect(events.map((e) => e.event)).toEqual(['cancelled']);
    await Promise.all(runs.filter((r) => r !== queued).map((r) => waitForRun(t, owner.token, wid, r.body.run.id)));
    const list = await t.request('GET', `/api/workspaces/${wid}/runs`, { token: owner.token });
    expect(list.body.runs.filter((r: { status: string }) => r.status === 'cancelled')).toHaveLength(2);
  });

  it('behavioural assumptions, US-style parallel shocks and the runoff balance sheet reach the engine', async () => {
    const nmd = [
      { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.75, averageMaturityYears: 4 },
      { category: 'wholesale', stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 2 },
    ];
    const body = { datasetId: did, floor: 'none', scenarios: ['base', 'parallel_up_100', 'parallel_down_300'], nmd, balanceSheet: 'runoff', tier1: 5e6 };
    const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const done = await waitForRun(t, owner.token, wid, started.body.run.id);
    expect(done.status, JSON.stringify(done)).toBe('done');

    const direct = await analyseDirectly({ floor: 'none', scenarios: ['parallel_up_100', 'parallel_down_300'], nmd: nmd as never, balanceSheet: 'runoff', tier1: 5e6 });
    const withoutAssumptions = await analyseDirectly({ floor: 'none', scenarios: ['parallel_up_100'] });
    const eve = await t.request('GET', `/api/workspaces/${wid}/runs/${started.body.run.id}/results/eve`, { token: owner.token });
    const byScenario = Object.fromEntries(eve.body.rows.map((r: { scenario: string; eve: number }) => [r.scenario, r.eve]));
    expect(Object.keys(byScenario)).toEqual(['base', 'parallel_up_100', 'parallel_down_300']);
    expect(byScenario.parallel_down_300).toBeCloseTo(direct.eve.scenarios.parallel_down_300!.value, 6);
    expect(byScenario.base).toBeCloseTo(direct.eve.base, 6);
    // the assumptions moved deposits out of overnight, so they change the value
    expect(Math.abs(direct.eve.base - withoutAssumptions.eve.base)).toBeGreaterThan(1);
  });

  it('settings above a regulatory cap or naming unknown scenarios are refused with the reason', async () => {
    const capped = await t.request('POST', `/api/workspaces/${wid}/runs`, {
      token: owner.token,
      body: { datasetId: did, nmd: [{ category: 'retail_transactional', stableShare: 0.9, coreShare: 0.95, averageMaturityYears: 4 }] },
    });
    expect(capped.status).toBe(422);
    expect(capped.body.error.message).toContain('retail_transactional core share 95% exceeds the regulatory cap of 90%');
    const unknown = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base', 'parallel_up_250bp'] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('unknown scenario id');
    const floor = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, floor: 'bcbs' } });
    expect(floor.status).toBe(422);
    expect(floor.body.error.message).toContain('floor must be');
  });

  it('an engine input error ends the run as failed with the engine\'s message', async () => {
    const form = new FormData();
    form.set('as_of', '2025-06-30');
    form.set('positions', new Blob(['position_id,side,product,currency,notional,maturity_date,amortization,rate_type,rate\nL1,asset,loan,NOK,1000000,2030-06-30,bullet,fixed,0.03\n']), 'p.csv');
    form.set('curves', new Blob(['curve_id,tenor,rate\nNOK_NOWA_OIS,1Y,0.04\nNOK_NOWA_OIS,10Y,0.04\n']), 'c.csv');
    const upload = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token: owner.token, body: form });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: upload.body.dataset.id } });
    const events = await readEvents(`/api/workspaces/${wid}/runs/${started.body.run.id}/events`, owner.token);
    const last = events[events.length - 1]!;
    expect(last.event).toBe('failed');
    // NOK has no supervisory shock sizes (EU 2024/856): the engine refuses the regulatory scenarios.
    expect(last.data.message).toMatch(/^The analysis cannot run: .*no shock sizes for currency NOK/);
    const run = (await t.request('GET', `/api/workspaces/${wid}/runs/${started.body.run.id}`, { token: owner.token })).body.run;
    expect(run.status).toBe('failed');
    expect(run.error).toBe(last.data.message);
  });
});
