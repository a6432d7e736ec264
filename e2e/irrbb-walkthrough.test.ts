/**
 * The walk a new user takes through the shipped IRRBB report, in Chromium against the real server
 * on the demo data: an editor opens the demo workspace's "IRRBB regulatory report", runs it all and
 * reads EVE and ΔEVE from its grid (equal to the engine run's EVE table through the API); edits the
 * ΔEVE-by-bucket SQL cell and sees its grid and its line chart change while an unrelated cell stays
 * "from cache"; changes Tier 1 and cancels the long re-run it starts; publishes. A `view` member
 * reads the report (no code, no edit control, the same numbers), an `explore` member changes Tier 1
 * in report mode and sees ΔEVE / Tier 1 follow, a stranger gets "not found", and the HTML export
 * holds the figures. Screenshots: .tmp/e2e-walk-*.png.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, SHOTS, ensureSpaBuilt, launchChromium } from './browser.ts';
import { eveTableSchema, notebookOutputsAnswerSchema } from '@almready/contracts';
import { cellOutputSchema } from '@almready/notebooks';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { formatValue } from '../frontend/src/notebooks/cells/valueFormat.ts';

const EDITOR = { username: 'walk-editor', password: 'walk-editor-password-1' };
const VIEWER = { username: 'walk-viewer', password: 'walk-viewer-password-1' };
const EXPLORER = { username: 'walk-explorer', password: 'walk-explorer-password-1' };
const STRANGER = { username: 'walk-stranger', password: 'walk-stranger-password-1' };
const SCENARIOS = ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'];

let server: TestServer;
let browser: Browser;
let page: Page;
let cookie = '';
let wid = '';
let nid = '';

/** The viewport only, scrolled to what the step is about: a screenshot a person can read. */
const shot = (target: Page, name: string) => target.screenshot({ path: resolve(SHOTS, `e2e-walk-${name}.png`) });
const cell = (id: string, on: Page = page) => on.locator(`li.cell[data-cell-id="${id}"]`);
const status = (id: string) => cell(id).getByTestId('cell-status').getAttribute('data-status', { timeout: 2_000 });
const statusText = (id: string) => cell(id).getByTestId('cell-status').textContent({ timeout: 2_000 });

async function outputs(version?: number) {
  const res = await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/outputs${version ? `?version=${version}` : ''}`, { cookie });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const answer = notebookOutputsAnswerSchema.parse(res.body);
  return Object.fromEntries(answer.cells.map((c) => [c.cellId, c.output === null ? null : cellOutputSchema.parse(c.output)]));
}

async function tsValues(id: string, version?: number) {
  const out = (await outputs(version))[id];
  if (out?.kind !== 'ts') throw new Error(`cell ${id} has no ts output`);
  return out.values;
}

/** The rows of a SQL cell's stored result, as the server pages them. */
async function sqlRows(id: string) {
  const out = (await outputs())[id];
  if (out?.kind !== 'sql') throw new Error(`cell ${id} has no sql output`);
  return out.table.firstPage;
}

async function logIn(target: Page, who: { username: string; password: string }) {
  await target.goto(server.url);
  await target.getByLabel('Username').fill(who.username);
  await target.getByLabel('Password').fill(who.password);
  await target.getByRole('button', { name: 'Log in' }).click();
  await target.getByRole('heading', { name: 'Workspaces' }).waitFor();
}

beforeAll(async () => {
  await ensureSpaBuilt();
  server = await startTestServer({ demo: true, env: { staticDir: DIST } });
  const admin = await server.login(server.admin.username, server.admin.password);
  for (const who of [EDITOR, VIEWER, EXPLORER, STRANGER]) await server.createUser(who.username, who.password);
  const list = await server.request('GET', '/api/workspaces', { cookie: admin.cookie });
  wid = (list.body.workspaces as { id: string; name: string }[]).find((w) => /demo/i.test(w.name))!.id;
  for (const [user, role] of [[EDITOR.username, 'edit'], [VIEWER.username, 'view'], [EXPLORER.username, 'explore']] as const) {
    expect((await server.request('PUT', `/api/workspaces/${wid}/members/${user}`, { cookie: admin.cookie, body: { role } })).status).toBe(200);
  }
  cookie = (await server.login(EDITOR.username, EDITOR.password)).cookie;
  const notebooks = await server.request('GET', `/api/workspaces/${wid}/notebooks`, { cookie });
  nid = (notebooks.body.notebooks as { id: string; name: string }[]).find((n) => n.name === 'IRRBB regulatory report')!.id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the IRRBB report walk', { timeout: 90_000 }, () => {
  it('an editor runs the shipped report: EVE and ΔEVE in its grid are the engine run\'s', async () => {
    await logIn(page, EDITOR);
    await page.goto(`${server.url}/w/${wid}/notebooks/${nid}`);
    await cell('irrbb').waitFor();
    // the toolbar's labels each on one line (they wrapped to "Run / all" and "Publish this / version")
    for (const name of ['Run all', 'Report view', 'Publish this version']) expect((await page.getByRole('button', { name }).boundingBox())!.height, name).toBeLessThan(40);
    await page.getByRole('button', { name: 'Run all' }).click();
    for (const id of ['irrbb', 'outlier_tests', 'eve_grid', 'delta_eve_by_bucket', 'bucket_chart', 'nii_profile_chart', 'summary']) {
      await expect.poll(() => status(id), { timeout: 60_000, message: `cell ${id}` }).toBe('done');
    }
    const values = await tsValues('irrbb');
    const eve = eveTableSchema.parse((await server.request('GET', `/api/workspaces/${wid}/runs/${values.run_id}/results/eve`, { cookie })).body).rows;
    const grid = cell('eve_grid');
    const text = (row: number, col: string) => grid.locator(`.ag-row[row-index="${row}"] [col-id="${col}"]`).textContent({ timeout: 5_000 });
    await expect.poll(() => text(0, 'scenario')).toBe('parallel_up');
    for (const [i, scenario] of SCENARIOS.entries()) {
      const engine = eve.find((r) => r.scenario === scenario)!;
      expect(await text(i, 'scenario')).toBe(scenario);
      expect(await text(i, 'eve')).toBe(formatValue(engine.eve, 'money'));
      expect(await text(i, 'delta_eve')).toBe(formatValue(engine.delta_eve, 'money'));
    }
    const base = eve.find((r) => r.scenario === 'base')!.eve;
    expect(await cell('irrbb').getByTestId('metric-value').first().textContent()).toBe(formatValue(base, 'money'));
    expect(Math.abs(base)).toBeGreaterThan(1000);
    await grid.scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    await shot(page, 'run-all');
  });

  it('editing a SQL cell changes its grid and its chart; an unrelated cell stays from cache', async () => {
    const before = await sqlRows('delta_eve_by_bucket');
    // the chart's one-line JSON spec wraps in its editor: read whole, not cut at the right edge
    expect(await cell('bucket_chart').locator('.monaco-editor .view-line').count()).toBeGreaterThan(1);
    const chart = cell('bucket_chart').locator('.nb-chart canvas').first();
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const chartBefore = await chart.screenshot({ path: resolve(SHOTS, 'e2e-walk-chart-before.png') });
    const editor = cell('delta_eve_by_bucket').locator('.monaco-editor .view-lines');
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\nLIMIT 5');
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell('delta_eve_by_bucket').getByTestId('grid-row-count').textContent(), { timeout: 30_000 }).toBe('5 rows');
    await expect.poll(() => status('bucket_chart'), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => statusText('delta_nii_by_currency'), { timeout: 30_000 }).toBe('done · from cache');
    const after = await sqlRows('delta_eve_by_bucket');
    expect(before.length).toBeGreaterThan(5);
    expect(after).toEqual(before.slice(0, 5));
    expect(await statusText('bucket_chart')).not.toBe('done · from cache');
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(800); // the chart's animation
    expect(Buffer.compare(await chart.screenshot({ path: resolve(SHOTS, 'e2e-walk-chart-after.png') }), chartBefore)).not.toBe(0);
    await shot(page, 'sql-edit');
  });

  it('publishes; a view member reads the report with no code and the same numbers', async () => {
    // the edited SQL autosaved as a new version: publish that one, with the outputs run above
    await expect.poll(async () => (await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { cookie })).body.notebook.version, { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByRole('button', { name: /^Publish/ }).first().click();
    await expect.poll(async () => (await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { cookie })).body.notebook.publishedVersion, { timeout: 15_000 }).toBeGreaterThan(1);
    const version = (await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { cookie })).body.notebook.publishedVersion as number;
    await shot(page, 'published');
    const values = await tsValues('irrbb', version);

    const viewer = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    await logIn(viewer, VIEWER);
    await viewer.goto(`${server.url}/w/${wid}/notebooks/${nid}`);
    const report = viewer.getByTestId('report');
    await report.waitFor();
    expect(await viewer.getByTestId('report-version').textContent()).toBe(`published version ${version}`);
    const grid = report.locator('[data-cell-id="eve_grid"]');
    const scenarios = values.eve_scenarios as { scenario: string; eve: number; delta_eve: number }[];
    await expect.poll(() => grid.locator('.ag-row[row-index="0"] [col-id="delta_eve"]').textContent({ timeout: 5_000 }), { timeout: 15_000 }).toBe(formatValue(scenarios[0]!.delta_eve, 'money'));
    for (const [i, row] of scenarios.entries()) expect(await grid.locator(`.ag-row[row-index="${i}"] [col-id="eve"]`).textContent()).toBe(formatValue(row.eve, 'money'));
    expect(await report.getByTestId('metric-value').first().textContent()).toBe(formatValue(values.eve_base, 'money'));
    const body = (await viewer.locator('body').textContent()) ?? '';
    for (const code of ['alm.run({', 'export const', 'FROM irrbb_eve_by_bucket', '"type": "bar"']) expect(body, code).not.toContain(code);
    expect(await viewer.locator('.monaco-editor').count()).toBe(0);
    for (const control of ['Run all', 'Publish this version', 'Add cell', 'Delete', 'Back to the editor']) expect(await viewer.getByRole('button', { name: control }).count(), control).toBe(0);
    expect(await viewer.getByLabel('Tier 1 capital').isDisabled()).toBe(true);
    // ΔEVE by currency once, as its grid cell formats it (not a second time raw under its SQL cell)
    expect(await report.locator('[data-cell-id="delta_eve_by_currency"]').count()).toBe(0);
    expect(await report.locator('[data-cell-id="currency_grid"]').getByTestId('grid-row-count').textContent()).toBe('2 rows');
    expect(await report.locator('[data-cell-id="delta_eve_by_bucket"]').getByTestId('grid-row-count').textContent()).toBe('5 rows');
    // the outlier table's labels are whole, not cut to "EVE (worst of si…"
    const label = report.locator('[data-cell-id="outlier_grid"] .ag-row[row-index="0"] [col-id="test"]');
    expect(await label.textContent()).toBe('EVE (worst of six, limit −15% of Tier 1)');
    expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await report.locator('canvas').first().waitFor();
    await viewer.waitForTimeout(500);
    await shot(viewer, 'viewer-report');

    // Export HTML: the publication's own file with the same figures, no code
    const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('link', { name: 'Export HTML' }).click()]);
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    for (const row of scenarios) expect(html).toContain(formatValue(row.delta_eve, 'money'));
    for (const code of ['alm.run({', 'FROM irrbb_eve_by_bucket']) expect(html, code).not.toContain(code);
    await viewer.close();
  });

  it('an explore member changes Tier 1 in the report and the ratio follows', async () => {
    const version = (await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { cookie })).body.notebook.publishedVersion as number;
    const values = await tsValues('outlier_tests', version);
    const irrbb = await tsValues('irrbb', version);
    const explorer = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await logIn(explorer, EXPLORER);
    await explorer.goto(`${server.url}/w/${wid}/notebooks/${nid}`);
    // explore members open the editor (they may run cells); the report is one click away
    await explorer.getByRole('button', { name: 'Report view' }).click();
    const report = explorer.getByTestId('report');
    const ratio = report.locator('[data-cell-id="outlier_tests"]').getByTestId('metric-value').first();
    await expect.poll(() => ratio.textContent(), { timeout: 15_000 }).toBe(formatValue(values.worst_eve_ratio, 'pct'));
    const tier1 = explorer.getByLabel('Tier 1 capital');
    expect(await tier1.isDisabled()).toBe(false);
    await tier1.fill('300000000');
    await tier1.press('Enter');
    const expected = formatValue((irrbb.worst_delta_eve as number) / 300_000_000, 'pct');
    expect(expected).not.toBe(formatValue(values.worst_eve_ratio, 'pct'));
    await expect.poll(() => ratio.textContent(), { timeout: 60_000 }).toBe(expected);
    expect(await report.locator('[data-cell-id="summary"]').textContent()).toContain(expected);
    expect(await explorer.getByTestId('report-footer').textContent()).toContain('shown with your inputs');
    // the re-run's new rows keep their columns as wide as their labels
    const label = report.locator('[data-cell-id="outlier_grid"] .ag-row[row-index="0"] [col-id="test"]');
    await expect.poll(() => label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await shot(explorer, 'explorer-tier1');
    await explorer.close();
  });

  it('a stranger gets "not found"', async () => {
    const stranger = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(stranger, STRANGER);
    await stranger.goto(`${server.url}/w/${wid}/notebooks/${nid}`);
    await expect.poll(async () => (await stranger.locator('body').textContent()) ?? '', { timeout: 10_000 }).toMatch(/not found/i);
    const text = (await stranger.locator('body').textContent()) ?? '';
    expect(text).not.toContain('IRRBB regulatory report');
    expect(await stranger.getByTestId('report').count()).toBe(0);
    const api = await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { cookie: (await server.login(STRANGER.username, STRANGER.password)).cookie });
    expect(api.status).toBe(404);
    await shot(stranger, 'stranger');
    await stranger.close();
  });

  it('a long run is cancelled: the cell says so and the notebook can run again', async () => {
    // a SQL cell made slow on purpose (10^10 rows of a cross join), run with everything after it
    const editor = cell('nii_profile').locator('.monaco-editor .view-lines');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('SELECT sum(a.range * b.range) AS s FROM range(100000) a, range(100000) b');
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => status('nii_profile'), { timeout: 30_000 }).toBe('running');
    await cell('nii_profile').scrollIntoViewIfNeeded();
    await shot(page, 'running');
    const started = Date.now();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status('nii_profile'), { timeout: 20_000 }).toBe('cancelled');
    console.log(`cancel to "cancelled" in ${Date.now() - started} ms`);
    expect(await page.getByRole('button', { name: 'Run all' }).isEnabled()).toBe(true);
    await cell('nii_profile').scrollIntoViewIfNeeded();
    await shot(page, 'cancelled');
  }, 60_000);
});
