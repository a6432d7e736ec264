/**
 * Run results by name over real HTTP: `result_eve` in SQL on a dataset is that dataset's latest
 * run (never another dataset's), `run_<short id>_eve` is one run wherever it is asked from, and
 * the result route pages, sorts and filters a table read from its Parquet file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, uploadDataset, waitForRun, type Member } from '../workspaces/test-fixtures.ts';

let t: TestServer;
let owner: Member;
let wid: string;
let datasetA: string;
let datasetB: string;
let runA: string;
let runB: string;

const SCENARIOS = ['base', 'parallel_up', 'parallel_down', 'steepener', 'flattener'];

async function run(datasetId: string): Promise<string> {
  const started = await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId, scenarios: SCENARIOS } });
  expect(started.status).toBe(202);
  expect((await waitForRun(t, owner.token, wid, started.body.run.id)).status).toBe('done');
  return started.body.run.id as string;
}

async function sql(datasetId: string, text: string) {
  return t.request('POST', `/api/workspaces/${wid}/sql`, { token: owner.token, body: { datasetId, sql: text } });
}

async function eveOf(rid: string): Promise<Record<string, number>> {
  const res = await t.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/eve`, { token: owner.token });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.rows.map((r: { scenario: string; eve: number }) => [r.scenario, r.eve]));
}

beforeAll(async () => {
  t = await startTestServer();
  owner = await member(t, 'nora');
  wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Two books' } })).body.workspace.id;
  datasetA = await uploadDataset(t, owner.token, wid, 150);
  datasetB = await uploadDataset(t, owner.token, wid, 400);
  runA = await run(datasetA);
  // B's run finishes last: before, result_eve meant this run on every dataset.
  runB = await run(datasetB);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('run result tables by name', () => {
  it('writes one Parquet file per table and no result.json', () => {
    const dir = join(t.dataDir, 'workspaces', owner.id, wid, 'runs', runA);
    for (const table of ['eve', 'nii', 'gap', 'eve_by_bucket', 'eve_by_product', 'nii_profile']) expect(existsSync(join(dir, `${table}.parquet`)), table).toBe(true);
    expect(existsSync(join(dir, 'result.json'))).toBe(false);
  });

  it('result_eve on dataset A is A\'s latest run, on dataset B is B\'s', async () => {
    const [a, b] = [await eveOf(runA), await eveOf(runB)];
    expect(a.base).not.toBeCloseTo(b.base!, 0);
    const onA = await sql(datasetA, "SELECT eve FROM result_eve WHERE scenario = 'parallel_up'");
    expect(onA.status, JSON.stringify(onA.body)).toBe(200);
    expect(onA.body.rows).toEqual([{ eve: a.parallel_up }]);
    const onB = await sql(datasetB, "SELECT eve FROM result_eve WHERE scenario = 'parallel_up'");
    expect(onB.body.rows).toEqual([{ eve: b.parallel_up }]);
  });

  it('run_<short id>_eve is that run, whichever dataset the query is on', async () => {
    const a = await eveOf(runA);
    const name = `run_${runA.slice(0, 8)}_eve`;
    const res = await sql(datasetB, `SELECT scenario, eve FROM ${name} ORDER BY scenario`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rows).toEqual(Object.entries(a).map(([scenario, eve]) => ({ scenario, eve })).sort((x, y) => x.scenario.localeCompare(y.scenario)));
    const profile = await sql(datasetA, `SELECT count(*) AS n FROM run_${runB.slice(0, 8)}_nii_profile`);
    expect(profile.body.rows[0].n).toBe(12 * SCENARIOS.length);
  });

  it('the result route sorts, filters and pages a table', async () => {
    const a = await eveOf(runA);
    const sorted = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?sort=eve:desc`, { token: owner.token });
    expect(sorted.status).toBe(200);
    expect(sorted.body.rows.map((r: { eve: number }) => r.eve)).toEqual(Object.values(a).sort((x, y) => y - x));
    expect(sorted.body.columns).toEqual([{ name: 'scenario', type: 'string' }, { name: 'eve', type: 'number' }, { name: 'delta_eve', type: 'number' }, { name: 'loss', type: 'number' }]);

    const filter = JSON.stringify({ scenario: { filterType: 'text', type: 'startsWith', filter: 'parallel' } });
    const page = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?sort=scenario:desc&startRow=1&endRow=2&filter=${encodeURIComponent(filter)}`, { token: owner.token });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.rows).toHaveLength(1);
    expect(page.body.rows[0]).toMatchObject({ scenario: 'parallel_down', eve: a.parallel_down });
    expect(page.headers.get('x-row-count')).toBe('2');

    const unknown = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?sort=secret:asc`, { token: owner.token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('unknown column "secret"');
    const badSort = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?sort=eve:sideways`, { token: owner.token });
    expect(badSort.status).toBe(422);
    expect(badSort.body.error.message).toContain('column[:asc|:desc]');
    const badFilter = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?filter=${encodeURIComponent('{not json')}`, { token: owner.token });
    expect(badFilter.status).toBe(422);
  });

  it('result_eve on a dataset without a run is no table, not another dataset\'s run', async () => {
    const fresh = await uploadDataset(t, owner.token, wid, 60);
    const res = await sql(fresh, 'SELECT * FROM result_eve');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/result_eve/);
  });

  it('another workspace cannot reach a run\'s tables by name, nor inject through sort or filter; the run stays intact', async () => {
    const before = await eveOf(runA);
    const stranger = await member(t, 'omar');
    const other = (await t.request('POST', '/api/workspaces', { token: stranger.token, body: { name: 'Elsewhere' } })).body.workspace.id;
    const theirs = await uploadDataset(t, stranger.token, other, 50);
    for (const name of [`run_${runA.slice(0, 8)}_eve`, 'result_eve']) {
      const res = await t.request('POST', `/api/workspaces/${other}/sql`, { token: stranger.token, body: { datasetId: theirs, sql: `SELECT * FROM ${name}` } });
      expect(res.status, name).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain(String(before.base));
    }
    const cross = await t.request('GET', `/api/workspaces/${other}/runs/${runA}/results/eve`, { token: stranger.token });
    expect(cross.status).toBe(404);
    const injected = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?sort=${encodeURIComponent('eve; DROP VIEW main.run_x')}`, { token: owner.token });
    expect(injected.status).toBe(400);
    const filter = JSON.stringify({ "scenario') OR 1=1 --": { filterType: 'text', type: 'equals', filter: 'x' } });
    const viaFilter = await t.request('GET', `/api/workspaces/${wid}/runs/${runA}/results/eve?filter=${encodeURIComponent(filter)}`, { token: owner.token });
    expect(viaFilter.status).toBe(400);
    expect(await eveOf(runA)).toEqual(before);
  });
});
