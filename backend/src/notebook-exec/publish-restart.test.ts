/**
 * Publications across a restart on the same data directory: the report and its HTML come back
 * byte for byte (they read the publication's own file), and what a crash between file and row
 * leaves in `publications/` (a file without a row, a temp file) is removed at start-up; a
 * workspace with publications deletes whole.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { createTeam } from '../workspaces/test-fixtures.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'almready-publish-restart-'));
let t: TestServer | undefined;

afterAll(async () => {
  await t?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a publication survives a restart whole; files a cut-off publish left are swept', async () => {
  t = await startTestServer({ env: { dataDir } });
  const team = await createTeam(t);
  const content = { format: 'almready-notebook', version: 2, title: 'Memo', cells: [{ id: 'p', kind: 'markdown', source: '# Memo\nRates are **up**.' }] };
  const nid = (await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: 'Memo', content } })).body.notebook.id;
  const base = `/api/workspaces/${team.wid}/notebooks/${nid}`;
  const published = await t.request('POST', `${base}/publish`, { token: team.edit.token });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const id = published.body.publication.id as string;
  expect(published.body.publication).toMatchObject({ datasetId: null, datasetHash: null, parameters: {} });
  const report = (await t.request('GET', `${base}/report`, { token: team.view.token })).body;
  const html = String((await t.request('GET', `${base}/report.html`, { token: team.view.token })).body);
  expect(html).toContain('<h1>Memo</h1>\n<p>Rates are <strong>up</strong>.</p>');
  const ownerId = t.deps.db.prepare('SELECT owner_id FROM workspaces WHERE id = ?').pluck().get(team.wid) as string;
  const dir = join(workspaceDir(dataDir, ownerId, team.wid), 'publications');
  const orphan = join(dir, `${crypto.randomUUID()}.json`);
  const temp = join(dir, `.tmp-${id}.json-${crypto.randomUUID()}`);
  writeFileSync(orphan, '{}');
  writeFileSync(temp, '{"half');
  await t.stop();

  t = await startTestServer({ env: { dataDir } });
  expect(existsSync(orphan)).toBe(false);
  expect(existsSync(temp)).toBe(false);
  expect(existsSync(join(dir, `${id}.json`))).toBe(true);
  const token = (await t.login(team.view.username, `${team.view.username}-password-1`)).token;
  expect((await t.request('GET', `${base}/report`, { token })).body).toEqual(report);
  expect(String((await t.request('GET', `${base}/report.html`, { token })).body)).toBe(html);
  // a workspace with publications deletes whole: rows, pins and files
  const owner = (await t.login(team.owner.username, `${team.owner.username}-password-1`)).token;
  expect((await t.request('DELETE', `/api/workspaces/${team.wid}`, { token: owner })).status).toBe(204);
  expect(t.deps.db.prepare('SELECT count(*) FROM notebook_publications WHERE workspace_id = ?').pluck().get(team.wid)).toBe(0);
  expect(t.deps.db.prepare('SELECT count(*) FROM notebook_publication_outputs WHERE workspace_id = ?').pluck().get(team.wid)).toBe(0);
  expect(existsSync(join(dir, `${id}.json`))).toBe(false);
}, 120_000);
