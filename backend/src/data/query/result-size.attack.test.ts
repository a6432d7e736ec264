/**
 * Breach 3 of the attack run: one SELECT whose answer is billions of characters drove the server
 * to ~14 GB and V8 aborted. Tried here the way the attacker did, against the real server: the
 * answer must be refused in the JSON error shape while it is read, the process must stay small,
 * and the server must keep answering (its own SQL, another user's page) afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { member, uploadDataset, type Member } from '../../workspaces/test-fixtures.ts';

let t: TestServer;
let mallory: Member;
let bob: Member;
let wid: string;
let did: string;
let bobWid: string;
let bobDid: string;

beforeAll(async () => {
  t = await startTestServer();
  [mallory, bob] = await Promise.all([member(t, 'mallory'), member(t, 'bobby')]);
  wid = (await t.request('POST', '/api/workspaces', { token: mallory.token, body: { name: 'Bomb' } })).body.workspace.id;
  did = await uploadDataset(t, mallory.token, wid, 50);
  bobWid = (await t.request('POST', '/api/workspaces', { token: bob.token, body: { name: 'Books' } })).body.workspace.id;
  bobDid = await uploadDataset(t, bob.token, bobWid, 50);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const sql = (query: string, token = mallory.token, w = wid, d = did) => t.request('POST', `/api/workspaces/${w}/sql`, { token, body: { datasetId: d, sql: query, maxRows: 100_000 } });

// Each answer would be hundreds of MB to GBs as JSON; the limit is 64 MB.
const BOMBS = [
  "SELECT repeat('x', 100000000) AS s FROM range(50)",
  "select REPEAT('x', 100000000) s from range(50)",
  "SELECT repeat('ab', 20000000) AS a, repeat('cd', 20000000) AS b FROM range(10)",
  "SELECT [repeat('x', 1000000) FOR i IN range(100)] AS l FROM range(5)",
  "SELECT {'k': repeat('x', 50000000)} AS st FROM range(4)",
  "SELECT map([1], [repeat('y', 50000000)]) AS m FROM range(4)",
  "SELECT CAST(repeat('z', 30000000) AS BLOB) AS b FROM range(4)",
  "SELECT repeat('x', 1000) AS s FROM range(100000)",
  "SELECT r, repeat('x', 100000000) AS s FROM range(50) AS t(r) ORDER BY r DESC",
  "SELECT * FROM (VALUES (repeat('v', 70000000)))",
  "FROM range(50) SELECT repeat('x', 100000000) AS s",
];

describe('an answer too large to send', () => {
  it.each(BOMBS)('%s is refused with 413 in the error shape, memory stays bounded', async (query) => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    try {
      const res = await sql(query);
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/json');
      // Stopped by the byte budget, or (a sort holds every row first) by DuckDB's memory limit.
      expect(['too_large', 'memory_limit']).toContain(res.body.error.code);
      expect(res.body.error.message).toMatch(res.body.error.code === 'too_large' ? /larger than 64 MB.*LIMIT/ : /more memory than this workspace allows/);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - before).toBeLessThan(1.5 * 1024 ** 3);
  }, 60_000);

  it('the server still answers both users afterwards, and a large answer under the limit still comes back', async () => {
    const own = await sql('SELECT count(*) AS n FROM positions');
    expect(own.status).toBe(200);
    expect(own.body.rows).toEqual([{ n: 50 }]);
    const other = await sql('SELECT count(*) AS n FROM positions', bob.token, bobWid, bobDid);
    expect(other.body.rows).toEqual([{ n: 50 }]);
    const page = await t.request('POST', `/api/workspaces/${bobWid}/datasets/${bobDid}/query`, { token: bob.token, body: { table: 'positions', startRow: 0, endRow: 10 } });
    expect(page.status).toBe(200);
    expect(page.body.rows).toHaveLength(10);
    const big = await sql("SELECT repeat('x', 1000) AS s FROM range(20000)");
    expect(big.status).toBe(200);
    expect(big.body.rows).toHaveLength(20_000);
    expect(big.body.rows[19_999].s).toHaveLength(1000);
  }, 60_000);
});
