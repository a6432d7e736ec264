/**
 * The notebook's lifecycle in a real browser against the real server: two editors change the same
 * notebook at once, the second gets the conflict as a choice and keeps their edits as a new
 * version (both saves visible in the history, nothing lost); an old version is opened read-only
 * and restored; the scenario editor's typed and dragged shifts move the engine's shocked curve and
 * the scenario lands in the notebook as a ts cell. Needs Debian's chromium; builds frontend/dist
 * when it is older than the SPA sources; screenshots land in .tmp/e2e-lifecycle-*.png.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, SHOTS, ensureSpaBuilt, launchChromium } from './browser.ts';
import { notebookAnswerSchema, notebookVersionsAnswerSchema, scenarioPreviewAnswerSchema } from '@almready/contracts';
import { runNotebook, unfinished } from '../backend/src/notebook-examples/run-example.ts';
import { startTestServer, type TestServer } from '../backend/src/testing/server.ts';
import { waitForRun } from '../backend/src/workspaces/test-fixtures.ts';

const EDITORS = [{ username: 'quant-a', password: 'quant-a-password-1' }, { username: 'quant-b', password: 'quant-b-password-1' }] as const;

let server: TestServer;
let browser: Browser;
let pageA: Page;
let pageB: Page;
let cookieB = '';
let tokenB = '';
let wid = '';
let nid = '';
let datasetId = '';

async function notebook() {
  const res = await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}`, { cookie: cookieB });
  return notebookAnswerSchema.parse(res.body).notebook as { version: number; content: { cells: { id: string; kind: string; source: string; name?: string }[] } };
}

async function logIn(page: Page, user: { username: string; password: string }) {
  await page.goto(server.url);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
}

const status = (page: Page) => page.getByRole('status', { name: 'Save status' }).textContent();

beforeAll(async () => {
  await ensureSpaBuilt();
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ demo: true, env: { staticDir: DIST } });
  const admin = await server.login(server.admin.username, server.admin.password);
  const list = await server.request('GET', '/api/workspaces', { cookie: admin.cookie });
  const demo = (list.body.workspaces as { id: string; name: string }[]).find((w) => /demo/i.test(w.name)) ?? list.body.workspaces[0];
  wid = demo.id;
  for (const user of EDITORS) {
    await server.createUser(user.username, user.password);
    const shared = await server.request('PUT', `/api/workspaces/${wid}/members/${user.username}`, { cookie: admin.cookie, body: { role: 'edit' } });
    expect(shared.status).toBe(200);
  }
  const a = await server.login(EDITORS[0].username, EDITORS[0].password);
  ({ cookie: cookieB, token: tokenB } = await server.login(EDITORS[1].username, EDITORS[1].password));
  const created = await server.request('POST', `/api/workspaces/${wid}/notebooks`, {
    cookie: a.cookie,
    body: { name: 'Shared analysis', content: { format: 'almready-notebook', version: 2, title: 'Shared analysis', cells: [
      { id: 'intro', kind: 'markdown', source: '# Shared analysis' },
      { id: 'q', kind: 'sql', name: 'by_product', source: 'SELECT product, count(*) AS n FROM positions GROUP BY product' },
    ] } },
  });
  expect(created.status).toBe(201);
  nid = created.body.notebook.id;
  const datasets = await server.request('GET', `/api/workspaces/${wid}/datasets`, { cookie: cookieB });
  datasetId = [...datasets.body.datasets].sort((x: { createdAt: string }, y: { createdAt: string }) => (x.createdAt < y.createdAt ? 1 : -1))[0].id;

  browser = await launchChromium();
  // two editors, two browser profiles (separate cookies and storage)
  pageA = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  pageB = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await logIn(pageA, EDITORS[0]);
  await logIn(pageB, EDITORS[1]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('notebook lifecycle in a browser', () => {
  it('two editors at once: the second gets the conflict choice, sees the diff, keeps theirs as a new version', async () => {
    const url = `${server.url}/w/${wid}/notebooks/${nid}`;
    await pageA.goto(url);
    await pageB.goto(url);
    for (const page of [pageA, pageB]) await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Saved · version 1');

    // A renames the SQL cell's result: autosaved as version 2
    await pageA.getByLabel('Cell name').nth(1).fill('by_product_a');
    await expect.poll(() => status(pageA), { timeout: 10_000 }).toBe('Saved · version 2');

    // B, still on version 1, edits the SQL: the autosave meets the 409
    await pageB.locator('.cell-sql .monaco-editor .view-lines').first().click();
    await pageB.keyboard.press('Control+End');
    await pageB.keyboard.insertText(' ORDER BY n DESC');
    const dialog = pageB.getByRole('dialog', { name: 'Someone else saved this notebook' });
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.textContent()).toContain('quant-a saved version 2');
    expect(await status(pageB)).toBe('Not saved: quant-a saved version 2');
    // nothing is lost while B decides: the edit is in the browser's storage
    const draft = await pageB.evaluate((id) => localStorage.getItem(`almready.notebook-draft.${id}`), nid);
    expect(draft).toContain('ORDER BY n DESC');
    // even a reload (a closed tab) brings the edit back, with the same choice
    await pageB.reload();
    await dialog.waitFor({ timeout: 15_000 });
    expect(await status(pageB)).toBe('Not saved: quant-a saved version 2');
    const sqlText = async () => (await pageB.locator('.cell-sql .monaco-editor .view-lines').first().textContent())?.replace(/\u00a0/g, ' ');
    await expect.poll(sqlText).toContain('ORDER BY n DESC');

    await dialog.getByRole('button', { name: 'See the differences' }).click();
    const changed = dialog.getByTestId('diff-cell-q');
    await changed.waitFor();
    expect(await changed.getAttribute('data-change')).toBe('changed');
    expect(await changed.textContent()).toContain('name by_product_a → by_product');
    expect(await changed.locator('.op-added').textContent()).toContain('ORDER BY n DESC');
    await pageB.screenshot({ path: resolve(SHOTS, 'e2e-lifecycle-conflict.png') });

    await dialog.getByRole('button', { name: 'Keep mine as a new version' }).click();
    await expect.poll(() => status(pageB), { timeout: 10_000 }).toBe('Saved · version 3');
    const saved = await notebook();
    expect(saved.version).toBe(3);
    expect(saved.content.cells[1]!.source).toBe('SELECT product, count(*) AS n FROM positions GROUP BY product ORDER BY n DESC');
    expect(await pageB.evaluate((id) => localStorage.getItem(`almready.notebook-draft.${id}`), nid)).toBeNull();

    // both saves are in the history, with who saved them
    await pageB.getByRole('button', { name: 'History' }).click();
    const history = pageB.getByRole('dialog', { name: 'Version history' });
    await history.getByTestId('version-3').waitFor();
    expect(await history.getByTestId('version-3').textContent()).toContain('quant-b');
    expect(await history.getByTestId('version-2').textContent()).toContain('quant-a');
    const versions = notebookVersionsAnswerSchema.parse((await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`, { cookie: cookieB })).body).versions;
    expect(versions.map((v) => [v.version, v.savedBy])).toEqual([[3, 'quant-b'], [2, 'quant-a'], [1, 'quant-a']]);
    await pageB.screenshot({ path: resolve(SHOTS, 'e2e-lifecycle-history.png') });
  });

  it('compares two versions and restores an old one as a new version', async () => {
    const history = pageB.getByRole('dialog', { name: 'Version history' });
    await history.getByLabel('Compare version 1').check();
    await history.getByLabel('Compare version 3').check();
    await history.getByRole('button', { name: 'Compare versions 1 and 3' }).click();
    const cell = history.getByTestId('diff-cell-q');
    await cell.waitFor();
    expect(await cell.getAttribute('data-change')).toBe('changed');
    expect(await cell.locator('.op-removed').textContent()).toBe('−SELECT product, count(*) AS n FROM positions GROUP BY product');
    await history.getByRole('button', { name: '← All versions' }).click();

    await history.getByRole('button', { name: 'Open version 1' }).click();
    await history.getByText('Read-only: version 1').waitFor();
    expect(await history.getByTestId('version-cell-q').textContent()).toContain('GROUP BY product');
    await pageB.screenshot({ path: resolve(SHOTS, 'e2e-lifecycle-version.png') });
    await history.getByRole('button', { name: 'Restore version 1' }).click();
    await expect.poll(() => status(pageB), { timeout: 10_000 }).toBe('Saved · version 4');
    const restored = await notebook();
    expect(restored.version).toBe(4);
    expect(restored.content.cells.map((c) => c.source)).toEqual(['# Shared analysis', 'SELECT product, count(*) AS n FROM positions GROUP BY product']);
    const versions = notebookVersionsAnswerSchema.parse((await server.request('GET', `/api/workspaces/${wid}/notebooks/${nid}/versions`, { cookie: cookieB })).body).versions;
    expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('scenario editor: a typed and a dragged shift move the engine\'s shocked curve; saving adds a ts cell', async () => {
    await pageB.getByRole('button', { name: 'Scenario editor' }).click();
    const editor = pageB.getByRole('dialog', { name: 'Scenario editor' });
    const figure = (tenor: number) => editor.getByTestId(`figure-${tenor}`).locator('td').nth(3).textContent();
    await expect.poll(() => figure(5), { timeout: 15_000 }).toBe('0.0');

    await editor.getByLabel('bp at 5 years').fill('50');
    await expect.poll(() => figure(5), { timeout: 10_000 }).toBe('50.0');
    expect(await figure(4)).toBe('25.0'); // linear from 0 at the 3Y point to +50 at 5Y
    expect(await figure(7)).toBe('0.0'); // 7Y is a point of its own, still at 0
    // the screen's figures are the route's: ask it the same question
    const currency = await editor.getByLabel('Currency').inputValue();
    const points = [0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30].map((tenorYears) => ({ tenorYears, bp: tenorYears === 5 ? 50 : 0 }));
    const api = scenarioPreviewAnswerSchema.parse((await server.request('POST', `/api/workspaces/${wid}/scenarios/preview`, { cookie: cookieB, body: { datasetId, currency, shocks: points } })).body).preview;
    const five = api.points.find((p) => p.tenorYears === 5)!;
    expect(await editor.getByTestId('figure-5').locator('td').nth(2).textContent()).toBe(`${(five.shocked * 100).toFixed(4)}%`);

    // drag the 10-year point up: its bp and the engine's shift at 10Y follow
    const handle = editor.getByTestId('handle-10');
    const box = (await handle.boundingBox())!;
    await pageB.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await pageB.mouse.down();
    await pageB.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 60, { steps: 6 });
    await pageB.mouse.up();
    const dragged = Number(await editor.getByLabel('bp at 10 years').inputValue());
    expect(dragged).toBeGreaterThan(5);
    await expect.poll(() => figure(10), { timeout: 10_000 }).toBe(dragged.toFixed(1));
    await pageB.screenshot({ path: resolve(SHOTS, 'e2e-lifecycle-scenario.png') });

    await editor.getByLabel('Scenario id').fill('twist_test');
    await editor.getByRole('button', { name: 'Add to the notebook' }).click();
    await expect.poll(() => status(pageB), { timeout: 10_000 }).toBe('Saved · version 5');
    const saved = await notebook();
    const cell = saved.content.cells.at(-1)!;
    expect(cell.kind).toBe('ts');
    expect(cell.source).toContain(`export const twist_test = alm.scenario("twist_test"`);
    expect(cell.source).toContain(`${currency}: [[0.25, 0], [0.5, 0], [1, 0], [2, 0], [3, 0], [5, 50], [7, 0], [10, ${dragged}],`);
    // the cell runs on the server: the sandbox samples the drawn shock for the run service
    const executed = await runNotebook(server, tokenB, wid, nid, { target: 'cell', cellId: cell.id, datasetId });
    expect(unfinished(executed)).toEqual([]);

    // reopened from its cell, changed, saved back into the same cell
    await pageB.getByRole('button', { name: 'Scenario editor' }).click();
    await editor.getByLabel('Saved scenario').selectOption({ label: 'twist_test' });
    expect(await editor.getByLabel('bp at 5 years').inputValue()).toBe('50');
    await editor.getByLabel('bp at 5 years').fill('40');
    await expect.poll(() => figure(5), { timeout: 10_000 }).toBe('40.0');
    await editor.getByRole('button', { name: 'Save into its cell' }).click();
    await expect.poll(() => status(pageB), { timeout: 10_000 }).toBe('Saved · version 6');
    const resaved = await notebook();
    expect(resaved.content.cells.length).toBe(saved.content.cells.length);
    expect(resaved.content.cells.at(-1)!.id).toBe(cell.id);
    expect(resaved.content.cells.at(-1)!.source).toContain(`[5, 40]`);
  });

  it('starts a notebook from a shipped example and opens it', async () => {
    const examples = (await server.request('GET', '/api/notebook-examples', { cookie: cookieB })).body.examples as { id: string; name: string }[];
    expect(examples.length).toBeGreaterThanOrEqual(1);
    const first = examples[0]!;
    await pageA.goto(`${server.url}/w/${wid}/notebooks`);
    await pageA.getByRole('button', { name: `Start from ${first.name}` }).click();
    await expect.poll(() => status(pageA), { timeout: 15_000 }).toBe('Saved · version 1');
    const id = new URL(pageA.url()).pathname.split('/').pop()!;
    const made = notebookAnswerSchema.parse((await server.request('GET', `/api/workspaces/${wid}/notebooks/${id}`, { cookie: cookieB })).body).notebook;
    expect(made.name).toBe(first.name);
    expect((made.content as { cells: unknown[] }).cells.length).toBeGreaterThan(1);
    expect(await pageA.locator('li.cell').count()).toBe((made.content as { cells: unknown[] }).cells.length);
  });

  it('"Open in a notebook" on a finished run: a notebook whose cells read the run\'s tables, and they run', async () => {
    const started = await server.request('POST', `/api/workspaces/${wid}/runs`, { cookie: cookieB, body: { datasetId, scenarios: ['base', 'parallel_up'] } });
    expect(started.status).toBe(202);
    const rid = started.body.run.id as string;
    expect((await waitForRun(server, tokenB, wid, rid, 120_000)).status).toBe('done');
    await pageB.goto(`${server.url}/w/${wid}/runs/${rid}`);
    await pageB.getByRole('button', { name: 'Open in a notebook' }).click();
    await expect.poll(() => status(pageB), { timeout: 15_000 }).toBe('Saved · version 1');
    const id = new URL(pageB.url()).pathname.split('/').pop()!;
    const made = notebookAnswerSchema.parse((await server.request('GET', `/api/workspaces/${wid}/notebooks/${id}`, { cookie: cookieB })).body).notebook;
    const cells = (made.content as { cells: { id: string; kind: string; source: string }[] }).cells;
    expect(cells.map((c) => c.kind)).toEqual(['markdown', 'sql', 'sql', 'sql', 'chart', 'chart']);
    expect(cells[1]!.source).toContain(`FROM run_${rid.slice(0, 8)}_eve`);
    await pageB.screenshot({ path: resolve(SHOTS, 'e2e-lifecycle-run-notebook.png') });
    // every cell runs: the SQL cells find the run's tables, the charts their columns
    const executed = await runNotebook(server, tokenB, wid, id, { target: 'notebook', datasetId });
    expect(unfinished(executed)).toEqual([]);
    const eve = await server.request('GET', `/api/workspaces/${wid}/runs/${rid}/results/eve`, { cookie: cookieB });
    const stored = JSON.stringify(executed.outputs.eve);
    for (const row of eve.body.rows as { scenario: string }[]) expect(stored).toContain(row.scenario);
  });
});
