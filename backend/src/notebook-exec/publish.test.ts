/**
 * Publishing against the real server and the workspace's own host (DuckDB, the QuickJS sandbox,
 * the engine through the run service): roles, the frozen publication (dataset hash, engine,
 * inputs, output keys), the report a view member reads (no SQL or ts source), the HTML export
 * (nothing external, the outputs' figures, byte-identical twice), a failing cell refused with
 * nothing recorded, and reproducibility: the published version re-run on the same dataset after
 * the cached outputs are cleared gives every number exactly again.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationSchema, publicationsAnswerSchema, reportAnswerSchema } from '@almready/contracts';
import { ENGINE_VERSION } from '@almready/engine';
import { executionEventSchema, externalReferences, reportSchema, type ExecutionEvent, type Report } from '@almready/notebooks';
import { readPublicationSnapshot } from '../notebook-store/publications.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { createTeam, uploadDataset, type Team } from '../workspaces/test-fixtures.ts';

const BY_CCY = 'SELECT currency, count(*)::INTEGER AS n, sum(notional) AS notional FROM positions GROUP BY currency ORDER BY currency -- sql-source-marker';
const TOTALS = [
  '// ts-source-marker',
  'const rows = by_ccy.rows(100);',
  'export const eur_count = rows.filter((r: any) => r.currency === "EUR").reduce((s: number, r: any) => s + r.n, 0);',
  'export const total_notional = rows.reduce((s: number, r: any) => s + r.notional, 0);',
  'alm.metric("Positions", rows.reduce((s: number, r: any) => s + r.n, 0), "int");',
].join('\n');
const QUANT = [
  'const r = alm.run({ scenarios: ["parallel_up", "parallel_down"] }) as any;',
  'export const delta_up = r.eve.parallel_up.delta;',
  'export const delta_down = r.eve.parallel_down.delta;',
  'export const scaled = delta_up * factor;',
].join('\n');
const cells = (sql = BY_CCY) => [
  { id: 'intro', kind: 'markdown', source: '# Book\nEUR positions: ${eur_count}. Notional ${total_notional:money}. ΔEVE up ${delta_up:money}.' },
  { id: 'factor', kind: 'input', name: 'factor', source: JSON.stringify({ type: 'number', label: 'Scale factor', default: 2 }) },
  { id: 'by_ccy', kind: 'sql', name: 'by_ccy', source: sql },
  { id: 'totals', kind: 'ts', name: 'totals', source: TOTALS },
  { id: 'quant', kind: 'ts', name: 'quant', source: QUANT },
  { id: 'ccy_chart', kind: 'chart', source: JSON.stringify({ data: 'by_ccy', type: 'bar', x: 'currency', y: 'notional', formats: { notional: 'money' } }) },
  { id: 'ccy_grid', kind: 'grid', source: JSON.stringify({ data: 'by_ccy', formats: { notional: 'money' } }) },
];
const content = (sql?: string) => ({ format: 'almready-notebook', version: 2, title: 'Book report', cells: cells(sql) });

let t: TestServer;
let team: Team;
let nid: string;
let did: string;
let dir: string;
let expected: { currency: string; n: number; notional: number }[];

const base = () => `/api/workspaces/${team.wid}/notebooks/${nid}`;

async function execute(body: Record<string, unknown>): Promise<ExecutionEvent[]> {
  const res = await t.request('POST', `${base()}/executions`, { token: team.explore.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const stream = await t.request('GET', `${base()}/executions/${res.body.executionId}/events`, { token: team.explore.token });
  return String(stream.body).split('\n\n').filter((b) => b.includes('data: ')).map((b) => executionEventSchema.parse(JSON.parse(b.slice(b.indexOf('data: ') + 6))));
}

const publicationCount = () => t.deps.db.prepare('SELECT count(*) FROM notebook_publications WHERE notebook_id = ?').pluck().get(nid) as number;
/** Run tables are named by their run: a recomputation makes a new run with equal figures. */
const withoutRunIds = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/runs\/[0-9a-f-]{36}\//g, 'runs/<run>/'));

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  did = await uploadDataset(t, team.owner.token, team.wid, 150);
  const sql = await t.request('POST', `/api/workspaces/${team.wid}/sql`, { token: team.explore.token, body: { datasetId: did, sql: BY_CCY } });
  expect(sql.status, JSON.stringify(sql.body)).toBe(200);
  expected = sql.body.rows;
  expect(expected.length).toBeGreaterThan(1);
  const nb = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: 'Book report', content: content() } });
  expect(nb.status, JSON.stringify(nb.body)).toBe(201);
  nid = nb.body.notebook.id;
  const ownerId = t.deps.db.prepare('SELECT owner_id FROM workspaces WHERE id = ?').pluck().get(team.wid) as string;
  dir = workspaceDir(t.dataDir, ownerId, team.wid);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('publishing', () => {
  it('explore and view may not publish (403), a stranger is told nothing (404); nothing is recorded', async () => {
    for (const [who, status] of [[team.explore, 403], [team.view, 403], [team.stranger, 404]] as const) {
      const res = await t.request('POST', `${base()}/publish`, { token: who.token, body: { datasetId: did } });
      expect(res.status, who.username).toBe(status);
    }
    expect(publicationCount()).toBe(0);
    expect(t.deps.db.prepare('SELECT count(*) FROM notebook_executions').pluck().get()).toBe(0);
    for (const path of ['/publications', '/report', '/report.html']) {
      const res = await t.request('GET', `${base()}${path}`, { token: team.stranger.token });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // nothing published yet: the report is "not found" for its own members too, in words
    const none = await t.request('GET', `${base()}/report`, { token: team.view.token });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toContain('no publication yet');
  });

  let publication: ReturnType<typeof publicationSchema.parse>;

  it('an editor publishes: the version runs on the dataset and is frozen with its hash, engine, inputs and output keys', async () => {
    const res = await t.request('POST', `${base()}/publish`, { token: team.edit.token, body: { datasetId: did } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    publication = publicationSchema.parse(res.body.publication);
    const dataset = (await t.request('GET', `/api/workspaces/${team.wid}/datasets/${did}`, { token: team.explore.token })).body.dataset;
    expect(publication).toMatchObject({
      notebookId: nid, version: 1, name: 'Book report', datasetId: did, datasetName: dataset.name, datasetAsOf: dataset.asOf,
      datasetHash: dataset.contentHash, engineVersion: ENGINE_VERSION, parameters: { factor: 2 }, publishedBy: team.edit.username, latest: true,
    });
    expect(publication.datasetHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(res.body.notebook).toMatchObject({ id: nid, publishedVersion: 1, published: true });
    // the keys recorded are those the outputs route finds for that version, dataset and inputs
    const outputs = await t.request('GET', `${base()}/outputs?version=1&datasetId=${did}`, { token: team.explore.token });
    expect(publication.cells.map((c) => [c.cellId, c.cacheKey])).toEqual(outputs.body.cells.map((c: { cellId: string; cacheKey: string }) => [c.cellId, c.cacheKey]));
    expect(publication.cells.every((c) => /^[0-9a-f]{64}$/.test(c.cacheKey))).toBe(true);
    expect(publication.cells.find((c) => c.cellId === 'by_ccy')?.tables).toEqual([`notebook-results/${publication.cells.find((c) => c.cellId === 'by_ccy')!.cacheKey}.parquet`]);
    const pinned = t.deps.db.prepare('SELECT count(*) FROM notebook_publication_outputs WHERE publication_id = ?').pluck().get(publication.id);
    expect(pinned).toBe(7);
    const audit = t.deps.db.prepare("SELECT detail_json FROM audit_events WHERE action = 'notebook.publish' ORDER BY id DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(audit)).toMatchObject({ notebookId: nid, version: 1, publicationId: publication.id, datasetHash: dataset.contentHash });
  }, 120_000);

  it('a view member reads the report: figures, tables, charts and inputs, and no SQL or ts source', async () => {
    const res = await t.request('GET', `${base()}/report`, { token: team.view.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const answer = reportAnswerSchema.parse(res.body);
    const report: Report = reportSchema.parse(answer.report);
    expect(answer.publication.id).toBe(publication.id);
    const text = JSON.stringify(res.body);
    for (const secret of ['sql-source-marker', 'ts-source-marker', 'GROUP BY', 'alm.run', 'rows.filter']) expect(text).not.toContain(secret);
    const eur = expected.find((r) => r.currency === 'EUR')?.n ?? 0;
    const byCell = new Map(report.cells.map((c) => [c.cellId, c]));
    expect(byCell.get('intro')).toMatchObject({ kind: 'markdown' });
    expect((byCell.get('intro') as { html: string }).html).toContain(`EUR positions: <span class="nb-value">${eur}</span>.`);
    expect(byCell.get('by_ccy')).toMatchObject({ kind: 'sql', table: { name: 'by_ccy', rowCount: expected.length, rows: expected } });
    expect(byCell.get('totals')).toMatchObject({ kind: 'ts', values: [{ name: 'eur_count', value: eur }, { name: 'total_notional' }], metrics: [{ label: 'Positions', value: 150, format: 'int' }] });
    const quant = byCell.get('quant');
    expect(quant?.kind === 'ts' && quant.tables.map((tb) => tb.name)).toEqual(expect.arrayContaining(['quant_eve', 'quant_nii']));
    expect(byCell.get('ccy_chart')).toMatchObject({ kind: 'chart', chart: { spec: { type: 'bar', x: 'currency', y: 'notional' }, rows: expected, rowCount: expected.length } });
    expect(byCell.get('factor')).toMatchObject({ kind: 'input', value: 2, spec: { type: 'number', label: 'Scale factor' } });
    expect(report.meta).toMatchObject({ publicationId: publication.id, version: 1, datasetHash: publication.datasetHash, engineVersion: ENGINE_VERSION, publishedBy: team.edit.username });
    const list = publicationsAnswerSchema.parse((await t.request('GET', `${base()}/publications`, { token: team.view.token })).body);
    expect(list.publications.map((p) => [p.id, p.version, p.publishedBy, p.datasetId, p.engineVersion])).toEqual([[publication.id, 1, team.edit.username, did, ENGINE_VERSION]]);
  }, 60_000);

  it('the HTML export: an attachment, nothing external, the outputs\' figures, byte-identical twice', async () => {
    const first = await t.request('GET', `${base()}/report.html`, { token: team.view.token });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="book-report-v1-${publication.publishedAt.slice(0, 10)}.html"`);
    const html = String(first.body);
    expect(externalReferences(html)).toEqual([]);
    for (const secret of ['sql-source-marker', 'ts-source-marker', 'GROUP BY']) expect(html).not.toContain(secret);
    const eur = expected.find((r) => r.currency === 'EUR')?.n ?? 0;
    expect(html).toContain(`EUR positions: <span class="nb-value">${eur}</span>.`);
    expect(html).toContain('<div class="label">Positions</div><div class="value">150</div>');
    const money = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
    for (const row of expected) expect(html).toContain(`<td>${row.currency}</td><td class="num">${row.n}</td><td class="num">${money.format(row.notional)}</td>`);
    expect(html).toContain(`<title>notional: ${money.format(expected[0]!.notional)}</title>`); // a bar of the chart
    expect(html.match(/<svg /g)?.length).toBe(1);
    expect(html).toContain(`content hash <code>${publication.datasetHash}</code>`);
    expect(html).toContain(`Engine ${ENGINE_VERSION}`);
    expect(html).toContain('Book report · version 1');
    const second = await t.request('GET', `${base()}/report.html?publication=${publication.id}`, { token: team.view.token });
    expect(String(second.body)).toBe(html);
  }, 60_000);

  it('reproducible: the published version re-run on the same dataset after clearing every cached output gives every number exactly', async () => {
    const frozen = readPublicationSnapshot(dir, publication.id);
    const reportBefore = (await t.request('GET', `${base()}/report`, { token: team.view.token })).body;
    // first a new execution that finds everything stored
    const cached = await execute({ target: 'notebook', version: 1, datasetId: did });
    expect(cached.filter((e) => e.type === 'done').every((e) => e.type === 'done' && e.fromCache)).toBe(true);
    // then clear the cache: rows, output files and result tables, so every cell really recomputes
    t.deps.db.prepare('DELETE FROM notebook_outputs WHERE workspace_id = ?').run(team.wid);
    rmSync(join(dir, 'outputs'), { recursive: true, force: true });
    for (const f of readdirSync(join(dir, 'notebook-results'))) rmSync(join(dir, 'notebook-results', f), { force: true });
    const runsBefore = t.deps.db.prepare('SELECT count(*) FROM runs WHERE workspace_id = ?').pluck().get(team.wid) as number;
    const events = await execute({ target: 'notebook', version: 1, datasetId: did });
    expect(events.filter((e) => e.type === 'failed'), JSON.stringify(events)).toEqual([]);
    const done = events.filter((e) => e.type === 'done');
    expect(done).toHaveLength(7);
    expect(done.filter((e) => e.type === 'done' && e.fromCache)).toEqual([]);
    expect(t.deps.db.prepare('SELECT count(*) FROM runs WHERE workspace_id = ?').pluck().get(team.wid)).toBe(runsBefore + 1); // the engine really ran again
    const outputs = await t.request('GET', `${base()}/outputs?version=1&datasetId=${did}`, { token: team.explore.token });
    const again = new Map(outputs.body.cells.map((c: { cellId: string; output: unknown }) => [c.cellId, c.output]));
    for (const [cellId, output] of frozen.outputs) expect(withoutRunIds(again.get(cellId)), cellId).toEqual(withoutRunIds(output));
    const quant = frozen.outputs.get('quant');
    expect(quant?.kind === 'ts' && typeof quant.values.delta_up === 'number' && quant.values.delta_up !== 0).toBe(true);
    expect(quant?.kind === 'ts' && quant.values.scaled).toBe(quant?.kind === 'ts' ? (quant.values.delta_up as number) * 2 : NaN);
    // and the publication itself never changed: it reads from its own frozen outputs
    expect((await t.request('GET', `${base()}/report`, { token: team.view.token })).body).toEqual(reportBefore);
  }, 180_000);

  it('a published output whose file breaks keeps its row, and the next run writes it again', async () => {
    const key = publication.cells.find((c) => c.cellId === 'totals')!.cacheKey;
    const file = join(dir, 'outputs', key.slice(0, 2), `${key}.json`);
    expect(existsSync(file)).toBe(true);
    writeFileSync(file, '{"torn');
    const read = await t.request('GET', `${base()}/outputs?version=1&datasetId=${did}`, { token: team.explore.token });
    expect(read.body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output).toBeNull(); // a miss…
    expect(t.deps.db.prepare('SELECT count(*) FROM notebook_outputs WHERE workspace_id = ? AND cache_key = ?').pluck().get(team.wid, key)).toBe(1); // …that keeps its row
    await execute({ target: 'cell', cellId: 'totals', version: 1, datasetId: did });
    const repaired = await t.request('GET', `${base()}/outputs?version=1&datasetId=${did}`, { token: team.explore.token });
    expect(repaired.body.cells.find((c: { cellId: string }) => c.cellId === 'totals').output).toEqual(readPublicationSnapshot(dir, publication.id).outputs.get('totals'));
  }, 60_000);

  it('a failing cell: 422 naming the cell and DuckDB\'s message; nothing recorded, the published version unchanged', async () => {
    const saved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 1, content: content('SELECT no_such_column FROM positions') } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const files = readdirSync(join(dir, 'publications')).sort();
    const res = await t.request('POST', `${base()}/publish`, { token: team.edit.token, body: { datasetId: did } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('publish_failed');
    expect(res.body.error.message).toMatch(/^Version 2 was not published: cell "by_ccy" failed( at line 1)?: .*no_such_column/);
    expect(res.body.error.message).toContain('nothing was recorded');
    const failed = res.body.error.details.cells;
    expect(failed.find((c: { cellId: string }) => c.cellId === 'by_ccy')).toMatchObject({ name: 'by_ccy', status: 'failed', message: expect.stringContaining('no_such_column') });
    expect(failed.map((c: { cellId: string }) => c.cellId)).toEqual(['intro', 'by_ccy', 'totals', 'ccy_chart', 'ccy_grid']); // notebook order; the input and the engine cell (reading no SQL) ran
    expect(failed.map((c: { cellId: string; status: string }) => `${c.cellId}:${c.status}`)).toEqual(expect.arrayContaining(['totals:blocked', 'ccy_chart:blocked', 'intro:blocked']));
    expect(publicationCount()).toBe(1);
    expect(readdirSync(join(dir, 'publications')).sort()).toEqual(files);
    expect(t.deps.db.prepare('SELECT published_version FROM notebooks WHERE id = ?').pluck().get(nid)).toBe(1);
    const report = await t.request('GET', `${base()}/report`, { token: team.view.token });
    expect(report.body.publication.id).toBe(publication.id);
  }, 60_000);

  it('a second publication (other inputs): view members see only the latest; explore reads either', async () => {
    const fixed = await t.request('PUT', base(), { token: team.edit.token, body: { version: 2, content: content() } });
    expect(fixed.status).toBe(200);
    const res = await t.request('POST', `${base()}/publish`, { token: team.edit.token, body: { datasetId: did, parameters: { factor: 3 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const second = publicationSchema.parse(res.body.publication);
    expect(second).toMatchObject({ version: 3, parameters: { factor: 3 }, latest: true });
    const quant = readPublicationSnapshot(dir, second.id).outputs.get('quant');
    const first = readPublicationSnapshot(dir, publication.id).outputs.get('quant');
    expect(quant?.kind === 'ts' && quant.values.scaled).toBe(first?.kind === 'ts' ? (first.values.delta_up as number) * 3 : NaN);
    const viewList = (await t.request('GET', `${base()}/publications`, { token: team.view.token })).body.publications;
    expect(viewList.map((p: { id: string }) => p.id)).toEqual([second.id]);
    const exploreList = (await t.request('GET', `${base()}/publications`, { token: team.explore.token })).body.publications;
    expect(exploreList.map((p: { id: string; latest: boolean }) => [p.id, p.latest])).toEqual([[second.id, true], [publication.id, false]]);
    expect((await t.request('GET', `${base()}/report?publication=${publication.id}`, { token: team.view.token })).status).toBe(404);
    expect((await t.request('GET', `${base()}/report.html?publication=${publication.id}`, { token: team.view.token })).status).toBe(404);
    const old = await t.request('GET', `${base()}/report?publication=${publication.id}`, { token: team.explore.token });
    expect(old.status).toBe(200);
    expect(old.body.report.meta.parameters).toEqual({ factor: 2 });
    expect((await t.request('GET', `${base()}/report?publication=not-an-id`, { token: team.explore.token })).status).toBe(404);
    // the view member's notebook is the published version 3
    expect((await t.request('GET', base(), { token: team.view.token })).body.notebook.version).toBe(3);
  }, 120_000);

  it('deleting the notebook removes its publications and their files', async () => {
    const ids = t.deps.db.prepare('SELECT id FROM notebook_publications WHERE notebook_id = ?').pluck().all(nid) as string[];
    expect(ids).toHaveLength(2);
    expect((await t.request('DELETE', base(), { token: team.edit.token })).status).toBe(204);
    expect(publicationCount()).toBe(0);
    expect(t.deps.db.prepare('SELECT count(*) FROM notebook_publication_outputs WHERE publication_id IN (?, ?)').pluck().get(ids[0], ids[1])).toBe(0);
    for (const id of ids) expect(existsSync(join(dir, 'publications', `${id}.json`))).toBe(false);
  });
});
