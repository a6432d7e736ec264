/**
 * Breach 4 of the attack run: one user's long queries stalled everyone's SQL. Tried against the
 * real server with one statement slot: a user floods the SQL route with long joins; past her
 * waiting cap she gets 429 `busy`, and another user's query is answered before her waiting ones.
 * Ordering only (which answer came first), no timing thresholds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { member, uploadDataset, type Member } from '../../workspaces/test-fixtures.ts';

let t: TestServer;
let ann: Member;
let ben: Member;
let annWid: string;
let annDid: string;
let benWid: string;
let benDid: string;

beforeAll(async () => {
  const env = { ALMREADY_QUERIES_AT_ONCE: '1', ALMREADY_QUERIES_PER_USER: '1', ALMREADY_QUERIES_QUEUED_PER_USER: '2' };
  Object.assign(process.env, env);
  try {
    t = await startTestServer();
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
  }
  [ann, ben] = await Promise.all([member(t, 'ann'), member(t, 'ben')]);
  annWid = (await t.request('POST', '/api/workspaces', { token: ann.token, body: { name: 'Joins' } })).body.workspace.id;
  benWid = (await t.request('POST', '/api/workspaces', { token: ben.token, body: { name: 'Counts' } })).body.workspace.id;
  [annDid, benDid] = await Promise.all([uploadDataset(t, ann.token, annWid, 30), uploadDataset(t, ben.token, benWid, 30)]);
  // Open both workspaces' engines first, so only the statements queue.
  await t.request('POST', `/api/workspaces/${annWid}/sql`, { token: ann.token, body: { datasetId: annDid, sql: 'SELECT 1' } });
  await t.request('POST', `/api/workspaces/${benWid}/sql`, { token: ben.token, body: { datasetId: benDid, sql: 'SELECT 1' } });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const LONG = 'SELECT count(*) AS n FROM range(1500000) a, range(150) b WHERE a.range + b.range < 0';

describe('one user flooding SQL', () => {
  it('gets 429 past her waiting cap, and another user is answered before her waiting queries', async () => {
    const finished: string[] = [];
    const ask = (who: Member, wid: string, did: string, sql: string, label: string) =>
      t.request('POST', `/api/workspaces/${wid}/sql`, { token: who.token, body: { datasetId: did, sql } }).then((res) => {
        finished.push(label);
        return res;
      });
    const anns = [0, 1, 2, 3, 4].map((i) => ask(ann, annWid, annDid, LONG, `ann${i}`));
    // Let her five requests arrive: one runs, two wait, two are refused.
    await new Promise((r) => setTimeout(r, 300));
    const bens = ask(ben, benWid, benDid, 'SELECT count(*) AS n FROM positions', 'ben');
    const [annAnswers, benAnswer] = await Promise.all([Promise.all(anns), bens]);

    expect(benAnswer.status).toBe(200);
    expect(benAnswer.body.rows).toEqual([{ n: 30 }]);
    const statuses = annAnswers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    for (const refused of annAnswers.filter((r) => r.status === 429)) {
      expect(refused.body.error.code).toBe('busy');
      expect(refused.body.error.message).toContain('2 queries waiting');
    }
    for (const done of annAnswers.filter((r) => r.status === 200)) expect(done.body.rows).toEqual([{ n: 0 }]);
    // Ben's one query came back before Ann's two waiting ones (only her running one may precede it).
    const answered = finished.filter((label) => label === 'ben' || annAnswers[Number(label.slice(3))]?.status === 200);
    expect(answered.indexOf('ben')).toBeLessThanOrEqual(1);
  }, 120_000);
});
