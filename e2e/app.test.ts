/**
 * The SPA in a real browser against the real server: log in (a wrong password first), open the
 * demo workspace, page through positions in the Explore grid, filter, start a run and read EVE.
 * Expected numbers come from the same API the SPA calls, so the test checks what the user sees:
 * the run's EVE, ΔEVE, NII and ΔNII on screen are the engine's figures (its result tables, read
 * through the contract schemas), and the outlier badges are the engine's verdicts.
 * Needs Debian's chromium (`apt-get install -y chromium`); builds frontend/dist when missing or older
 * than the SPA sources; screenshots land in .tmp/e2e-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, SHOTS, ensureSpaBuilt, launchChromium } from './browser.ts';
import { eveTableSchema, niiTableSchema, runsAnswerSchema } from '@almready/contracts';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { formatAmount } from '../frontend/src/common/format.ts';
import { syntheticFiles } from '../backend/src/workspaces/test-fixtures.ts';

const ANALYST = { username: 'analyst', password: 'analyst-password-1' };
const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

let server: TestServer;
let browser: Browser;
let page: Page;
let cookie = '';
let workspace: { id: string; name: string };
let dataset: { id: string };
let firstIds: string[] = [];
let total = 0;
let filter = { product: '', rowCount: 0 };
/** Every answer of 400 and above the browser received: a missing favicon or asset must not be among them. */
const failed: { status: number; url: string }[] = [];

async function query(body: Record<string, unknown>): Promise<{ rows: Record<string, unknown>[]; rowCount: number }> {
  const res = await server.request('POST', `/api/workspaces/${workspace.id}/datasets/${dataset.id}/query`, { cookie, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  await ensureSpaBuilt();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ demo: true, env: { staticDir: DIST } });

  // The admin owns the demo workspace and shares it with an analyst, who then uses the browser.
  const admin = await server.login(server.admin.username, server.admin.password);
  await server.createUser(ANALYST.username, ANALYST.password);
  const list = await server.request('GET', '/api/workspaces', { cookie: admin.cookie });
  const demo = (list.body.workspaces as { id: string; name: string }[]).find((w) => /demo/i.test(w.name)) ?? list.body.workspaces[0];
  if (!demo) throw new Error('the server created no demo workspace (startTestServer({ demo: true }))');
  workspace = demo;
  const shared = await server.request('PUT', `/api/workspaces/${demo.id}/members/${ANALYST.username}`, { cookie: admin.cookie, body: { role: 'explore' } });
  expect(shared.status).toBe(200);

  cookie = (await server.login(ANALYST.username, ANALYST.password)).cookie;
  const datasets = await server.request('GET', `/api/workspaces/${demo.id}/datasets`, { cookie });
  const newest = [...datasets.body.datasets].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  if (!newest) throw new Error('the demo workspace has no dataset');
  dataset = newest;
  const page0 = await query({ table: 'positions', startRow: 0, endRow: 100 });
  total = page0.rowCount;
  firstIds = page0.rows.slice(0, 3).map((r) => String(r.position_id));
  // Filter on the product of the first row: fewer rows than the whole table, but some.
  const products = await query({ table: 'positions', startRow: 0, endRow: 100, groupBy: ['product'] });
  const pick = products.rows.map((r) => ({ product: String(r.product), n: Number(r.count) })).filter((p) => p.n < total).sort((a, b) => b.n - a.n)[0];
  if (!pick) throw new Error('the demo positions have a single product: no filter can change the count');
  const filtered = await query({ table: 'positions', startRow: 0, endRow: 100, filterModel: { product: { filterType: 'text', type: 'contains', filter: pick.product } } });
  filter = { product: pick.product, rowCount: filtered.rowCount };

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push({ status: response.status(), url: new URL(response.url()).pathname });
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the SPA in a browser', () => {
  it('shows the server message for a wrong password', async () => {
    const expected = await server.request('POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'not-the-password' } });
    expect(expected.status).toBe(401);
    await page.goto(server.url);
    await page.getByLabel('Username').fill(ANALYST.username);
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(expected.body.error.message);
  });

  it('logs in and lists the demo workspace', async () => {
    await page.getByLabel('Password').fill(ANALYST.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    const link = page.getByRole('link', { name: workspace.name, exact: true });
    await link.waitFor();
    await link.click();
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe(workspace.name);
  });

  it('pages positions in the Explore grid with the row count', async () => {
    await page.getByRole('tab', { name: 'Explore' }).click();
    await expect.poll(() => page.getByTestId('row-count').textContent(), { timeout: 15_000 }).toBe(`${count.format(total)} rows`);
    // DOM order of AG Grid rows is not display order: read them by row index.
    const idAt = (i: number) => page.locator(`.ag-row[row-index="${i}"] [col-id="position_id"]`).textContent({ timeout: 2_000 });
    await expect.poll(async () => Promise.all(firstIds.map((_, i) => idAt(i)))).toEqual(firstIds);
    await page.screenshot({ path: resolve(SHOTS, 'e2e-explore.png') });
  });

  it('filters a column and shows the new count', async () => {
    await page.getByLabel('product Filter Input').fill(filter.product);
    await expect.poll(() => page.getByTestId('row-count').textContent(), { timeout: 10_000 }).toBe(`${count.format(filter.rowCount)} rows`);
    expect(filter.rowCount).toBeLessThan(total);
    const productAt = (i: number) => page.locator(`.ag-row[row-index="${i}"] [col-id="product"]`).textContent({ timeout: 2_000 });
    await expect.poll(async () => (await Promise.all([0, 1, 2].map(productAt))).every((p) => p?.includes(filter.product))).toBe(true);
  });

  it('shows a date filter input whole, not clipped by its cell', async () => {
    const input = page.getByLabel('maturity_date Filter Input');
    // Columns render as they scroll into view: scroll the grid right until the date column is there.
    for (let step = 0; step < 20 && (await input.count()) === 0; step++) {
      await page.locator('.ag-body-horizontal-scroll-viewport').evaluate((el) => { el.scrollLeft += 400; });
      await page.waitForTimeout(100);
    }
    await input.waitFor({ timeout: 5_000 });
    const fit = await input.evaluate((el) => {
      const cell = el.closest('.ag-header-cell')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // The room left for "mm/dd/yyyy" and the picker button once the input's padding is taken.
      const content = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { left: box.left - cell.left, right: cell.right - box.right, content };
    });
    expect(fit.left, JSON.stringify(fit)).toBeGreaterThanOrEqual(0);
    expect(fit.right, JSON.stringify(fit)).toBeGreaterThanOrEqual(0);
    // 67 px when it clipped the year (a search-icon indent of 28 px in a 130 px column).
    expect(fit.content, JSON.stringify(fit)).toBeGreaterThanOrEqual(105);
    await page.screenshot({ path: resolve(SHOTS, 'e2e-date-filter.png') });
  });

  it('reports a SQL typo as a syntax error and clears the previous result', async () => {
    await page.getByRole('tab', { name: 'SQL' }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('sql-summary').waitFor({ timeout: 20_000 });
    const expected = await server.request('POST', `/api/workspaces/${workspace.id}/sql`, { cookie, body: { datasetId: dataset.id, sql: 'selec 1' } });
    expect(expected.status).toBe(400);
    expect(expected.body.error.code).toBe('syntax_error');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('selec 1'); // no key events: Monaco's suggestions cannot rewrite the typo
    await page.getByTestId('sql-stale').waitFor();
    await page.getByRole('button', { name: 'Run' }).click();
    // Monaco keeps its own (empty) role=alert live regions: read the page's error banner.
    await expect.poll(() => page.locator('div.error[role="alert"]').textContent()).toBe(`${expected.body.error.message} (HTTP 400)`);
    expect(await page.getByTestId('sql-summary').count()).toBe(0);
    await page.screenshot({ path: resolve(SHOTS, 'e2e-sql-error.png') });
  });

  it('starts a run and shows EVE by scenario', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByLabel('Tier 1 capital').fill('30000000000');
    // Base and the two parallel shocks keep the run short; the others are the same code path.
    for (const scenario of ['steepener', 'flattener', 'short_up', 'short_down']) await page.getByLabel(scenario, { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Start run' }).click();
    const eve = page.getByTestId('eve-table');
    await eve.waitFor({ timeout: 45_000 });
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('done');
    const scenarios = await eve.locator('tbody tr td:first-child').allTextContents();
    expect(scenarios).toEqual(['base', 'parallel_up', 'parallel_down']);
    const badge = await page.getByTestId('sot-eve').textContent();
    expect(badge).toMatch(/^SOT (passed|breached)/);

    // The engine's answer for the same run: its result tables and its outlier-test verdicts.
    const runs = runsAnswerSchema.parse((await server.request('GET', `/api/workspaces/${workspace.id}/runs`, { cookie })).body).runs;
    const run = runs.find((r) => r.status === 'done')!;
    expect(run.settings.tier1).toBe(30_000_000_000);
    const table = async (name: string) => (await server.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}/results/${name}`, { cookie })).body;
    const eveRows = eveTableSchema.parse(await table('eve')).rows;
    const niiRows = niiTableSchema.parse(await table('nii')).rows;
    const shown = async (testId: string) => (await page.getByTestId(testId).locator('tbody tr').all()).map((row) => row.locator('td').allTextContents());
    const eveShown = await Promise.all(await shown('eve-table'));
    expect(eveShown.map((cells) => cells.slice(0, 3))).toEqual(eveRows.map((r) => [r.scenario, formatAmount(r.eve), r.scenario === 'base' ? '—' : formatAmount(r.delta_eve)]));
    const niiShown = await Promise.all(await shown('nii-table'));
    expect(niiShown.map((cells) => cells.slice(0, 3))).toEqual(niiRows.map((r) => [r.scenario, formatAmount(r.nii), r.scenario === 'base' ? '—' : formatAmount(r.delta_nii)]));
    // Figures of any size: the demo book's EVE is in the millions, so a rounding slip would show.
    expect(Math.abs(eveRows[0]!.eve)).toBeGreaterThan(1e6);
    const tests = run.summary!.outlierTests;
    for (const measure of ['eve', 'nii'] as const) {
      const verdict = await page.getByTestId(`sot-${measure}`).getAttribute('data-verdict');
      expect(verdict, measure).toBe(tests[measure].flagged ? 'flagged' : 'passed');
    }
    expect(await page.getByTestId('sot-nii-scope').textContent()).toContain('counts parallel_up and parallel_down only');
    // Every total says its currency; the demo book's two currencies are shown one by one.
    expect(run.summary!.currencies).toEqual(['EUR', 'USD']);
    expect(await page.getByTestId('totals-currency').textContent()).toContain('EUR + USD, summed without FX conversion');
    const byCurrency = (await table('eve_by_currency')).rows.filter((r: { scenario: string }) => r.scenario === 'base');
    for (const line of byCurrency) {
      const cells = await page.getByTestId('eve-by-currency').locator(`tr[data-currency="${line.currency}"] td`).allTextContents();
      expect(cells.slice(0, 2)).toEqual([line.currency, `${formatAmount(line.eve)} ${line.currency}`]);
    }
    await page.getByRole('img', { name: 'NII monthly profile' }).locator('canvas').first().waitFor();
    // The workbook downloads from the page and holds a sheet per result table.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download workbook (XLSX)' }).click()]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(download.suggestedFilename()).toBe(`run-${run.id.slice(0, 8)}.xlsx`);
    await page.waitForTimeout(500); // let the charts finish their first animation frame
    await page.screenshot({ path: resolve(SHOTS, 'e2e-run.png'), fullPage: true });
  });

  it('after an upload with skipped rows shows the new dataset and lists the skipped rows', async () => {
    // The analyst may not upload in the demo workspace (explore): the admin makes them an editor.
    const admin = await server.login(server.admin.username, server.admin.password);
    expect((await server.request('PUT', `/api/workspaces/${workspace.id}/members/${ANALYST.username}`, { cookie: admin.cookie, body: { role: 'edit' } })).status).toBe(200);
    const files = await syntheticFiles(40);
    const lines = files.positions.toString('utf8').split('\n');
    const notional = lines[0]!.split(',').indexOf('notional');
    expect(notional).toBeGreaterThan(-1);
    for (const i of [2, 5]) {
      const cells = lines[i]!.split(',');
      cells[notional] = 'not-a-number';
      lines[i] = cells.join(',');
    }
    await page.reload();
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Upload dataset' }).click();
    await page.getByLabel('Positions', { exact: true }).setInputFiles({ name: 'book-with-typos.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.getByLabel('Curves', { exact: true }).setInputFiles({ name: 'curves.csv', mimeType: 'text/csv', buffer: files.curves });
    await page.getByLabel('Name', { exact: true }).fill('Book with typos');
    await page.getByLabel('As of').fill('2025-06-30');
    await page.getByLabel(/Skip invalid rows/).check();
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { name: 'Book with typos: totals by side and currency' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('table.datasets tr.selected td').first().textContent()).toBe('Book with typos');
    const notice = page.getByRole('status').filter({ hasText: 'skipped at import' });
    expect(await notice.textContent()).toContain('2 invalid rows skipped at import');
    const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button', { name: 'Download the list (CSV)' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).toBe('file,row,column,value,reason');
    expect(csv.slice(1).map((l) => l.split(',').slice(1, 4))).toEqual([['3', 'notional', 'not-a-number'], ['6', 'notional', 'not-a-number']]);
    await page.screenshot({ path: resolve(SHOTS, 'e2e-upload-skipped.png'), fullPage: true });
  });

  it('got no 404 on the way: the favicon and every asset exist', async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(failed.filter((f) => f.status === 404)).toEqual([]);
  });
});
