/**
 * `GET /api/notebook-examples` and `POST /:wid/notebooks {example}` over real HTTP: any signed-in
 * user lists the shipped notebooks; an edit member makes a notebook from one (the file's document,
 * its title as the default name); an unknown id is a 422 naming the ids; a stranger gets 404 and
 * members below edit 403 — and none of the refused attempts creates a notebook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookExamplesAnswerSchema } from '@almready/contracts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createTeam, type Team } from '../workspaces/test-fixtures.ts';
import { EXAMPLE_IDS, notebookExample } from './catalog.ts';

let t: TestServer;
let team: Team;

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

const notebooksPath = () => `/api/workspaces/${team.wid}/notebooks`;
const notebookCount = () => (t.deps.db.prepare('SELECT count(*) AS n FROM notebooks WHERE workspace_id = ?').get(team.wid) as { n: number }).n;

describe('GET /api/notebook-examples', () => {
  it('lists the four shipped notebooks with id, name and description to any signed-in user, and nothing without sign-in', async () => {
    const res = await t.request('GET', '/api/notebook-examples', { token: team.stranger.token });
    expect(res.status).toBe(200);
    const answer = notebookExamplesAnswerSchema.parse(res.body);
    expect(answer.examples.map((e) => e.id)).toEqual([...EXAMPLE_IDS]);
    expect(answer.examples[0]).toEqual({ id: 'irrbb-report', name: 'IRRBB regulatory report', description: notebookExample('irrbb-report')!.description });
    for (const e of answer.examples) expect(Object.keys(e).sort()).toEqual(['description', 'id', 'name']);
    const anonymous = await t.request('GET', '/api/notebook-examples');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.examples).toBeUndefined();
  });
});

describe('POST /:wid/notebooks {example}', () => {
  it('copies the shipped file into the workspace, named after its title unless a name is given', async () => {
    const res = await t.request('POST', notebooksPath(), { token: team.edit.token, body: { example: 'repricing-gap' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.notebook).toMatchObject({ name: 'Repricing gap', version: 1, published: false });
    expect(res.body.notebook.content).toEqual(notebookExample('repricing-gap')!.document);
    const named = await t.request('POST', notebooksPath(), { token: team.edit.token, body: { example: 'custom-scenario', name: 'Twist, Q3' } });
    expect(named.status).toBe(201);
    expect(named.body.notebook.name).toBe('Twist, Q3');
    expect(named.body.notebook.content.cells.map((c: { id: string }) => c.id)).toContain('quant');
    const read = await t.request('GET', `${notebooksPath()}/${named.body.notebook.id}`, { token: team.explore.token });
    expect(read.body.notebook.content).toEqual(notebookExample('custom-scenario')!.document);
    const audit = t.deps.db.prepare("SELECT detail_json AS detail FROM audit_events WHERE action = 'notebook.create' AND workspace_id = ? ORDER BY id").all(team.wid) as { detail: string }[];
    expect(audit.map((a) => JSON.parse(a.detail).example)).toEqual(['repricing-gap', 'custom-scenario']);
  });

  it('refuses an unknown example with a 422 naming the examples, and content together with an example; nothing is created', async () => {
    const before = notebookCount();
    const unknown = await t.request('POST', notebooksPath(), { token: team.edit.token, body: { example: 'irrbb' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_example', message: 'There is no example "irrbb"; the examples are irrbb-report, balance-explorer, custom-scenario, repricing-gap.' });
    const both = await t.request('POST', notebooksPath(), { token: team.edit.token, body: { example: 'irrbb-report', content: notebookExample('balance-explorer')!.document } });
    expect(both.status).toBe(422);
    expect(both.body.error.message).toContain('example: give either content or example, not both');
    const nameless = await t.request('POST', notebooksPath(), { token: team.edit.token, body: {} });
    expect(nameless.status).toBe(422);
    expect(nameless.body.error.message).toContain('name: name is required');
    const traversal = await t.request('POST', notebooksPath(), { token: team.edit.token, body: { example: '../fixtures/v2-irrbb-report' } });
    expect(traversal.status).toBe(422);
    expect(notebookCount()).toBe(before);
  });

  it('a stranger gets 404, view and explore members 403, and no notebook is made', async () => {
    const before = notebookCount();
    const stranger = await t.request('POST', notebooksPath(), { token: team.stranger.token, body: { example: 'irrbb-report' } });
    expect(stranger.status).toBe(404);
    expect(JSON.stringify(stranger.body)).not.toContain('IRRBB');
    for (const m of [team.view, team.explore]) {
      const res = await t.request('POST', notebooksPath(), { token: m.token, body: { example: 'irrbb-report' } });
      expect(res.status, m.username).toBe(403);
    }
    expect(notebookCount()).toBe(before);
    expect((await t.request('GET', notebooksPath(), { token: team.owner.token })).body.notebooks.map((n: { name: string }) => n.name)).not.toContain('IRRBB regulatory report');
  });
});
