/**
 * Notebook figures through the server's execution path (`almready run`'s headless core: the
 * execution service, the workspace cell host, DuckDB, the QuickJS sandbox, the run service's
 * worker pool, the output store), on a workspace of 1,000,000 synthetic positions imported like an
 * upload, and on the demo dataset (50,000 positions):
 * - an SQL cell over `positions` re-run: cold (a new source, so DuckDB computes and stores it) and
 *   cached (unchanged: the stored output); target < 300 ms
 * - the shipped regulatory report notebook (notebooks/examples/irrbb-report.md: one engine run of
 *   the six scenarios and ±200 bp with Tier 1, outlier tests, ΔEVE by bucket and currency, NII,
 *   charts, summary) end to end, cold
 *   (every cell's source changed by a comment, so nothing is stored) and unchanged (every output
 *   from storage); targets < 8 s and < 300 ms at 1,000,000 positions, < 3 s cold on the demo
 * - a ts cell's sandbox start on the workspace host (new QuickJS instance, runtime + context + alm); < 50 ms,
 *   and an execution's first ts cell on a worker of the server's warm pool
 * Medians. Run: `npx tsx bench/notebooks.ts` (BENCH_POSITIONS=200000 for a smaller book,
 * BENCH_ONLY=demo for the demo dataset's part alone).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { syntheticBalanceSheet } from '@almready/engine';
import { parseNotebookText, type NotebookDocument } from '@almready/notebooks';
import { generatePassword } from '../backend/src/auth/passwords.ts';
import { openHeadless, runNotebook, type HeadlessCore, type HeadlessExecution } from '../backend/src/cli/headless.ts';
import { loadConfig } from '../backend/src/config.ts';
import { importDataset } from '../backend/src/data/datasets/index.ts';
import { createNotebookHost } from '../backend/src/notebook-exec/notebook-host.ts';
import { sandboxPoolFor } from '../backend/src/notebook-exec/registry.ts';
import { TERMINATE_GRACE_MS, TsSandbox } from '../backend/src/notebook-exec/ts-sandbox/sandbox.ts';
import { runServiceFor } from '../backend/src/runs/service.ts';
import { createUser } from '../backend/src/users/user-store.ts';
import { insertDatasetRow } from '../backend/src/workspaces/dataset-routes.ts';
import { DEMO_AS_OF, DEMO_POSITIONS } from '../backend/src/workspaces/demo.ts';
import { workspaceDir } from '../backend/src/workspaces/paths.ts';
import { writeSyntheticCsv } from '../backend/src/workspaces/synthetic-csv.ts';
import { createWorkspace } from '../backend/src/workspaces/workspace-routes.ts';

const POSITIONS = Number(process.env.BENCH_POSITIONS ?? 1_000_000);
const ONLY_DEMO = process.env.BENCH_ONLY === 'demo';
const AS_OF = '2024-12-31';
const here = path.dirname(fileURLToPath(import.meta.url));
const SQL = 'SELECT product, currency, side, count(*) AS n, sum(notional) AS notional, avg(rate) AS rate FROM positions GROUP BY ALL ORDER BY ALL';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const line = (label: string, ms: number[], target?: number) =>
  console.log(`   ${label.padEnd(72)}${fmt(median(ms)).padStart(9)}  (${ms.length} runs, ${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))})${target === undefined ? '' : median(ms) < target ? '  ok' : `  OVER the ${fmt(target)} target`}`);

interface Space { core: HeadlessCore; workspace: { id: string; dir: string }; user: { id: string }; datasetId: string }

async function workspaceWith(core: HeadlessCore, owner: { id: string }, name: string, positions: number, asOf: string, seed: number): Promise<Space> {
  const ws = createWorkspace(core.deps, owner, { name });
  const dir = workspaceDir(core.deps.config.dataDir, owner.id, ws.id);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'almready-bench-csv-'));
  try {
    const files = await writeSyntheticCsv(scratch, syntheticBalanceSheet({ positions, asOf, seed }));
    const imported = await importDataset({
      workspaceDir: dir, workspaceId: ws.id, name, asOf, createdBy: owner.id,
      sources: { positions: { path: files.positions, originalName: 'positions.csv' }, curves: { path: files.curves, originalName: 'curves.csv' }, schedules: { path: files.schedules, originalName: 'schedules.csv' } },
    });
    if (!imported.ok) throw new Error(`import failed: ${imported.errors.slice(0, 3).map((e) => e.reason).join('; ')}`);
    insertDatasetRow(core.deps, imported.dataset);
    return { core, workspace: { id: ws.id, dir }, user: owner, datasetId: imported.dataset.id };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The document with a comment line heading every SQL and ts cell: new sources, so nothing comes from storage. */
function variant(doc: NotebookDocument, tag: string): NotebookDocument {
  return { ...doc, cells: doc.cells.map((c) => (c.kind === 'sql' ? { ...c, source: `-- ${tag}\n${c.source}` } : c.kind === 'ts' ? { ...c, source: `// ${tag}\n${c.source}` } : c)) };
}

let runs = 0;
async function timedRun(space: Space, document: NotebookDocument): Promise<{ ms: number; result: HeadlessExecution }> {
  const start = performance.now();
  const result = await runNotebook(space.core, { workspace: space.workspace, user: space.user, datasetId: space.datasetId, notebookId: `bench-${runs++}`, version: 1, document });
  const ms = performance.now() - start;
  const bad = result.cells.filter((c) => c.status !== 'done');
  if (result.status !== 'done' || bad.length > 0) throw new Error(`the notebook did not run: ${result.error ?? bad.map((c) => `${c.id} ${c.status}: ${c.message ?? ''}`).join('; ')}`);
  return { ms, result };
}

const sqlNotebook = (source: string): NotebookDocument => ({ format: 'almready-notebook', version: 2, title: 'SQL', cells: [{ id: 'by_product', kind: 'sql', name: 'by_product', source }] }) as NotebookDocument;

async function benchSql(space: Space): Promise<void> {
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) cold.push((await timedRun(space, sqlNotebook(`-- cold ${i} ${Date.now()}\n${SQL}`))).ms);
  const same = sqlNotebook(SQL);
  await timedRun(space, same);
  const cached: number[] = [];
  for (let i = 0; i < 7; i++) {
    const { ms, result } = await timedRun(space, same);
    if (!result.cells[0]!.fromCache) throw new Error('the unchanged SQL cell ran again');
    cached.push(ms);
  }
  line('SQL cell re-run, cold (DuckDB computes, stores Parquet)', cold, 300);
  line('SQL cell re-run, unchanged (stored output)', cached, 300);
}

async function benchReport(space: Space, report: NotebookDocument, label: string, coldTarget: number, cachedTarget?: number): Promise<void> {
  const cold: number[] = [];
  const byCell = new Map<string, number[]>();
  let last: NotebookDocument = report;
  for (let i = 0; i < 3; i++) {
    last = variant(report, `cold ${i} ${Date.now()}`);
    const { ms, result } = await timedRun(space, last);
    if (result.cells.some((c) => c.fromCache && (c.kind === 'sql' || c.kind === 'ts'))) throw new Error('an SQL or ts cell of the cold report came from storage');
    cold.push(ms);
    for (const c of result.cells) byCell.set(`${c.id} (${c.kind})`, [...(byCell.get(`${c.id} (${c.kind})`) ?? []), c.durationMs ?? 0]);
  }
  const cached: number[] = [];
  for (let i = 0; i < 7; i++) {
    const { ms, result } = await timedRun(space, last);
    if (!result.cells.every((c) => c.fromCache)) throw new Error('a cell of the unchanged report ran again');
    cached.push(ms);
  }
  line(`${label}, cold`, cold, coldTarget);
  const slowest = [...byCell].sort((a, b) => median(b[1]) - median(a[1])).slice(0, 3);
  console.log(`     slowest cells (median): ${slowest.map(([id, ms]) => `${id} ${fmt(median(ms))}`).join(', ')}`);
  line(`${label}, nothing changed (outputs from storage)`, cached, cachedTarget);
}

async function benchSandboxStart(space: Space): Promise<void> {
  const deps = space.core.deps;
  // as an execution's host does: a worker from the server's warm pool (ALMREADY_TS_SANDBOXES_READY)
  const pool = sandboxPoolFor(deps);
  await pool.whenReady();
  const sandbox = new TsSandbox(pool.limits, undefined, TERMINATE_GRACE_MS, pool);
  const host = createNotebookHost({ queries: deps.queries as never, runs: runServiceFor(deps), db: deps.db, audit: deps.audit, sandbox }, { workspace: space.workspace, user: space.user, datasetId: space.datasetId });
  const starts: number[] = [];
  let boot = 0;
  try {
    for (let i = 0; i < 15; i++) {
      const began = performance.now();
      const outcome = await host.runTs({ name: 'probe', source: `const n: number = ${i};\nexport const square = n * n;`, cacheKey: `${i}`.padStart(64, '0') }, { values: {}, tables: {} });
      if (!outcome.result.ok) throw new Error(outcome.result.error.message);
      if (i > 0) starts.push(outcome.result.timing.sandboxStartMs);
      else boot = performance.now() - began; // the first takes the execution's worker from the pool
    }
  } finally {
    await sandbox.close();
  }
  line('ts cell sandbox start, workspace host (warm worker)', starts, 50);
  line('first ts cell of an execution (worker from the warm pool)', [boot]);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'almready-bench-notebooks-'));
let core: HeadlessCore | null = null;
try {
  const config = loadConfig({ ...process.env, ALMREADY_DATA_DIR: dataDir, ALMREADY_LOG_LEVEL: 'warn' });
  core = openHeadless(config, pino({ level: 'warn' }, pino.destination(2)));
  const created = await createUser(core.deps.db, { username: 'bench', password: generatePassword(), role: 'admin' });
  if (!created.ok) throw new Error(created.message);
  const parsed = parseNotebookText(readFileSync(path.join(here, '../notebooks/examples/irrbb-report.md'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  const report = parsed.document;
  console.log(`   report notebook: notebooks/examples/irrbb-report.md (${report.cells.length} cells)`);

  let t = performance.now();
  if (!ONLY_DEMO) {
    const big = await workspaceWith(core, created.user, 'Bench book', POSITIONS, AS_OF, 7);
    console.log(`   set-up: ${POSITIONS.toLocaleString('en-US')} positions written and imported in ${fmt(performance.now() - t)}`);
    await benchSql(big);
    await benchReport(big, report, `report notebook, ${POSITIONS.toLocaleString('en-US')} positions`, 8000, 300);
    await benchSandboxStart(big);
    t = performance.now();
  }
  const demo = await workspaceWith(core, created.user, 'Demo book', DEMO_POSITIONS, DEMO_AS_OF, 42);
  console.log(`   set-up: demo dataset (${DEMO_POSITIONS.toLocaleString('en-US')} positions) imported in ${fmt(performance.now() - t)}`);
  await benchReport(demo, report, `report notebook, demo dataset`, 3000);
} finally {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
}
