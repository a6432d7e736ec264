/**
 * The execution API on the workspace's own host (no test doubles): an SQL cell over an uploaded
 * dataset materialised by DuckDB, a ts cell in the QuickJS sandbox reading it, Markdown
 * interpolating the ts cell's export, pages of the stored result sorted on the server, and a
 * failing SQL cell reporting DuckDB's message at its line. Expected figures come from the
 * server's own `/sql` route over the same dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionEventSchema, type ExecutionEvent } from '@almready/notebooks';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { createTeam, uploadDataset, type Team } from '../workspaces/test-fixtures.ts';

const BY_CCY = 'SELECT currency, count(*)::INTEGER AS n FROM positions GROUP BY currency ORDER BY currency';
const CELLS = [
  { id: 'summary', kind: 'markdown', source: 'EUR positions: ${eur_count}.' },
  { id: 'by_ccy', kind: 'sql', name: 'by_ccy', source: BY_CCY },
  { id: 'totals', kind: 'ts', name: 'totals', source: 'const rows = by_ccy.rows(100);\nexport const eur_count = rows.filter((r: any) => r.currency === "EUR").reduce((s: number, r: any) => s + r.n, 0);\nexport const total = rows.reduce((s: number, r: any) => s + r.n, 0);' },
];

let t: TestServer;
let team: Team;
let nid: string;
let did: string;
let expected: { currency: string; n: number }[];

const base = () => `/api/workspaces/${team.wid}/notebooks/${nid}`;

async function runToEnd(body: Record<string, unknown>) {
  const res = await t.request('POST', `${base()}/executions`, { token: team.explore.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const stream = await t.request('GET', `${base()}/executions/${res.body.executionId}/events`, { token: team.explore.token });
  return String(stream.body).split('\n\n').filter((b) => b.includes('data: ')).map((b) => executionEventSchema.parse(JSON.parse(b.slice(b.indexOf('data: ') + 6)))) as ExecutionEvent[];
}

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  did = await uploadDataset(t, team.owner.token, team.wid, 120);
  const sql = await t.request('POST', `/api/workspaces/${team.wid}/sql`, { token: team.explore.token, body: { datasetId: did, sql: BY_CCY } });
  expect(sql.status, JSON.stringify(sql.body)).toBe(200);
  expected = sql.body.rows;
  expect(expected.length).toBeGreaterThan(1);
  const nb = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: 'By currency', content: { format: 'almready-notebook', version: 2, title: 'By currency', cells: CELLS } } });
  expect(nb.status, JSON.stringify(nb.body)).toBe(201);
  nid = nb.body.notebook.id;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('notebook executions on the workspace host', () => {
  it('runs SQL in DuckDB and ts in the sandbox; the outputs carry the dataset\'s real figures', async () => {
    const events = await runToEnd({ target: 'notebook', datasetId: did });
    const failed = events.filter((e) => e.type === 'failed');
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'execution-finished', status: 'done' });
    const eur = expected.find((r) => r.currency === 'EUR')?.n ?? 0;
    const total = expected.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(120);
    const outputs = await t.request('GET', `${base()}/outputs`, { token: team.explore.token });
    const byCell = Object.fromEntries(outputs.body.cells.map((c: { cellId: string; output: unknown }) => [c.cellId, c.output]));
    expect(byCell.by_ccy).toMatchObject({ kind: 'sql', table: { name: 'by_ccy', rowCount: expected.length, firstPage: expected } });
    expect(byCell.by_ccy.table.id).toMatch(/^notebook-results\/[0-9a-f]{64}\.parquet$/);
    expect(byCell.totals).toMatchObject({ kind: 'ts', values: { eur_count: eur, total } });
    expect(byCell.summary.html).toContain(`EUR positions: <span class="nb-value">${eur.toLocaleString('en-US')}</span>.`);
  }, 120_000);

  it('re-running takes every cell from storage', async () => {
    const events = await runToEnd({ target: 'notebook', datasetId: did });
    const done = events.filter((e) => e.type === 'done');
    expect(done).toHaveLength(3);
    expect(done.every((e) => e.type === 'done' && e.fromCache)).toBe(true);
  }, 60_000);

  it('pages the stored SQL result on the server, sorted as asked; a view member may not before publishing', async () => {
    const sort = encodeURIComponent(JSON.stringify([{ colId: 'n', sort: 'desc' }]));
    const page = await t.request('GET', `${base()}/outputs/by_ccy/page?datasetId=${did}&startRow=0&endRow=2&sortModel=${sort}`, { token: team.explore.token });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const desc = [...expected].sort((a, b) => b.n - a.n || 0);
    expect(page.body.rowCount).toBe(expected.length);
    expect(page.body.rows.map((r: { n: number }) => r.n)).toEqual(desc.slice(0, 2).map((r) => r.n));
    expect((await t.request('GET', `${base()}/outputs/by_ccy/page`, { token: team.view.token })).status).toBe(404);
    const markdown = await t.request('GET', `${base()}/outputs/summary/page`, { token: team.explore.token });
    expect(markdown.status).toBe(404);
    expect(markdown.body.error.message).toContain('has no table result');
  }, 60_000);

  it('a ts cell\'s exported table is stored with its first page and pages on the server by ?table=', async () => {
    const cells = [...CELLS, { id: 'big', kind: 'ts', name: 'big', source: 'export const top = alm.sql`SELECT product, notional FROM positions ORDER BY notional DESC, product`;\nexport const n = top.count();' }];
    const saved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 1, content: { format: 'almready-notebook', version: 2, title: 'By currency', cells } } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const events = await runToEnd({ target: 'cell', cellId: 'big', datasetId: did });
    expect(events.filter((e) => e.type === 'failed'), JSON.stringify(events)).toEqual([]);
    const outputs = await t.request('GET', `${base()}/outputs?datasetId=${did}`, { token: team.explore.token });
    const big = outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'big').output;
    expect(big.values).toEqual({ n: 120 });
    expect(big.tables.top).toMatchObject({ name: 'top', rowCount: 120 });
    expect(big.tables.top.firstPage).toHaveLength(100);
    const page = await t.request('GET', `${base()}/outputs/big/page?datasetId=${did}&table=top&startRow=100&endRow=120`, { token: team.explore.token });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.rows).toHaveLength(20);
    const notionals = [...big.tables.top.firstPage, ...page.body.rows].map((r: { notional: number }) => r.notional);
    expect(notionals).toEqual([...notionals].sort((a, b) => b - a));
    const unnamed = await t.request('GET', `${base()}/outputs/big/page?datasetId=${did}`, { token: team.explore.token });
    expect(unnamed.status).toBe(404);
    expect(unnamed.body.error.message).toContain('?table=');
  }, 60_000);

  it('alm.run in a ts cell: the engine\'s progress streams as the cell\'s running events, its tables become <cell>_eve…', async () => {
    const cells = [...CELLS, { id: 'quant', kind: 'ts', name: 'quant', source: 'const r = alm.run({ scenarios: ["parallel_up"] }) as any;\nexport const runId = r.runId;' }];
    const current = (await t.request('GET', base(), { token: team.edit.token })).body.notebook.version as number;
    expect((await t.request('PUT', base(), { token: team.edit.token, body: { version: current, content: { format: 'almready-notebook', version: 2, title: 'By currency', cells } } })).status).toBe(200);
    const events = await runToEnd({ target: 'cell', cellId: 'quant', datasetId: did });
    expect(events.filter((e) => e.type === 'failed'), JSON.stringify(events.filter((e) => e.type === 'failed'))).toEqual([]);
    const progress = events.filter((e) => e.type === 'running' && e.cellId === 'quant' && e.progress !== undefined).map((e) => (e.type === 'running' ? e.progress!.fraction : -1));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
    const outputs = await t.request('GET', `${base()}/outputs?datasetId=${did}`, { token: team.explore.token });
    const quant = outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'quant').output;
    const run = await t.request('GET', `/api/workspaces/${team.wid}/runs/${quant.values.runId}`, { token: team.explore.token });
    expect(run.body.run.status).toBe('done');
    expect(quant.tables.quant_eve.rowCount).toBeGreaterThan(0);
    const eve = await t.request('GET', `/api/workspaces/${team.wid}/runs/${quant.values.runId}/results/eve`, { token: team.explore.token });
    expect(quant.tables.quant_eve.rowCount).toBe(eve.body.rows.length);
  }, 90_000);

  it('cancel stops a ts cell stuck in a loop inside the sandbox; nothing is stored and the server keeps answering', async () => {
    const looping = [...CELLS, { id: 'spin', kind: 'ts', name: 'spin', source: 'let i = 0;\nwhile (true) { i++; }\nexport const never = i;' }];
    const saved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 3, content: { format: 'almready-notebook', version: 2, title: 'By currency', cells: looping } } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const res = await t.request('POST', `${base()}/executions`, { token: team.explore.token, body: { target: 'cell', cellId: 'spin', datasetId: did } });
    expect(res.status).toBe(202);
    const eid = res.body.executionId as string;
    // read the live stream until the loop is running in the sandbox
    const live = new AbortController();
    const stream = await fetch(`${t.url}${base()}/executions/${eid}/events`, { headers: { authorization: `Bearer ${team.explore.token}` }, signal: live.signal });
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('event: running')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"cellId":"spin"');
    live.abort();
    const started = Date.now();
    const cancelled = await t.request('POST', `${base()}/executions/${eid}/cancel`, { token: team.explore.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.execution.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    const outputs = await t.request('GET', `${base()}/outputs?datasetId=${did}`, { token: team.explore.token });
    expect(outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'spin').output).toBeNull();
    expect(outputs.body.cells.find((c: { cellId: string }) => c.cellId === 'by_ccy').output).toMatchObject({ kind: 'sql' });
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  }, 60_000);

  it('a failing SQL cell reports DuckDB\'s message without paths and blocks what reads it; a syntax error names its line', async () => {
    const broken = CELLS.map((c) => (c.id === 'by_ccy' ? { ...c, source: 'SELECT currency,\n  count(*) AS n\nFROM positions_nope GROUP BY currency' } : c));
    const saved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 4, content: { format: 'almready-notebook', version: 2, title: 'By currency', cells: broken } } });
    expect(saved.status).toBe(200);
    const events = await runToEnd({ target: 'notebook', datasetId: did });
    const failed = events.find((e) => e.type === 'failed');
    expect(failed).toMatchObject({ cellId: 'by_ccy', message: expect.stringContaining('positions_nope') });
    expect(JSON.stringify(failed)).not.toContain(t.dataDir);
    expect(events.find((e) => e.type === 'blocked')).toMatchObject({ cellId: 'totals', ancestor: 'by_ccy' });
    expect(events.at(-1)).toMatchObject({ type: 'execution-finished', status: 'failed' });
    const syntax = CELLS.map((c) => (c.id === 'by_ccy' ? { ...c, source: 'SELECT currency,\n  count(*) AS n\nFROM positions GROUP BY BY currency' } : c));
    const resaved = await t.request('PUT', base(), { token: team.edit.token, body: { version: 5, content: { format: 'almready-notebook', version: 2, title: 'By currency', cells: syntax } } });
    expect(resaved.status).toBe(200);
    const again = await runToEnd({ target: 'notebook', datasetId: did });
    expect(again.filter((e) => e.type === 'failed')).toMatchObject([{ cellId: 'by_ccy', line: 3, column: 25, message: 'line 3, column 25: syntax error at or near "BY"' }]);
  }, 60_000);
});
