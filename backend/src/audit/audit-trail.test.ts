/**
 * The audit log over real HTTP: it names workspaces (also once deleted) and records notebook
 * saves, publishes and runs, each with who, where and what.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, uploadDataset, waitForRun, type Member } from '../workspaces/test-fixtures.ts';

let t: TestServer;
let adminToken: string;
let owner: Member;

beforeAll(async () => {
  t = await startTestServer();
  adminToken = (await t.login(t.admin.username, t.admin.password)).token;
  owner = await member(t, 'audra');
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

async function events(): Promise<{ action: string; workspaceId: string | null; workspaceName: string | null; username: string | null; detail: any }[]> {
  const res = await t.request('GET', '/api/admin/audit?limit=100', { token: adminToken });
  expect(res.status).toBe(200);
  return res.body.events;
}

it('records notebook saves, publishes and runs, naming the workspace', async () => {
  const wid = (await t.request('POST', '/api/workspaces', { token: owner.token, body: { name: 'Treasury ALM' } })).body.workspace.id;
  const created = await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: owner.token, body: { name: 'IRRBB' } });
  expect(created.status).toBe(201);
  const nid = created.body.notebook.id;
  const saved = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: owner.token, body: { version: created.body.notebook.version, content: created.body.notebook.content } });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  expect((await t.request('POST', `/api/workspaces/${wid}/notebooks/${nid}/publish`, { token: owner.token })).status).toBe(200);
  const did = await uploadDataset(t, owner.token, wid, 30);
  const rid = (await t.request('POST', `/api/workspaces/${wid}/runs`, { token: owner.token, body: { datasetId: did, scenarios: ['base', 'parallel_up'] } })).body.run.id;
  await waitForRun(t, owner.token, wid, rid);

  const mine = (await events()).filter((e) => e.workspaceId === wid);
  const actions = mine.map((e) => e.action);
  for (const action of ['workspace.create', 'notebook.create', 'notebook.save', 'notebook.publish', 'dataset.upload', 'run.start']) expect(actions, action).toContain(action);
  expect(mine.every((e) => e.workspaceName === 'Treasury ALM' && e.username === 'audra')).toBe(true);
  const save = mine.find((e) => e.action === 'notebook.save')!;
  expect(save.detail).toMatchObject({ notebookId: nid, name: 'IRRBB', version: saved.body.notebook.version });
  expect(mine.find((e) => e.action === 'run.start')!.detail).toMatchObject({ runId: rid, datasetId: did });

  // Renamed: events show the name as it is now. Deleted: the name the delete event recorded.
  expect((await t.request('PATCH', `/api/workspaces/${wid}`, { token: owner.token, body: { name: 'Treasury ALM 2' } })).status).toBe(200);
  expect((await events()).find((e) => e.action === 'notebook.save' && e.workspaceId === wid)?.workspaceName).toBe('Treasury ALM 2');
  expect((await t.request('DELETE', `/api/workspaces/${wid}`, { token: owner.token })).status).toBe(204);
  const gone = (await events()).filter((e) => e.workspaceId === wid);
  expect(gone.find((e) => e.action === 'workspace.delete')?.workspaceName).toBe('Treasury ALM 2');
  expect(t.deps.db.prepare('SELECT count(*) AS n FROM workspaces WHERE id = ?').get(wid)).toEqual({ n: 0 });
  expect(gone.filter((e) => e.action !== 'workspace.delete').every((e) => e.workspaceName === 'Treasury ALM 2')).toBe(true);
}, 120_000);
