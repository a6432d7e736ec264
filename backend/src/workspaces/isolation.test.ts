/**
 * Every workspace route, called as a stranger (404), as each member role (403 below the route's
 * minimum, its normal answer at or above), with a malformed id and with another workspace's id
 * (404), and without credentials (401). One table lists the routes; the loops do the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createTeam, datasetForm, member, shareWorkspace, uploadDataset, waitForRun, type Member, type Team } from './test-fixtures.ts';
import { WORKSPACE_ROLES, hasRole, type WorkspaceRole } from './roles.ts';

interface Ids { wid: string; did: string; nid: string; rid: string; eid: string; username: string; userId: string }
interface RouteCase {
  method: string;
  path: string;
  min: WorkspaceRole;
  ok: number;
  body?: (ids: Ids) => unknown | Promise<unknown>;
  /** Fresh resources for routes that consume them (deletes, saves). */
  fresh?: (caller: Member) => Promise<Partial<Ids>>;
}

let t: TestServer;
let team: Team;
let base: Ids;
let otherWid: string;
let temp: Member;

const notebookContent = { format: 'almready-notebook', version: 1, title: 'N', cells: [{ id: 'a', kind: 'markdown', source: '# hi' }] };

async function freshMapping(): Promise<Partial<Ids>> {
  const res = await t.request('PUT', `/api/workspaces/${team.wid}/mappings/scratch`, { token: team.owner.token, body: { mapping: { notional: 'Saldo' } } });
  expect(res.status).toBe(200);
  return {};
}

async function freshNotebook(): Promise<Partial<Ids>> {
  const res = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.owner.token, body: { name: 'Scratch' } });
  return { nid: res.body.notebook.id };
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/:wid', min: 'view', ok: 200 },
  { method: 'PATCH', path: '/:wid', min: 'owner', ok: 200, body: () => ({ description: 'updated' }) },
  {
    method: 'DELETE', path: '/:wid', min: 'owner', ok: 204,
    fresh: async () => {
      const res = await t.request('POST', '/api/workspaces', { token: team.owner.token, body: { name: 'Doomed' } });
      const wid = res.body.workspace.id as string;
      await shareWorkspace(t, team.owner, wid, [[team.edit, 'edit'], [team.explore, 'explore'], [team.view, 'view']]);
      return { wid };
    },
  },
  { method: 'GET', path: '/:wid/members', min: 'view', ok: 200 },
  { method: 'PUT', path: '/:wid/members/:username', min: 'owner', ok: 200, body: () => ({ role: 'view' }) },
  {
    method: 'DELETE', path: '/:wid/members/:userId', min: 'owner', ok: 204,
    fresh: async () => {
      await shareWorkspace(t, team.owner, team.wid, [[temp, 'view']]);
      return {};
    },
  },
  { method: 'GET', path: '/:wid/datasets', min: 'explore', ok: 200 },
  { method: 'POST', path: '/:wid/datasets', min: 'edit', ok: 201, body: () => datasetForm(50) },
  { method: 'GET', path: '/:wid/datasets/:did', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/mappings', min: 'explore', ok: 200 },
  { method: 'PUT', path: '/:wid/mappings/monthly-export', min: 'edit', ok: 200, body: () => ({ mapping: { notional: 'Saldo vivo' } }) },
  { method: 'DELETE', path: '/:wid/mappings/scratch', min: 'edit', ok: 204, fresh: freshMapping },
  { method: 'DELETE', path: '/:wid/datasets/:did', min: 'edit', ok: 204, fresh: async () => ({ did: await uploadDataset(t, team.owner.token, team.wid, 50) }) },
  { method: 'POST', path: '/:wid/datasets/:did/query', min: 'explore', ok: 200, body: () => ({ table: 'positions', startRow: 0, endRow: 10 }) },
  { method: 'POST', path: '/:wid/datasets/:did/export', min: 'explore', ok: 200, body: () => ({ table: 'curves' }) },
  { method: 'POST', path: '/:wid/sql', min: 'explore', ok: 200, body: (ids) => ({ datasetId: ids.did, sql: 'SELECT count(*) AS n FROM positions' }) },
  { method: 'POST', path: '/:wid/runs', min: 'explore', ok: 202, body: (ids) => ({ datasetId: ids.did, scenarios: ['base', 'parallel_up'] }) },
  { method: 'GET', path: '/:wid/runs', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/runs/:rid', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/runs/:rid/events', min: 'explore', ok: 200 },
  { method: 'POST', path: '/:wid/runs/:rid/cancel', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/runs/:rid/results/eve', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/runs/:rid/results/eve/csv', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/runs/:rid/workbook', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/notebooks', min: 'view', ok: 200 },
  { method: 'POST', path: '/:wid/notebooks', min: 'edit', ok: 201, body: () => ({ name: 'New notebook' }) },
  { method: 'GET', path: '/:wid/notebooks/:nid', min: 'view', ok: 200 },
  { method: 'PUT', path: '/:wid/notebooks/:nid', min: 'edit', ok: 200, body: () => ({ version: 1, content: notebookContent }), fresh: freshNotebook },
  { method: 'POST', path: '/:wid/notebooks/:nid/publish', min: 'edit', ok: 200 },
  { method: 'GET', path: '/:wid/notebooks/:nid/publications', min: 'view', ok: 200 },
  { method: 'GET', path: '/:wid/notebooks/:nid/report', min: 'view', ok: 200 },
  { method: 'GET', path: '/:wid/notebooks/:nid/report.html', min: 'view', ok: 200 },
  { method: 'GET', path: '/:wid/notebooks/:nid/versions', min: 'edit', ok: 200 },
  { method: 'DELETE', path: '/:wid/notebooks/:nid', min: 'edit', ok: 204, fresh: freshNotebook },
  { method: 'POST', path: '/:wid/notebooks/:nid/executions', min: 'explore', ok: 202, body: () => ({ target: 'notebook' }) },
  { method: 'GET', path: '/:wid/notebooks/:nid/executions/:eid/events', min: 'explore', ok: 200 },
  { method: 'POST', path: '/:wid/notebooks/:nid/executions/:eid/cancel', min: 'explore', ok: 200 },
  { method: 'GET', path: '/:wid/notebooks/:nid/outputs', min: 'view', ok: 200 },
  // the notebook's one cell is Markdown: past the guard, the answer is "no table result" (404 not_found with that message)
  { method: 'GET', path: '/:wid/notebooks/:nid/outputs/a/page', min: 'view', ok: 404 },
];

function url(path: string, ids: Ids): string {
  return `/api/workspaces${path.replace(/:(wid|did|nid|rid|eid|username|userId)/g, (_, key: keyof Ids) => encodeURIComponent(ids[key]))}`;
}

async function call(route: RouteCase, ids: Ids, token?: string) {
  const body = route.body ? await route.body(ids) : undefined;
  return t.request(route.method, url(route.path, ids), { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });
}

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  temp = await member(t, 'temporary');
  const did = await uploadDataset(t, team.owner.token, team.wid);
  const nb = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.owner.token, body: { name: 'Report', content: notebookContent } });
  const published = await t.request('POST', `/api/workspaces/${team.wid}/notebooks/${nb.body.notebook.id}/publish`, { token: team.owner.token });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const run = await t.request('POST', `/api/workspaces/${team.wid}/runs`, { token: team.owner.token, body: { datasetId: did, scenarios: ['base', 'parallel_up'] } });
  const finished = await waitForRun(t, team.owner.token, team.wid, run.body.run.id);
  expect(finished.status, JSON.stringify(finished)).toBe('done');
  const execution = await t.request('POST', `/api/workspaces/${team.wid}/notebooks/${nb.body.notebook.id}/executions`, { token: team.owner.token, body: { target: 'notebook' } });
  expect(execution.status, JSON.stringify(execution.body)).toBe(202);
  const events = await t.request('GET', `/api/workspaces/${team.wid}/notebooks/${nb.body.notebook.id}/executions/${execution.body.executionId}/events`, { token: team.owner.token });
  expect(String(events.body)).toContain('event: execution-finished');
  base = { wid: team.wid, did, nid: nb.body.notebook.id, rid: run.body.run.id, eid: execution.body.executionId, username: temp.username, userId: temp.id };
  const other = await t.request('POST', '/api/workspaces', { token: team.stranger.token, body: { name: 'Stranger own' } });
  otherWid = other.body.workspace.id;
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe.each(ROUTES)('$method $path (min $min)', (route) => {
  it('answers 401 without credentials', async () => {
    expect((await call(route, base)).status).toBe(401);
  });

  it('answers 404 to a stranger', async () => {
    const res = await call(route, { ...base, ...(await route.fresh?.(team.stranger)) }, team.stranger.token);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it.each(WORKSPACE_ROLES)('as %s: 403 below the minimum, its answer at or above', async (role) => {
    const caller = team[role === 'owner' ? 'owner' : role];
    const ids = { ...base, ...(await route.fresh?.(caller)) };
    const res = await call(route, ids, caller.token);
    if (hasRole(role, route.min)) {
      expect(res.status, JSON.stringify(res.body)).toBe(route.ok);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(`"${route.min}"`);
    }
  });

  it('answers 404 to a malformed workspace id and to another workspace\'s id', async () => {
    for (const wid of ['not-a-uuid', '../../etc', otherWid]) {
      const res = await call(route, { ...base, wid }, team.owner.token);
      expect(res.status, wid).toBe(404);
    }
  });

  it('answers 404 to malformed sub-resource ids', async () => {
    if (!/:(did|nid|rid|eid)/.test(route.path)) return;
    const res = await call(route, { ...base, did: 'x1', nid: 'x2', rid: "1' OR '1'='1", eid: "1' OR '1'='1" }, team.owner.token);
    expect(res.status).toBe(404);
  });
});

describe('site admins get no implicit access', () => {
  it('an admin who is not a member gets 404', async () => {
    const { token } = await t.login(t.admin.username, t.admin.password);
    expect((await t.request('GET', `/api/workspaces/${team.wid}`, { token })).status).toBe(404);
    const list = await t.request('GET', '/api/workspaces', { token });
    expect(list.body.workspaces.map((w: { id: string }) => w.id)).not.toContain(team.wid);
  });

  it('the owner cannot remove themselves', async () => {
    const res = await t.request('DELETE', `/api/workspaces/${team.wid}/members/${team.owner.id}`, { token: team.owner.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('owner_cannot_leave');
  });

  it('sharing with an unknown user is a 404 naming them', async () => {
    const res = await t.request('PUT', `/api/workspaces/${team.wid}/members/nobody`, { token: team.owner.token, body: { role: 'view' } });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('nobody');
  });
});
