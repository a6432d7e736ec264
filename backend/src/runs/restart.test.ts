/**
 * After a server restart on the same data directory, the latest finished run of a workspace is
 * still queryable from SQL as result_* (its Parquet files are re-registered at start-up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/server.ts';
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
});
