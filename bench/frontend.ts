/**
 * The SPA's speed in Debian's Chromium against a local server (`startTestServer({ demo: true })`
 * serving the built `frontend/dist`):
 * - first load: a new browser context (empty cache) with a session goes to `/` until the
 *   workspace list shows its first row; target < 1.5 s. Prints what that load fetches (scripts by
 *   name, bytes transferred) and fails when the code editor (Monaco) or the grid (AG Grid) is among
 *   them: both must load lazily.
 * - opening a notebook with stored outputs inside the already loaded app: a click on its name in
 *   the workspace's notebook list (no page load) until its first output (a Markdown figure) is on
 *   screen; target < 500 ms.
 * - a sorted page of a 1,000,000-row SQL result: a click on the column header until the first row
 *   of the new order shows; target < 300 ms. Timed in the test process around Playwright's click
 *   (its actionability checks included) and a requestAnimationFrame poll.
 * Medians. Run: `npx tsx bench/frontend.ts` (builds frontend/dist when stale).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { NotebookDocument } from '@almready/notebooks';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { DIST, ensureSpaBuilt, launchChromium } from '../e2e/browser.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const line = (label: string, ms: number[], target: number) =>
  console.log(`   ${label.padEnd(72)}${fmt(median(ms)).padStart(9)}  (${ms.length} runs, ${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))})${median(ms) < target ? '  ok' : `  OVER the ${fmt(target)} target`}`);

const DOCUMENT: NotebookDocument = {
  format: 'almready-notebook', version: 2, title: 'Bench notebook',
  cells: [
    { id: 'intro', kind: 'markdown', source: '# Book\nPositions: **${n_positions}**.' },
    { id: 'count', kind: 'ts', name: 'count', source: 'export const n_positions: number = 50000;' },
    { id: 'bycur', kind: 'sql', name: 'by_currency', source: 'SELECT currency, count(*) AS n, sum(notional) AS notional FROM positions GROUP BY currency ORDER BY currency' },
    { id: 'big', kind: 'sql', name: 'big', source: 'SELECT i, (i * 7919) % 1000000 AS k FROM range(1000000) t(i)' },
  ],
};

async function withSession(browser: Browser, server: TestServer, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const [name, ...rest] = cookie.split(';')[0]!.split('=');
  await context.addCookies([{ name: name!, value: rest.join('='), url: server.url }]);
  return context;
}

async function firstLoad(browser: Browser, server: TestServer, cookie: string) {
  const times: number[] = [];
  let fetched: { path: string; type: string; bytes: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await withSession(browser, server, cookie);
    const page = await context.newPage();
    const requests: { path: string; type: string; bytes: Promise<number> }[] = [];
    page.on('requestfinished', (r) => requests.push({ path: new URL(r.url()).pathname, type: r.resourceType(), bytes: r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize) }));
    const start = performance.now();
    await page.goto(server.url);
    await page.locator('table.workspaces tbody tr a').first().waitFor();
    times.push(performance.now() - start);
    fetched = await Promise.all(requests.map(async (r) => ({ path: r.path, type: r.type, bytes: await r.bytes })));
    await context.close();
  }
  line('first load of the app to the workspace list (empty cache)', times, 1500);
  const total = fetched.reduce((s, r) => s + r.bytes, 0);
  console.log(`     fetched ${fetched.length} requests, ${kb(total)}: ${fetched.map((r) => `${r.path} ${kb(r.bytes)}`).join(', ')}`);
  const main = fetched.find((r) => /\/assets\/index-.*\.js$/.test(r.path));
  if (main && readFileSync(resolve(DIST, main.path.slice(1)), 'utf8').includes('jsxDEV')) throw new Error('frontend/dist is a development build (React\'s jsxDEV): build it with NODE_ENV=production');
  const eager = fetched.filter((r) => /monaco|editor\.api|ag-grid|ResultGrid|ts\.worker|editor\.worker/i.test(r.path));
  if (eager.length) throw new Error(`the first load fetches the editor or the grid: ${eager.map((r) => r.path).join(', ')}`);
}

async function waitText(page: Page, selector: string, text: string) {
  await page.waitForFunction(([s, t]) => document.querySelector(s!)?.textContent === t, [selector, text], { polling: 'raf', timeout: 30_000 });
}

async function openAndSort(browser: Browser, server: TestServer, cookie: string, wid: string, nid: string) {
  const context = await withSession(browser, server, cookie);
  const page = await context.newPage();
  // once: run it all so that the notebook has stored outputs
  await page.goto(`${server.url}/w/${wid}/notebooks/${nid}`);
  await page.getByRole('button', { name: 'Run all' }).click();
  await page.locator('li.cell[data-cell-id="big"] [data-testid="cell-status"][data-status="done"]').waitFor({ timeout: 120_000 });
  await page.locator('li.cell[data-cell-id="intro"] .nb-markdown').waitFor({ timeout: 30_000 });

  const open: number[] = [];
  await page.goto(`${server.url}/w/${wid}/notebooks`);
  for (let i = 0; i < RUNS; i++) {
    const link = page.getByRole('link', { name: 'Bench notebook' });
    await link.waitFor();
    const start = performance.now();
    await link.click();
    await page.locator('li.cell[data-cell-id="intro"] .nb-markdown strong').waitFor({ timeout: 30_000 });
    open.push(performance.now() - start);
    await page.locator('li.cell[data-cell-id="big"] [data-testid="grid-row-count"]').waitFor({ timeout: 30_000 });
    await page.goBack();
  }
  line('open a notebook with stored outputs, click in the app to first output', open, 500);

  await page.getByRole('link', { name: 'Bench notebook' }).click();
  const grid = 'li.cell[data-cell-id="big"]';
  await page.locator(`${grid} .ag-row[row-index="0"] [col-id="i"]`).waitFor({ timeout: 30_000 });
  const header = page.locator(`${grid} .ag-header-cell[col-id="k"] .ag-header-cell-label`);
  const first = `${grid} .ag-row[row-index="0"] [col-id="k"]`;
  const sorts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const expected of ['0', '999,999']) { // k ascending, then descending: the click cycles the sort
      const start = performance.now();
      await header.click();
      await waitText(page, first, expected);
      sorts.push(performance.now() - start);
    }
    await header.click(); // back to unsorted
    await waitText(page, `${grid} .ag-row[row-index="0"] [col-id="i"]`, '0');
  }
  line('1,000,000-row result: header click to the first sorted row', sorts, 300);
  await context.close();
}

await ensureSpaBuilt();
const server = await startTestServer({ demo: true, env: { staticDir: DIST } });
const browser = await launchChromium();
try {
  const admin = await server.login(server.admin.username, server.admin.password);
  const list = await server.request('GET', '/api/workspaces', { cookie: admin.cookie });
  const wid = (list.body.workspaces as { id: string; name: string }[]).find((w) => /demo/i.test(w.name))!.id;
  const created = await server.request('POST', `/api/workspaces/${wid}/notebooks`, { cookie: admin.cookie, body: { name: 'Bench notebook', content: DOCUMENT } });
  if (created.status !== 201) throw new Error(`notebook not created: ${JSON.stringify(created.body)}`);
  await firstLoad(browser, server, admin.cookie);
  await openAndSort(browser, server, admin.cookie, wid, created.body.notebook.id);
} finally {
  await browser.close();
  await server.stop();
}
