/**
 * The demo's notebooks run on first start, in the background: the server answers (and has printed
 * its URL) before they finish; then every one of the four has finished `done` with an output for
 * every cell, which a view member of the demo sees at once; a second start on the same data
 * directory finds the demo and runs nothing again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { notebookExamples } from '../notebook-examples/catalog.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { DEMO_NAME } from './demo.ts';
import { member, shareWorkspace } from './test-fixtures.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'almready-demo-'));
let t: TestServer | undefined;

afterAll(async () => {
  await t?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const executions = (server: TestServer) => server.deps.db.prepare('SELECT status, notebook_id AS notebookId FROM notebook_executions ORDER BY started_at').all() as { status: string; notebookId: string }[];

async function settled(server: TestServer, count: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = executions(server);
    if (rows.length >= count && rows.every((r) => r.status !== 'running')) return rows;
    if (Date.now() > until) throw new Error(`demo executions after ${timeoutMs} ms: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('demo notebooks on first start', () => {
  it('run in the background after the server listens, each finishing done with every cell\'s output', async () => {
    t = await startTestServer({ demo: true, demoNotebooks: true, env: { dataDir } });
    // the server is up and has said where before the notebooks are through
    expect(t.printed.some((line) => line.startsWith('ALMReady is running at '))).toBe(true);
    expect((await t.request('GET', '/api/health')).status).toBe(200);
    expect(executions(t).filter((r) => r.status !== 'running').length).toBeLessThan(4);

    const rows = await settled(t, 4, 420_000);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);

    const { token } = await t.login(t.admin.username, t.admin.password);
    const demo = (await t.request('GET', '/api/workspaces', { token })).body.workspaces.find((w: { name: string }) => w.name === DEMO_NAME);
    const manager = await member(t, 'manager');
    await shareWorkspace(t, { id: '', username: t.admin.username, token }, demo.id, [[manager, 'view']]);
    const notebooks = (await t.request('GET', `/api/workspaces/${demo.id}/notebooks`, { token: manager.token })).body.notebooks as { id: string; name: string }[];
    expect(notebooks.map((n) => n.name).sort()).toEqual(notebookExamples().map((e) => e.name).sort());
    // the order they ran in: the report last, so that its regulatory run is the dataset's latest run
    expect(rows.map((r) => notebooks.find((n) => n.id === r.notebookId)?.name)).toEqual(notebookExamples().map((e) => e.name).reverse());
    const runs = (await t.request('GET', `/api/workspaces/${demo.id}/runs`, { token })).body.runs as { id: string; finishedAt: string }[];
    const latest = [...runs].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0]!;
    for (const nb of notebooks) {
      const outputs = await t.request('GET', `/api/workspaces/${demo.id}/notebooks/${nb.id}/outputs`, { token: manager.token });
      expect(outputs.status, nb.name).toBe(200);
      const missing = outputs.body.cells.filter((c: { output: unknown }) => c.output === null).map((c: { cellId: string }) => c.cellId);
      expect(missing, nb.name).toEqual([]);
    }
    // each one is published through the publishing path: a manager opens its report (a frozen publication, no code)
    for (const nb of notebooks) {
      let report = await t.request('GET', `/api/workspaces/${demo.id}/notebooks/${nb.id}/report`, { token: manager.token });
      for (const until = Date.now() + 60_000; report.status === 404 && Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
        report = await t.request('GET', `/api/workspaces/${demo.id}/notebooks/${nb.id}/report`, { token: manager.token });
      }
      expect(report.status, nb.name).toBe(200);
      expect(report.body.publication.datasetHash, nb.name).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(report.body.missing, nb.name).toEqual([]);
      expect(JSON.stringify(report.body.report), nb.name).not.toContain('alm.run(');
    }
    const report = notebooks.find((n) => n.name === 'IRRBB regulatory report')!;
    const out = (await t.request('GET', `/api/workspaces/${demo.id}/notebooks/${report.id}/outputs`, { token: manager.token })).body.cells;
    const irrbb = out.find((c: { cellId: string }) => c.cellId === 'irrbb').output;
    const run = await t.request('GET', `/api/workspaces/${demo.id}/runs/${irrbb.values.run_id}`, { token });
    expect(run.body.run.summary.positions).toBe(50_000);
    expect(irrbb.values.eve_base).toBe(run.body.run.summary.eveBase);
    expect(latest.id).toBe(irrbb.values.run_id);
    expect(out.find((c: { cellId: string }) => c.cellId === 'summary').output.problems).toEqual([]);
  }, 480_000);

  it('a second start on the same data finds the demo and runs nothing again', async () => {
    await t!.stop();
    t = await startTestServer({ demo: true, demoNotebooks: true, env: { dataDir } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(executions(t)).toHaveLength(4);
    const count = t.deps.db.prepare('SELECT count(*) AS n FROM workspaces WHERE name = ?').get(DEMO_NAME) as { n: number };
    expect(count.n).toBe(1);
  }, 120_000);
});
