/**
 * The byte budget on every route that returns rows: grid pages, user SQL and each block of a CSV
 * export stop at `maxResultBytes` with a too_large error, and answers within it are unchanged.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePositions, makeDataRoot, writeFixtureDataset } from './test-fixtures.ts';
import { WorkspaceQueryService } from './workspace-query-service.ts';
import { QueryError } from './query-error.ts';

let ws: string;
const tight = new WorkspaceQueryService({ memoryLimit: '256MB', threads: 1, maxResultBytes: 20_000, pageCacheCells: 0 });
const roomy = new WorkspaceQueryService({ memoryLimit: '256MB', threads: 1 });

beforeAll(async () => {
  ws = await writeFixtureDataset(await makeDataRoot(), 'owner1', 'ws1', 'd1', fixturePositions(3000));
});
afterAll(async () => {
  await Promise.all([tight.closeAll(), roomy.closeAll()]);
});

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    return error instanceof QueryError ? `${error.code}: ${error.message}` : String(error);
  }
}

describe('the byte budget', () => {
  it('refuses a grid page larger than the budget and serves a small one', async () => {
    expect(await codeOf(tight.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 2000 }))).toMatch(/^too_large: This page would be larger than 0 MB/);
    const small = await tight.page(ws, 'd1', { table: 'positions', startRow: 0, endRow: 20 });
    expect(small.rows).toHaveLength(20);
    expect(small.rowCount).toBe(3000);
  });

  it('refuses a sorted (late-materialised) page larger than the budget', async () => {
    const sorted = { table: 'positions', startRow: 0, endRow: 2000, sortModel: [{ colId: 'notional', sort: 'desc' as const }] };
    expect(await codeOf(tight.page(ws, 'd1', sorted))).toMatch(/^too_large/);
    expect((await roomy.page(ws, 'd1', sorted)).rows).toHaveLength(2000);
  });

  it('refuses SQL answers over the budget inside DuckDB, whatever their type, and keeps order and names', async () => {
    for (const sql of ['SELECT * FROM positions', "SELECT repeat('x', 30000) AS s", 'SELECT [position_id, position_id, product] AS l FROM positions', "SELECT {'a': position_id} AS st FROM positions", 'SELECT CAST(position_id AS BLOB) AS b FROM positions']) {
      expect(await codeOf(tight.runSql(ws, 'd1', sql)), sql).toMatch(/^too_large: The answer would be larger than 0 MB/);
    }
    const fine = await tight.runSql(ws, 'd1', 'SELECT position_id AS id, 1 AS id FROM positions ORDER BY notional DESC, position_id LIMIT 5');
    const reference = await roomy.runSql(ws, 'd1', 'SELECT position_id AS id, 1 AS id FROM positions ORDER BY notional DESC, position_id LIMIT 5');
    expect(fine).toEqual(reference);
    expect(fine.columns.map((c) => c.name)).toEqual(['id', 'id_1']);
  });

  it('bounds each block of a CSV export, while a normal export streams every row', async () => {
    const chunks: string[] = [];
    expect(await codeOf(tight.exportCsv(ws, 'd1', { table: 'positions' }, (c) => chunks.push(c)))).toMatch(/^too_large: A block of 2048 rows of this export would be larger/);
    const all: string[] = [];
    const done = await roomy.exportCsv(ws, 'd1', { table: 'positions' }, (c) => all.push(c));
    expect(done.rows).toBe(3000);
    expect(all.join('').split('\r\n').filter(Boolean)).toHaveLength(3001);
  });

  it("an export past its time limit stops with a timeout instead of streaming on (DuckDB's interrupt alone does not stop a streamed result)", { timeout: 60_000 }, async () => {
    const quick = new WorkspaceQueryService({ memoryLimit: '256MB', threads: 1, exportTimeoutMs: 100 });
    const big = await writeFixtureDataset(await makeDataRoot(), 'owner2', 'ws2', 'd1', fixturePositions(200_000));
    try {
      let written = 0;
      // A client that reads slowly: the first block waits 400 ms for 'drain', the timer fires meanwhile.
      const slow = new Writable({ highWaterMark: 1, write(chunk, _enc, done) { written += chunk.length; setTimeout(done, 400); } });
      expect(await codeOf(quick.exportCsv(big, 'd1', { table: 'positions' }, slow))).toMatch(/^timeout: The query ran longer than 0.1 s/);
      expect(written).toBeGreaterThan(0);
    } finally {
      await quick.closeAll();
    }
  });
});
