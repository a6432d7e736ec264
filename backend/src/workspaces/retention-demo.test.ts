/** Retention purges only workspaces idle past the TTL (rows, folder, audit); the demo is idempotent. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { DEMO_NAME, DEMO_POSITIONS, ensureDemoWorkspace } from './demo.ts';
import { purgeExpiredWorkspaces } from './retention.ts';
import { member, uploadDataset, type Member } from './test-fixtures.ts';

let t: TestServer;
let owner: Member;

beforeAll(async () => {
  t = await startTestServer({ env: { workspaceTtlDays: 30 }, demo: true });
  owner = await member(t, 'tess');
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('retention', () => {
  it('deletes workspaces not updated for workspaceTtlDays, rows and folder, and audits it', async () => {
    const oldWs = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Old' } })).body.workspace.id;
    const freshWs = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Fresh' } })).body.workspace.id;
    await uploadDataset(t, owner.token, oldWs, 50);
    await t.request('POST', `/api/workspaces/${oldWs}/notebooks`, { token: owner.token, body: { name: 'n' } });
    const now = new Date('2030-01-01T00:00:00Z');
    const old = new Date(now.getTime() - 31 * 86_400_000).toISOString();
    const recent = new Date(now.getTime() - 29 * 86_400_000).toISOString();
    t.deps.db.prepare('UPDATE workspaces SET updated_at = ?').run(recent);
    t.deps.db.prepare('UPDATE workspaces SET updated_at = ? WHERE id = ?').run(old, oldWs);

    const result = await purgeExpiredWorkspaces(t.deps, now);
    expect(result.purged).toEqual([oldWs]);
    expect(existsSync(join(t.dataDir, 'workspaces', owner.id, oldWs))).toBe(false);
    expect(existsSync(join(t.dataDir, 'workspaces', owner.id, freshWs))).toBe(true);
    for (const table of ['datasets', 'notebooks', 'workspace_members', 'runs']) {
      expect(t.deps.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = ?`).get(oldWs)).toEqual({ n: 0 });
    }
    const list = await t.request('GET', '/api/workspaces', { token: owner.token });
    expect(list.body.workspaces.map((w: { id: string }) => w.id)).toEqual([freshWs]);
    const audit = t.deps.db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'workspace.purge' AND workspace_id = ?").get(oldWs) as { n: number } | undefined;
    expect(audit?.n).toBe(1);
  });

  it('does nothing without a TTL', async () => {
    const deps = { ...t.deps, config: { ...t.deps.config, workspaceTtlDays: null } };
    expect(await purgeExpiredWorkspaces(deps, new Date('2100-01-01'))).toEqual({ purged: [] });
  });
});

describe('demo workspace', () => {
  it('exists for the admin with the synthetic dataset and the four shipped notebooks, and is created only once', async () => {
    const { token, user } = await t.login(t.admin.username, t.admin.password);
    const list = await t.request('GET', '/api/workspaces', { token });
    const demo = list.body.workspaces.find((w: { name: string }) => w.name === DEMO_NAME);
    expect(demo.role).toBe('owner');
    const datasets = await t.request('GET', `/api/workspaces/${demo.id}/datasets`, { token });
    expect(datasets.body.datasets).toHaveLength(1);
    const meta = datasets.body.datasets[0];
    expect(meta.rows.positions).toBe(DEMO_POSITIONS);
    expect(new Set(meta.totals.map((x: { currency: string }) => x.currency))).toEqual(new Set(['EUR', 'USD']));
    const notebooks = await t.request('GET', `/api/workspaces/${demo.id}/notebooks`, { token });
    expect(notebooks.body.notebooks.map((n: { name: string; published: boolean }) => [n.name, n.published]).sort()).toEqual([
      ['Balance explorer', true], ['Custom scenario and deposit betas', true], ['IRRBB regulatory report', true], ['Repricing gap', true],
    ]);

    const again = await ensureDemoWorkspace(t.deps, user);
    expect(again).toEqual({ workspaceId: demo.id, created: false });
    const count = t.deps.db.prepare('SELECT count(*) AS n FROM workspaces WHERE name = ?').get(DEMO_NAME) as { n: number };
    expect(count.n).toBe(1);
    expect(readdirSync(join(t.dataDir, 'workspaces', user.id, demo.id, 'datasets'))).toEqual([meta.id]);
  });
});
