/**
 * After a server restart on the same data directory, the latest finished run of a workspace is
 * still queryable from SQL as result_* (its Parquet files are re-registered at start-up).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/server.ts';
import { readRunTables } from './result-files.ts';
import { RESULT_TABLES } from './worker-protocol.ts';
import { member, uploadDataset, waitForRun } from '../workspaces/test-fixtures.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'almready-restart-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('run results across a restart', () => {
  it('answers SQL on result_eve with the numbers of the last run before the restart', async () => {
    const first = await startTestServer({ env: { dataDir } });
    let wid = '';
    let did = '';
    let before: number | undefined;
    try {
      const owner = await member(first, 'rosa');
      wid = (await first.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Restart' } })).body.workspace.id;
      did = await uploadDataset(first, owner.token, wid, 200);
      const started = await first.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base', 'parallel_up'] } });
      expect((await waitForRun(first, owner.token, wid, started.body.run.id)).status).toBe('done');
      const sql = await first.request('POST', `/api/workspaces/${wid}/sql`, { token: owner.token, body: { datasetId: did, sql: "SELECT eve FROM result_eve WHERE scenario = 'parallel_up'" } });
      expect(sql.status, JSON.stringify(sql.body)).toBe(200);
      before = sql.body.rows[0].eve as number;
    } finally {
      await first.stop();
    }

    const second = await startTestServer({ env: { dataDir } });
    try {
      const { token } = await second.login('rosa', 'rosa-password-1');
      const sql = await second.request('POST', `/api/workspaces/${wid}/sql`, { token, body: { datasetId: did, sql: "SELECT eve FROM result_eve WHERE scenario = 'parallel_up'" } });
      expect(sql.status, JSON.stringify(sql.body)).toBe(200);
      expect(sql.body.rows[0].eve).toBe(before);
      expect(Math.abs(before ?? 0)).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  });

  it('a run of the earlier layout (result.json only) is read, paged and queryable after the restart', async () => {
    const legacyDir = mkdtempSync(join(tmpdir(), 'almready-legacy-'));
    // the earlier layout held every table of a run in result.json
    const tables = [...RESULT_TABLES];
    const first = await startTestServer({ env: { dataDir: legacyDir } });
    let wid = '';
    let did = '';
    let rid = '';
    let ownerId = '';
    const answers: Record<string, unknown> = {};
    try {
      const owner = await member(first, 'lena');
      ownerId = owner.id;
      wid = (await first.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Legacy' } })).body.workspace.id;
      did = await uploadDataset(first, owner.token, wid, 120);
      rid = (await first.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base', 'parallel_up'] } })).body.run.id;
      expect((await waitForRun(first, owner.token, wid, rid)).status).toBe('done');
      for (const table of tables) answers[table] = (await first.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/${table}`, { token: owner.token })).body;
    } finally {
      await first.stop();
    }
    // The earlier layout: the tables in result.json, no Parquet files.
    const dir = join(legacyDir, 'workspaces', ownerId, wid, 'runs', rid);
    for (const table of tables) rmSync(join(dir, `${table}.parquet`));
    writeFileSync(join(dir, 'result.json'), JSON.stringify({ summary: {}, tables: answers }));

    const second = await startTestServer({ env: { dataDir: legacyDir } });
    try {
      const { token } = await second.login('lena', 'lena-password-1');
      for (const table of tables) {
        const res = await second.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/${table}`, { token });
        expect(res.status, table).toBe(200);
        expect(res.body, table).toEqual(answers[table]);
      }
      expect(existsSync(join(dir, 'eve.parquet'))).toBe(true);
      const up = (answers.eve as { rows: { scenario: string; eve: number }[] }).rows.find((r) => r.scenario === 'parallel_up')!.eve;
      const sql = await second.request('POST', `/api/workspaces/${wid}/sql`, { token, body: { datasetId: did, sql: `SELECT eve FROM run_${rid.slice(0, 8)}_eve WHERE scenario = 'parallel_up' UNION ALL SELECT eve FROM result_eve WHERE scenario = 'parallel_up'` } });
      expect(sql.status, JSON.stringify(sql.body)).toBe(200);
      expect(sql.body.rows).toEqual([{ eve: up }, { eve: up }]);
      // The whole-run reader (exports) answers the same tables.
      expect(await readRunTables(dir)).toEqual(answers);
      const sorted = await second.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/eve?sort=eve:asc`, { token });
      expect(sorted.body.rows.map((r: { eve: number }) => r.eve)).toEqual((answers.eve as { rows: { eve: number }[] }).rows.map((r) => r.eve).sort((a, b) => a - b));
    } finally {
      await second.stop();
      rmSync(legacyDir, { recursive: true, force: true });
    }
  });
});
