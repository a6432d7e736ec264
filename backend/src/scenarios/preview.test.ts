/**
 * The scenario editor's curve view against the real server: the shocked curve is the base curve
 * plus the drawn shift (linear between points, flat outside), computed here on its own from the
 * dataset's curve rows read through SQL; bad input names its field; strangers learn nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioPreviewAnswerSchema, type ScenarioPreview } from '@almready/contracts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createTeam, uploadDataset, type Team } from '../workspaces/test-fixtures.ts';

let t: TestServer;
let team: Team;
let did: string;
let eurCurve: { t: number; rate: number }[];

const url = () => `/api/workspaces/${team.wid}/scenarios/preview`;
const years = (tenor: string) => {
  if (tenor === 'ON') return 1 / 365;
  const n = Number(tenor.slice(0, -1));
  return { W: (7 * n) / 365, M: n / 12, Y: n }[tenor.slice(-1)]!;
};
/** Linear between points, flat outside: written here again, not imported from the engine. */
const linear = (points: { t: number; v: number }[], t: number) => {
  const p = [...points].sort((a, b) => a.t - b.t);
  if (t <= p[0]!.t) return p[0]!.v;
  if (t >= p[p.length - 1]!.t) return p[p.length - 1]!.v;
  const i = p.findIndex((q) => q.t >= t);
  const a = p[i - 1]!;
  const b = p[i]!;
  return a.v + ((b.v - a.v) * (t - a.t)) / (b.t - a.t);
};
const baseAt = (t: number) => linear(eurCurve.map((r) => ({ t: r.t, v: r.rate })), t);

async function preview(body: Record<string, unknown>, token = team.explore.token) {
  return t.request('POST', url(), { token, body: { datasetId: did, ...body } });
}
async function okPreview(body: Record<string, unknown>): Promise<ScenarioPreview> {
  const res = await preview(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return scenarioPreviewAnswerSchema.parse(res.body).preview;
}

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  did = await uploadDataset(t, team.edit.token, team.wid);
  const sql = await t.request('POST', `/api/workspaces/${team.wid}/sql`, { token: team.explore.token, body: { datasetId: did, sql: "SELECT tenor, rate::DOUBLE AS rate FROM curves WHERE curve_id = 'EUR_ESTR_OIS'" } });
  expect(sql.status).toBe(200);
  eurCurve = (sql.body.rows as { tenor: string; rate: number }[]).map((r) => ({ t: years(r.tenor), rate: r.rate }));
  expect(eurCurve.length).toBeGreaterThan(10);
});

afterAll(async () => {
  await t?.stop();
});

describe('POST /:wid/scenarios/preview', () => {
  it('a drawn shock: shocked = base + the shift interpolated between the points, at every tenor shown', async () => {
    const shocks = [{ tenorYears: 1, bp: 50 }, { tenorYears: 5, bp: -20 }, { tenorYears: 10, bp: 80 }];
    const p = await okPreview({ currency: 'EUR', shocks, floor: 'none' });
    expect(p).toMatchObject({ currency: 'EUR', curveId: 'EUR_ESTR_OIS', scenario: 'custom', currencies: ['EUR', 'USD'] });
    const tenors = p.points.map((x) => x.tenorYears);
    for (const needed of [0.25, 1, 5, 7, 10, 30]) expect(tenors).toContain(needed);
    const shift = (x: number) => linear(shocks.map((s) => ({ t: s.tenorYears, v: s.bp / 10_000 })), x);
    for (const point of p.points) {
      expect(point.base).toBeCloseTo(baseAt(point.tenorYears), 12);
      expect(point.shocked - point.base).toBeCloseTo(shift(point.tenorYears), 12);
    }
    // spot checks in bp: flat before the first point, between points, flat after the last
    const at = (x: number) => p.points.find((q) => q.tenorYears === x)!;
    expect((at(0.25).shocked - at(0.25).base) * 1e4).toBeCloseTo(50, 9);
    expect((at(7).shocked - at(7).base) * 1e4).toBeCloseTo(20, 9);
    expect((at(30).shocked - at(30).base) * 1e4).toBeCloseTo(80, 9);
  });

  it('the EU lower bound holds a large down shock at min(floor(t), base), unless the scenario is not floorable', async () => {
    const shocks = [{ tenorYears: 2, bp: -600 }];
    const floored = await okPreview({ currency: 'EUR', shocks, floor: 'eu' });
    for (const point of floored.points) {
      const lower = Math.min(0, -0.015 + 0.0003 * point.tenorYears);
      expect(point.shocked).toBeCloseTo(Math.max(point.base - 0.06, Math.min(lower, point.base)), 12);
    }
    expect(floored.points.some((x) => x.shocked > x.base - 0.06 + 1e-9)).toBe(true);
    const unfloored = await okPreview({ currency: 'EUR', shocks, floor: 'eu', floorable: false });
    for (const point of unfloored.points) expect(point.shocked).toBeCloseTo(point.base - 0.06, 12);
  });

  it('a built-in scenario: parallel_up moves EUR by its §4 size (200 bp), USD by its own', async () => {
    const eur = await okPreview({ currency: 'EUR', scenario: 'parallel_up' });
    expect(eur.scenario).toBe('parallel_up');
    for (const point of eur.points) expect(point.shocked - point.base).toBeCloseTo(0.02, 12);
    const usd = await okPreview({ currency: 'USD', scenario: 'parallel_up_100' });
    expect(usd.curveId).toBe('USD_SOFR_OIS');
    for (const point of usd.points) expect(point.shocked - point.base).toBeCloseTo(0.01, 12);
  });

  it('bad input is a 422 naming the field, for each mistake', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ currency: 'eur', scenario: 'parallel_up' }, 'currency'],
      [{ currency: 'JPY', scenario: 'parallel_up' }, 'currency'],
      [{ currency: 'EUR', shocks: [{ tenorYears: 1, bp: 'ten' }] }, 'shocks.0.bp'],
      [{ currency: 'EUR', shocks: [{ tenorYears: -1, bp: 10 }] }, 'shocks.0.tenorYears'],
      [{ currency: 'EUR', shocks: [{ tenorYears: 1, bp: 10 }, { tenorYears: 1, bp: 20 }] }, 'shocks.1.tenorYears'],
      [{ currency: 'EUR', shocks: [] }, 'shocks'],
      [{ currency: 'EUR' }, 'shocks'],
      [{ currency: 'EUR', scenario: 'parallel_up', shocks: [{ tenorYears: 1, bp: 10 }] }, 'shocks'],
      [{ currency: 'EUR', scenario: 'twist' }, 'scenario'],
      [{ currency: 'EUR', scenario: 'parallel_up', floor: 'us' }, 'floor'],
      [{ currency: 'EUR', scenario: 'parallel_up', tenor: 3 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await preview(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message, JSON.stringify(body)).toContain(`${field}: `);
    }
    const badDataset = await preview({ datasetId: 'not-a-uuid', scenario: 'parallel_up' });
    expect(badDataset.status).toBe(422);
    expect(badDataset.body.error.message).toContain('datasetId: ');
  });

  it('a stranger gets 404 and no curve; a dataset of another workspace is 404; a view member 403', async () => {
    const stranger = await preview({ currency: 'EUR', scenario: 'parallel_up' }, team.stranger.token);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toEqual({ code: 'not_found', message: 'Workspace not found.' });
    expect(JSON.stringify(stranger.body)).not.toContain('EUR_ESTR_OIS');
    const otherWs = (await t.request('POST', '/api/workspaces', { token: team.stranger.token, body: { name: 'Elsewhere' } })).body.workspace.id;
    const foreign = await t.request('POST', `/api/workspaces/${otherWs}/scenarios/preview`, { token: team.stranger.token, body: { datasetId: did, scenario: 'parallel_up' } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe('Dataset not found.');
    const viewer = await preview({ currency: 'EUR', scenario: 'parallel_up' }, team.view.token);
    expect(viewer.status).toBe(403);
  });
});
