/** Two editors save the same notebook: the stale save is a 409 naming who won; history stays whole. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebookText } from '@almready/notebooks';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { member, shareWorkspace, uploadDataset, type Member } from '../workspaces/test-fixtures.ts';

let t: TestServer;
let anna: Member;
let ben: Member;
let vera: Member;
let erik: Member;
let wid: string;

const doc = (title: string, source: string) => ({ format: 'almready-notebook', version: 1, title, cells: [{ id: 'c1', kind: 'sql', source, name: 'q' }] });

beforeAll(async () => {
  t = await startTestServer();
  [anna, ben, vera, erik] = await Promise.all([member(t, 'anna'), member(t, 'ben'), member(t, 'vera'), member(t, 'erik')]);
  wid = (await t.request('POST', '/api/workspaces', { token: anna.token, body: { name: 'Notebooks' } })).body.workspace.id;
  await shareWorkspace(t, anna, wid, [[ben, 'edit'], [vera, 'view'], [erik, 'explore']]);
  // publishing runs the version, and these notebooks' SQL cells read a dataset
  await uploadDataset(t, anna.token, wid, 20);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('notebook versions', () => {
  it('the second of two editors saving from the same version gets 409 with who and when; nothing is lost', async () => {
    const created = await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'EVE check', content: doc('EVE check', 'SELECT 1') } });
    expect(created.status).toBe(201);
    expect(created.body.notebook.version).toBe(1);
    const nid = created.body.notebook.id;

    const annaOpens = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: anna.token });
    const benOpens = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token });
    expect(annaOpens.body.notebook.version).toBe(1);
    expect(benOpens.body.notebook.version).toBe(1);

    const annaSaves = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: anna.token, body: { version: 1, content: doc('EVE check', 'SELECT 2') } });
    expect(annaSaves.status).toBe(200);
    expect(annaSaves.body.notebook.version).toBe(2);

    const benSaves = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token, body: { version: 1, content: doc('EVE check', 'SELECT 3') } });
    expect(benSaves.status).toBe(409);
    expect(benSaves.body.error.code).toBe('version_conflict');
    expect(benSaves.body.error.message).toMatch(/^This notebook was changed by anna at \d{4}-\d\d-\d\dT[\d:.]+Z \(version 2\); reload and re-apply your edits\.$/);

    const current = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token });
    expect(current.body.notebook.version).toBe(2);
    expect(current.body.notebook.content.cells[0].source).toBe('SELECT 2');

    const benRetries = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token, body: { version: 2, content: doc('EVE check', 'SELECT 3'), name: 'EVE check (ben)' } });
    expect(benRetries.status).toBe(200);
    expect(benRetries.body.notebook.version).toBe(3);
    expect(benRetries.body.notebook.name).toBe('EVE check (ben)');

    const versions = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`, { token: anna.token });
    expect(versions.body.versions.map((v: { version: number; savedBy: string }) => [v.version, v.savedBy])).toEqual([[3, 'ben'], [2, 'anna'], [1, 'anna']]);

    // Every version is an immutable file on disk with exactly what was saved.
    const dir = join(t.dataDir, 'workspaces', anna.id, wid, 'notebooks', nid);
    const sources = [1, 2, 3].map((v) => {
      const parsed = parseNotebookText(readFileSync(join(dir, `v${v}.md`), 'utf8'));
      return parsed.ok ? parsed.document.cells[0]?.source : parsed.reason;
    });
    expect(sources).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
    expect(existsSync(join(dir, 'v4.md'))).toBe(false);
  });

  it('a version saved as a v1 JSON file by an older ALMReady reads by migration; the next save is a Markdown file', async () => {
    const nid = (await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'Legacy', content: doc('Legacy', 'SELECT 1') } })).body.notebook.id;
    await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: anna.token, body: { version: 1, content: doc('Legacy', 'SELECT 2') } });
    const dir = join(t.dataDir, 'workspaces', anna.id, wid, 'notebooks', nid);
    // v2 was never read yet, so nothing is cached: swap its file for what the JSON format wrote
    rmSync(join(dir, 'v2.md'));
    const legacy = { format: 'almready-notebook', version: 1, title: 'Legacy', cells: [{ id: 'c1', kind: 'sql', source: 'SELECT 2', name: 'q' }, { id: 'g', kind: 'grid', source: 'q' }] };
    writeFileSync(join(dir, 'v2.json'), JSON.stringify(legacy, null, 2));
    const read = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token });
    expect(read.status).toBe(200);
    expect(read.body.notebook.content).toEqual({ format: 'almready-notebook', version: 2, title: 'Legacy', cells: [{ id: 'c1', kind: 'sql', source: 'SELECT 2', name: 'q' }, { id: 'g', kind: 'grid', source: '{"data":"q"}' }] });
    const saved = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token, body: { version: 2, content: read.body.notebook.content } });
    expect(saved.status).toBe(200);
    expect(readFileSync(join(dir, 'v3.md'), 'utf8')).toBe('---\nformat: almready-notebook\nversion: 2\ntitle: Legacy\n---\n\n```sql id=c1 name=q\nSELECT 2\n```\n\n```grid id=g\n{"data":"q"}\n```\n');
    expect(existsSync(join(dir, 'v3.json'))).toBe(false);
  });

  it('a notebook larger than the 1 MB JSON limit of other routes saves and reads back whole', async () => {
    // three cells of 900,000 characters: within the format's 1,000,000-per-cell bound, ~2.7 MB of JSON
    const big = 'x'.repeat(900_000);
    const content = { ...doc('Big', big), cells: ['a', 'b', 'c'].map((id) => ({ id, kind: 'markdown', source: big })) };
    const created = await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'Big', content } });
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    const read = await t.request('GET', `/api/workspaces/${wid}/notebooks/${created.body.notebook.id}`, { token: anna.token });
    expect(read.body.notebook.content.cells.map((c: { source: string }) => c.source.length)).toEqual([900_000, 900_000, 900_000]);
    // other routes keep the 1 MB limit
    const tooBig = await t.request('POST', '/api/workspaces', { token: anna.token, body: { name: 'W', description: 'y'.repeat(1_100_000) } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
  });

  it('concurrent saves from the same version: exactly one wins', async () => {
    const nid = (await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'Race' } })).body.notebook.id;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: i % 2 ? ben.token : anna.token, body: { version: 1, content: doc('Race', `SELECT ${i}`) } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const versions = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`, { token: anna.token });
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('viewers see only published notebooks, frozen at the published version', async () => {
    const nid = (await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'Report', content: doc('Report', 'SELECT 10') } })).body.notebook.id;
    expect((await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: vera.token })).status).toBe(404);
    const published = await t.request('POST', `/api/workspaces/${wid}/notebooks/${nid}/publish`, { token: anna.token });
    expect(published.body.notebook.publishedVersion).toBe(1);
    await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: anna.token, body: { version: 1, content: doc('Report', 'SELECT 11') } });
    const seen = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: vera.token });
    expect(seen.status).toBe(200);
    expect(seen.body.notebook.version).toBe(1);
    expect(seen.body.notebook.content.cells[0].source).toBe('SELECT 10');
    const list = await t.request('GET', `/api/workspaces/${wid}/notebooks`, { token: vera.token });
    expect(list.body.notebooks.map((n: { name: string }) => n.name)).toEqual(['Report']);
    const editorList = await t.request('GET', `/api/workspaces/${wid}/notebooks`, { token: ben.token });
    expect(editorList.body.notebooks.length).toBeGreaterThanOrEqual(3);
    // Explore members read every notebook at its current version, but cannot save.
    const explorerView = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: erik.token });
    expect(explorerView.body.notebook.version).toBe(2);
    expect(explorerView.body.notebook.content.cells[0].source).toBe('SELECT 11');
    const explorerList = await t.request('GET', `/api/workspaces/${wid}/notebooks`, { token: erik.token });
    expect(explorerList.body.notebooks.map((n: { name: string }) => n.name).sort()).toEqual(editorList.body.notebooks.map((n: { name: string }) => n.name).sort());
    const explorerSave = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: erik.token, body: { version: 2, content: doc('Report', 'SELECT 12') } });
    expect(explorerSave.status).toBe(403);
  });
});

describe('breach: a view member reading draft metadata', () => {
  it('list and GET show the published version\'s name, time and author, never the draft\'s', async () => {
    const created = await t.request('POST', `/api/workspaces/${wid}/notebooks`, { token: anna.token, body: { name: 'Q2 board pack', content: doc('Q2', 'SELECT 1') } });
    const nid = created.body.notebook.id;
    await t.request('POST', `/api/workspaces/${wid}/notebooks/${nid}/publish`, { token: anna.token });
    const v1 = (await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`, { token: anna.token })).body.versions.find((v: { version: number }) => v.version === 1);
    await new Promise((r) => setTimeout(r, 5));
    const draft = await t.request('PUT', `/api/workspaces/${wid}/notebooks/${nid}`, { token: ben.token, body: { version: 1, content: doc('Q2', 'SELECT 2'), name: 'DRAFT layoffs plan' } });
    expect(draft.status).toBe(200);
    expect(draft.body.notebook.updatedBy).toBe('ben');

    const attempts = [
      await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: vera.token }),
      await t.request('GET', `/api/workspaces/${wid}/notebooks`, { token: vera.token }),
    ];
    const one = attempts[0]!.body.notebook;
    const listed = attempts[1]!.body.notebooks.find((n: { id: string }) => n.id === nid);
    for (const seen of [one, listed]) {
      expect(seen).toMatchObject({ name: 'Q2 board pack', version: 1, publishedVersion: 1, updatedBy: 'anna', updatedAt: v1.savedAt });
    }
    for (const res of attempts) {
      expect(JSON.stringify(res.body)).not.toContain('DRAFT');
      expect(JSON.stringify(res.body)).not.toContain('ben');
      expect(JSON.stringify(res.body)).not.toContain(draft.body.notebook.updatedAt);
    }
    // members who may read drafts still see them
    const explorer = await t.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { token: erik.token });
    expect(explorer.body.notebook).toMatchObject({ name: 'DRAFT layoffs plan', version: 2, updatedBy: 'ben' });
  });
});
