/** One saved version read back as it was saved (history, compare, restore); strangers learn nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookVersionAnswerSchema } from '@almready/contracts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, shareWorkspace, type Member } from '../workspaces/test-fixtures.ts';

let t: TestServer;
let anna: Member;
let ben: Member;
let erik: Member;
let stranger: Member;
let wid: string;
let nid: string;

const doc = (title: string, source: string) => ({ format: 'almready-notebook', version: 2, title, cells: [{ id: 'c1', kind: 'sql', source, name: 'q' }] });

beforeAll(async () => {
  t = await startTestServer();
  [anna, ben, erik, stranger] = await Promise.all([member(t, 'anna'), member(t, 'ben'), member(t, 'erik'), member(t, 'stranger')]);
  wid = (await t.request('POST', '/api/workspaces', { token: anna.token, body: { name: 'History' } })).body.workspace.id;
  await shareWorkspace(t, anna, wid, [[ben, 'edit'], [erik, 'explore']]);
  nid = (await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'EVE check', content: doc('EVE check', 'SELECT 1') } })).body.notebook.id;
  const second = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token, body: { version: 1, content: doc('EVE check', 'SELECT 2'), name: 'EVE check v2' } });
  expect(second.status).toBe(200);
});

afterAll(async () => {
  await t?.stop();
});

describe('GET …/notebooks/:nid/versions/:version', () => {
  it('answers each version with its own content, name, author and time', async () => {
    const list = (await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`, { token: anna.token })).body.versions;
    for (const [version, source, name, savedBy] of [[1, 'SELECT 1', 'EVE check', 'anna'], [2, 'SELECT 2', 'EVE check v2', 'ben']] as const) {
      const res = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions/${version}`, { token: anna.token });
      expect(res.status).toBe(200);
      const answer = notebookVersionAnswerSchema.parse(res.body).version;
      expect(answer).toMatchObject({ version, name, savedBy, savedAt: list.find((v: { version: number }) => v.version === version).savedAt });
      expect((answer.content as { cells: { source: string }[] }).cells[0]!.source).toBe(source);
    }
  });

  it('a version that does not exist, or is not a number, is 404; explore members get 403', async () => {
    for (const bad of ['3', '0', '-1', '1.5', 'one', '01', '9999999999']) {
      const res = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions/${bad}`, { token: anna.token });
      expect(res.status, bad).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const explorer = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions/1`, { token: erik.token });
    expect(explorer.status).toBe(403);
  });

  it('a stranger gets the same 404 as for a workspace that does not exist, and no content', async () => {
    const res = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions/1`, { token: stranger.token });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'Workspace not found.' });
    expect(JSON.stringify(res.body)).not.toContain('SELECT');
    const other = await t.request('GET', `/api/workspaces/${crypto.randomUUID()}/notebooks/${nid}/versions/1`, { token: stranger.token });
    expect(other.body.error).toEqual(res.body.error);
  });
});
