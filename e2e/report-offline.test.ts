/**
 * A publication's HTML export opened in Chromium with the network cut: the file is fetched once
 * from disk and nothing else is requested; the page shows the report's figures, its chart as SVG
 * and its table, in screen and in print layout. Screenshot: `.tmp/e2e-report-offline.png`.
 * Needs Debian's chromium (`apt-get install -y chromium`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { createTeam, uploadDataset } from '../backend/src/workspaces/test-fixtures.ts';

const BY_CCY = 'SELECT currency, count(*)::INTEGER AS n, sum(notional) AS notional FROM positions GROUP BY currency ORDER BY currency';

let server: TestServer;
let browser: Browser;
let html: string;
let expected: { currency: string; n: number; notional: number }[];
const scratch = mkdtempSync(join(tmpdir(), 'almready-report-'));

beforeAll(async () => {
  server = await startTestServer();
  const team = await createTeam(server);
  const did = await uploadDataset(server, team.owner.token, team.wid, 60);
  expected = (await server.request('POST', `/api/workspaces/${team.wid}/sql`, { token: team.explore.token, body: { datasetId: did, sql: BY_CCY } })).body.rows;
  const content = {
    format: 'almready-notebook', version: 2, title: 'Currency report',
    cells: [
      { id: 'intro', kind: 'markdown', source: '# Currencies\nThe book holds **${positions}** positions.' },
      { id: 'by_ccy', kind: 'sql', name: 'by_ccy', source: BY_CCY },
      { id: 'count', kind: 'ts', name: 'count', source: 'export const positions = by_ccy.rows(10).reduce((s: number, r: any) => s + r.n, 0);' },
      { id: 'chart', kind: 'chart', source: JSON.stringify({ data: 'by_ccy', type: 'bar', x: 'currency', y: 'notional', title: 'Notional by currency' }) },
    ],
  };
  const nid = (await server.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: 'Currency report', content } })).body.notebook.id;
  const published = await server.request('POST', `/api/workspaces/${team.wid}/notebooks/${nid}/publish`, { token: team.edit.token, body: { datasetId: did } });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  html = String((await server.request('GET', `/api/workspaces/${team.wid}/notebooks/${nid}/report.html`, { token: team.view.token })).body);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it('opens offline: no request but the file itself, the figures, the chart and the table on screen and in print', async () => {
  const file = join(scratch, 'report.html');
  writeFileSync(file, html);
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.request().url().startsWith('file:') && route.request().url().endsWith('/report.html') ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState('load');
  expect(requests).toEqual([pathToFileURL(file).href]);
  const total = expected.reduce((s, r) => s + r.n, 0);
  expect(await page.locator('h1').first().textContent()).toBe('Currency report');
  expect(await page.locator('.prose strong').first().textContent()).toBe(String(total));
  expect(await page.locator('svg.chart').count()).toBe(1);
  expect(await page.locator('svg.chart rect title').allTextContents()).toEqual(expected.map((r) => `notional: ${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(r.notional)}`));
  const cells = await page.locator('table tbody tr').first().locator('td').allTextContents();
  expect(cells.slice(0, 2)).toEqual([expected[0]!.currency, String(expected[0]!.n)]);
  expect(await page.locator('footer').textContent()).toContain('content hash sha256:');
  // the chart is drawn at its size, not collapsed
  const box = await page.locator('svg.chart').boundingBox();
  expect(box!.width).toBeGreaterThan(600);
  mkdirSync('.tmp', { recursive: true });
  await page.screenshot({ path: '.tmp/e2e-report-offline.png', fullPage: true });
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('body').evaluate((b) => getComputedStyle(b).paddingLeft)).toBe('0px'); // the print layout applies
  expect(requests).toHaveLength(1);
  await context.close();
}, 60_000);
