/**
 * The SPA in a real browser against the real server: log in (a wrong password first), open the
 * demo workspace, page through positions in the Explore grid, filter, start a run and read EVE.
 * Expected numbers come from the same API the SPA calls, so the test checks what the user sees:
 * the run's EVE, ΔEVE, NII and ΔNII on screen are the engine's figures (its result tables, read
 * through the contract schemas), and the outlier badges are the engine's verdicts.
 * Needs Debian's chromium (`apt-get install -y chromium`); builds frontend/dist when missing or older
 * than the SPA sources; screenshots land in .tmp/e2e-*.png.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eveTableSchema, niiTableSchema, runsAnswerSchema } from '@almready/contracts';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { formatAmount } from '../frontend/src/common/format.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, 'frontend/dist');
const SHOTS = resolve(ROOT, '.tmp');
const CHROMIUM = '/usr/bin/chromium';
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

/** The newest modification time of the SPA's sources, to rebuild a stale dist before testing it. */
function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function distIsStale(): boolean {
  const index = resolve(DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => newestSource(resolve(ROOT, 'frontend', p)));
  return Math.max(...sources) > statSync(index).mtimeMs;
}

async function query(body: Record<string, unknown>): Promise<{ rows: Record<string, unknown>[]; rowCount: number }> {
  const res = await server.request('POST', `/api/workspaces/${workspace.id}/datasets/${dataset.id}/query`, { cookie, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with "apt-get install -y chromium"`);
  if (distIsStale()) {
    const build = spawnSync('npm', ['run', 'build', '-w', 'frontend'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`frontend build failed:\n${build.stdout}\n${build.stderr}`);
  }
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

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
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
    await page.waitForTimeout(500); // let the charts finish their first animation frame
    await page.screenshot({ path: resolve(SHOTS, 'e2e-run.png'), fullPage: true });
  });
});
