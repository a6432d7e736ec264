/**
 * The notebook screen in a real browser against the real server (demo data): an editor opens a
 * notebook of sql + ts (alm.run) + markdown + chart cells, runs it all and reads the results —
 * cell states reach done, the grid shows the server's row count and first row, the metric and the
 * Markdown figure are the run's ΔEVE (the engine's EVE table through the API); a TypeScript type
 * error is a marker at its line; Shift+Enter runs a cell. Then a `view` member opens the published
 * notebook as a report: the same figures, no source code, no edit control.
 * Needs Debian's chromium; builds frontend/dist when stale; screenshots in .tmp/e2e-notebook-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, SHOTS, ensureSpaBuilt, launchChromium } from './browser.ts';
import { eveTableSchema, notebookOutputsAnswerSchema } from '@almready/contracts';
import { cellOutputSchema, type NotebookDocument } from '@almready/notebooks';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { formatValue } from '../frontend/src/notebooks/cells/valueFormat.ts';

const EDITOR = { username: 'nb-editor', password: 'nb-editor-password-1' };
const VIEWER = { username: 'nb-viewer', password: 'nb-viewer-password-1' };
const count = new Intl.NumberFormat('en-GB');

const SQL = 'SELECT currency, count(*) AS n, sum(notional) AS notional\nFROM positions\nGROUP BY currency\nORDER BY currency';
const QUANT = [
  'const r = alm.run({ scenarios: ["parallel_up"] });',
  'export const delta_up: number = r.eve.parallel_up.delta;',
  'export const runId: string = r.runId;',
  'alm.metric("ΔEVE parallel up", delta_up, "money");',
].join('\n');
const DOCUMENT: NotebookDocument = {
  format: 'almready-notebook', version: 2, title: 'Browser notebook',
  cells: [
    { id: 'intro', kind: 'markdown', source: '# Rate risk\nΔEVE under a parallel rise: **${delta_up:money}**.' },
    { id: 'bycur', kind: 'sql', name: 'by_currency', source: SQL },
    { id: 'quant', kind: 'ts', name: 'quant', source: QUANT },
    { id: 'chart', kind: 'chart', source: '{"data": "by_currency", "type": "bar", "x": "currency", "y": "notional", "title": "Notional by currency"}' },
    { id: 'scratch', kind: 'ts', name: 'scratch', source: 'export const ok = 1;' },
    { id: 'big', kind: 'sql', name: 'big', source: 'SELECT i, i % 7 AS k FROM range(1000000) t(i)' },
  ],
};

let server: TestServer;
let browser: Browser;
let page: Page;
let cookie = '';
let wid = '';
let nid = '';

async function outputs(version?: number) {
  const res = await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/outputs${version ? `?version=${version}` : ''}`, { cookie });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const answer = notebookOutputsAnswerSchema.parse(res.body);
  return Object.fromEntries(answer.cells.map((c) => [c.cellId, c.output === null ? null : cellOutputSchema.parse(c.output)]));
}

const cell = (id: string) => page.locator(`li.cell[data-cell-id="${id}"]`);
const status = (id: string) => cell(id).getByTestId('cell-status').getAttribute('data-status', { timeout: 2_000 });

beforeAll(async () => {
  await ensureSpaBuilt();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ demo: true, env: { staticDir: DIST } });
  const admin = await server.login(server.admin.username, server.admin.password);
  await server.createUser(EDITOR.username, EDITOR.password);
  await server.createUser(VIEWER.username, VIEWER.password);
  const list = await server.request('GET', '/api/workspaces', { cookie: admin.cookie });
  const demo = (list.body.workspaces as { id: string; name: string }[]).find((w) => /demo/i.test(w.name)) ?? list.body.workspaces[0];
  wid = demo.id;
  for (const [user, role] of [[EDITOR.username, 'edit'], [VIEWER.username, 'view']] as const) {
    expect((await server.request('PUT', `/api/workspaces/${wid}/members/${user}`, { cookie: admin.cookie, body: { role } })).status).toBe(200);
  }
  cookie = (await server.login(EDITOR.username, EDITOR.password)).cookie;
  const created = await server.request('POST', `/api/workspaces/${wid}/notebooks`, { cookie, body: { name: 'Browser notebook', content: DOCUMENT } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  nid = created.body.notebook.id;

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function logIn(target: Page, who: { username: string; password: string }) {
  await target.goto(server.url);
  await target.getByLabel('Username').fill(who.username);
  await target.getByLabel('Password').fill(who.password);
  await target.getByRole('button', { name: 'Log in' }).click();
  await target.getByRole('heading', { name: 'Workspaces' }).waitFor();
  await target.goto(`${server.url}/w/${wid}/notebooks/${nid}`);
}

describe('the notebook in a browser', () => {
  it('runs all cells: states reach done, the grid shows the server\'s rows, the figures are the run\'s', async () => {
    await logIn(page, EDITOR);
    await cell('bycur').waitFor();
    expect(await status('bycur')).toBe('idle');
    await page.getByRole('button', { name: 'Run all' }).click();
    for (const id of ['intro', 'bycur', 'quant', 'chart', 'scratch', 'big']) {
      await expect.poll(() => status(id), { timeout: 45_000, message: `cell ${id}` }).toBe('done');
    }
    const out = await outputs();
    const sql = out.bycur!;
    const quant = out.quant!;
    if (sql.kind !== 'sql' || quant.kind !== 'ts') throw new Error('unexpected output kinds');
    // the grid: the server's row count and first row, formatted as the grid formats them
    await expect.poll(() => cell('bycur').getByTestId('grid-row-count').textContent()).toBe(`${count.format(sql.table.rowCount)} rows`);
    const first = sql.table.firstPage[0]!;
    const cellText = (col: string) => cell('bycur').locator(`.ag-row[row-index="0"] [col-id="${col}"]`).textContent({ timeout: 5_000 });
    await expect.poll(() => cellText('currency')).toBe(String(first.currency));
    expect(await cellText('notional')).toBe(formatValue(first.notional, 'money'));
    // Export CSV: every row from the server's pages, numbers bare
    const [csv] = await Promise.all([page.waitForEvent('download'), cell('bycur').getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('by_currency.csv');
    const lines = readFileSync((await csv.path())!, 'utf8').split('\r\n').filter(Boolean);
    expect(lines).toEqual(['currency,n,notional', ...sql.table.firstPage.map((r) => [r.currency, r.n, Number(Number(r.notional).toPrecision(15))].join(','))]);
    // the metric and the Markdown figure are the engine's ΔEVE for parallel_up
    const delta = quant.values.delta_up as number;
    const eve = eveTableSchema.parse((await server.request('GET', `/api/workspaces/${wid}/runs/${quant.values.runId}/results/eve`, { cookie })).body).rows;
    expect(eve.find((r) => r.scenario === 'parallel_up')!.delta_eve).toBe(delta);
    expect(Math.abs(delta)).toBeGreaterThan(1000);
    expect(await cell('quant').getByTestId('metric-value').textContent()).toBe(formatValue(delta, 'money'));
    expect(await cell('intro').locator('.nb-value').textContent()).toBe(formatValue(delta, 'money'));
    await cell('chart').locator('canvas').first().waitFor();
    await page.waitForTimeout(400); // the chart's first animation frame
    await page.screenshot({ path: resolve(SHOTS, 'e2e-notebook-run.png'), fullPage: true });
  });

  it('scrolls a million-row result without loading it, and sorts it on the server', async () => {
    const grid = cell('big');
    await expect.poll(() => grid.getByTestId('grid-row-count').textContent()).toBe('1,000,000 rows');
    const pages: string[] = [];
    const onRequest = (r: { url: () => string }) => { if (r.url().includes('/outputs/big/page')) pages.push(r.url()); };
    page.on('request', onRequest);
    const at = (index: number) => grid.locator(`.ag-row[row-index="${index}"] [col-id="i"]`);
    // halfway down: the rows there come from one page request, never the million before them
    await grid.locator('.ag-body-vertical-scroll-viewport').evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    const maxIndex = () => grid.locator('.ag-row[row-index]').evaluateAll((rows) => Math.max(...rows.map((r) => Number(r.getAttribute('row-index')))));
    await expect.poll(maxIndex, { timeout: 10_000 }).toBeGreaterThan(400_000);
    const middle = await maxIndex();
    await expect.poll(() => at(middle).textContent({ timeout: 5_000 })).toBe(formatValue(middle, undefined));
    const asked = pages.map((u) => new URL(u)).map((u) => Number(u.searchParams.get('endRow')) - Number(u.searchParams.get('startRow')));
    expect(asked.length).toBeGreaterThan(0);
    expect(Math.max(...asked)).toBeLessThanOrEqual(100);
    // sorted descending on the server: the first row is the largest i
    await grid.locator('.ag-body-vertical-scroll-viewport').evaluate((el) => { el.scrollTop = 0; });
    const header = grid.locator('.ag-header-cell[col-id="i"] .ag-header-cell-label');
    await header.click();
    await expect.poll(() => at(0).textContent({ timeout: 5_000 })).toBe('0');
    const started = Date.now();
    await header.click();
    await expect.poll(() => at(0).textContent({ timeout: 5_000 }), { interval: 20 }).toBe(formatValue(999_999, undefined));
    const sortMs = Date.now() - started;
    console.log(`1,000,000-row grid: sorted descending on the server, click to first row in ${sortMs} ms (polling interval 20 ms)`);
    expect(pages.some((u) => new URL(u).searchParams.get('sortModel') === '[{"colId":"i","sort":"desc"}]')).toBe(true);
    page.off('request', onRequest);
  });

  it('marks a TypeScript type error at its line, then Shift+Enter runs the fixed cell', async () => {
    const editor = cell('scratch').locator('.monaco-editor .view-lines');
    await editor.click();
    await page.keyboard.press('Control+A');
    // line 1 reads another cell's export (declared from its output: no error); line 2 is the type error
    await page.keyboard.insertText('const base: number = delta_up;\nexport const bad: number = "not a number";');
    const problems = cell('scratch').getByTestId('cell-problems');
    await expect.poll(() => problems.textContent(), { timeout: 30_000 }).toBe("Line 2, column 14: Type 'string' is not assignable to type 'number'.");
    expect(await cell('scratch').locator('.squiggly-error').count()).toBeGreaterThan(0);
    expect(await status('scratch')).toBe('stale');
    await page.screenshot({ path: resolve(SHOTS, 'e2e-notebook-type-error.png'), fullPage: true });

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('export const doubled: number = delta_up * 2;');
    await expect.poll(async () => problems.count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByRole('button', { name: 'Run all' }).isEnabled()).toBe(true); // no execution left running
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => status('scratch'), { timeout: 30_000 }).toBe('done');
    // the key press ran this cell: the last editor on the page (the million-row cell) did not answer it instead
    expect(await cell('big').getByTestId('cell-status').textContent()).not.toBe('done · from cache');
    const out = await outputs();
    const scratch = out.scratch!;
    const quant = out.quant!;
    if (scratch.kind !== 'ts' || quant.kind !== 'ts') throw new Error('unexpected output kinds');
    expect(scratch.values.doubled).toBe((quant.values.delta_up as number) * 2);
    await expect.poll(() => cell('scratch').locator('dd[data-name="doubled"]').textContent()).toBe(formatValue(scratch.values.doubled, undefined));
    // the untouched cells were not recomputed: their stored outputs stand
    expect(await status('bycur')).toBe('done');
  });

  it('a view member reads the published report: same figures, no code, no edit control', async () => {
    const published = await server.request('POST', `/api/workspaces/${wid}/notebooks/${nid}/publish`, { cookie });
    expect(published.status).toBe(200);
    const version = published.body.notebook.version as number;
    const out = await outputs(version);
    const quant = out.quant!;
    const sql = out.bycur!;
    if (quant.kind !== 'ts' || sql.kind !== 'sql') throw new Error('unexpected output kinds');

    const viewer = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    const scripts: string[] = [];
    viewer.on('request', (r) => { if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname); });
    await logIn(viewer, VIEWER);
    const report = viewer.getByTestId('report');
    await report.waitFor();
    await expect.poll(() => report.getByTestId('metric-value').first().textContent(), { timeout: 15_000 }).toBe(formatValue(quant.values.delta_up, 'money'));
    await expect.poll(() => report.getByTestId('grid-row-count').first().textContent()).toBe(`${count.format(sql.table.rowCount)} rows`);
    expect(await report.locator('.nb-value').first().textContent()).toBe(formatValue(quant.values.delta_up, 'money'));
    expect(await viewer.getByTestId('report-version').textContent()).toBe(`published version ${version}`);
    const publication = published.body.publication as { engineVersion: string; datasetName: string; datasetAsOf: string; publishedBy: string };
    expect(await viewer.getByTestId('report-footer').textContent()).toMatch(new RegExp(`^Version ${version} · published \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} by ${EDITOR.username} · dataset ${publication.datasetName} \\(as of ${publication.datasetAsOf}\\) · engine ${publication.engineVersion.replace(/\./g, '\\.')} · ran \\d{4}-\\d{2}-\\d{2}`));
    const text = (await viewer.locator('body').textContent()) ?? '';
    for (const code of ['SELECT currency', 'alm.run', 'export const', '"type": "bar"']) expect(text, code).not.toContain(code);
    expect(await viewer.locator('.monaco-editor').count()).toBe(0);
    // a report reader never downloads the code editor (Monaco and its TypeScript service)
    expect(scripts.filter((u) => /editor\.api|tsMode|ts\.worker|editor\.worker/.test(u)), scripts.join(' ')).toEqual([]);
    for (const control of ['Run all', 'Save', 'Publish this version', 'Add cell', 'Delete']) expect(await viewer.getByRole('button', { name: control }).count(), control).toBe(0);
    // opening the report again: from navigation to its first figure on screen (the app's files cached)
    const opened = Date.now();
    await viewer.reload();
    await viewer.getByTestId('metric-value').first().waitFor();
    console.log(`report with stored outputs: reload to first rendered output in ${Date.now() - opened} ms`);
    await report.locator('canvas').first().waitFor();
    await viewer.waitForTimeout(400);
    await viewer.screenshot({ path: resolve(SHOTS, 'e2e-notebook-report.png'), fullPage: true });
    // Export HTML: the publication's self-contained file, with the figure and without the code
    const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('link', { name: 'Export HTML' }).click()]);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(formatValue(quant.values.delta_up, 'money'));
    for (const code of ['SELECT currency', 'alm.run']) expect(html, code).not.toContain(code);
    await viewer.close();
  });

  it('shows DuckDB\'s message under a failing SQL cell, blocks what reads it, and cancels a running engine cell', async () => {
    const editor = cell('bycur').locator('.monaco-editor .view-lines');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('SELECT currency\nFORM positions GROUP BY currency');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => status('bycur'), { timeout: 30_000 }).toBe('failed');
    expect(await cell('bycur').getByTestId('cell-error').textContent()).toMatch(/syntax error at or near "positions"/i);
    // the chart reads by_currency: it is blocked, and says by which cell
    await expect.poll(() => cell('chart').getByTestId('cell-status').textContent(), { timeout: 10_000 }).toBe('blocked by by_currency');
    await page.screenshot({ path: resolve(SHOTS, 'e2e-notebook-sql-error.png'), fullPage: true });

    // a new engine run (another scenario), cancelled while it runs
    const quant = cell('quant').locator('.monaco-editor .view-lines');
    await quant.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(QUANT.replace('["parallel_up"]', '["parallel_up", "steepener", "flattener"]'));
    await cell('quant').getByRole('button', { name: 'Run quant' }).click();
    await expect.poll(() => status('quant'), { timeout: 20_000 }).toBe('running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status('quant'), { timeout: 20_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Run all' }).isEnabled()).toBe(true);
  });

  it('an input cell is a form control: changing it re-runs what reads it with the new value', async () => {
    const content: NotebookDocument = {
      format: 'almready-notebook', version: 2, title: 'Inputs',
      cells: [
        { id: 'in1', kind: 'input', name: 'shock_bp', source: '{"type": "number", "label": "Shock (bp)", "default": 100, "min": 0, "max": 500}' },
        { id: 'use', kind: 'ts', name: 'use', source: 'export const twice: number = shock_bp * 2;' },
      ],
    };
    const created = await server.request('POST', `/api/workspaces/${wid}/notebooks`, { cookie, body: { name: 'Inputs', content } });
    expect(created.status).toBe(201);
    await page.goto(`${server.url}/w/${wid}/notebooks/${created.body.notebook.id}`);
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => status('use'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => cell('use').locator('dd[data-name="twice"]').textContent()).toBe('200');
    const input = page.getByLabel('Shock (bp)');
    await input.fill('600');
    await input.press('Enter');
    await expect.poll(() => cell('in1').getByRole('status').textContent()).toBe('600 is outside [0, 500]');
    await input.fill('150');
    await input.press('Enter');
    await expect.poll(() => cell('use').locator('dd[data-name="twice"]').textContent(), { timeout: 20_000 }).toBe('300');
    expect(await status('use')).toBe('done');
    // the document still holds the default: an input value is a parameter of the run, never saved
    const saved = await server.request('GET', `/api/workspaces/${wid}/notebooks/${created.body.notebook.id}`, { cookie });
    expect(saved.body.notebook.version).toBe(1);
  });
});
