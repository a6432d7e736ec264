/**
 * `almready run` on a real data directory while a real server runs on it: a stored notebook of
 * input, SQL, ts (alm.run) and Markdown cells gives the engine's own numbers (its direct
 * `analyse()` of the same dataset), `--param` changes an input and what depends on it, a failing
 * ts cell names itself and its line, bad inputs exit 2 saying what to fix, outputs are served by
 * the server's outputs route afterwards, and file mode runs on --positions/--curves/--as-of.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { runRequestSchema, toRunSettings } from '@almready/contracts';
import { analyse, buildCurveSet, defaultSettings } from '@almready/engine';
import { insertRun } from '../runs/repository.ts';
import { loadDataset } from '../data/datasets/index.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { AS_OF, createTeam, uploadDataset, type Team } from '../workspaces/test-fixtures.ts';
import { main } from './main.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = path.join(repoRoot, 'backend/src/data/datasets/fixtures');

const QUANT = [
  'const r = alm.run({ tier1 }) as any;',
  'export const eve_up = r.eve.parallel_up.value;',
  'export const worst = Math.min(...Object.values(r.eve).map((s: any) => s.delta));',
  'export const worst_ratio = worst / tier1;',
  'export const eur_count = by_ccy.rows(10).filter((x: any) => x.currency === "EUR").reduce((s: number, x: any) => s + x.n, 0);',
].join('\n');

const CELLS = [
  { id: 'intro', kind: 'markdown', source: 'Worst ΔEVE ${worst:money} (${worst_ratio:pct} of Tier 1); ${eur_count} EUR positions.' },
  { id: 'tier1', kind: 'input', name: 'tier1', source: '{"type": "tier1", "label": "Tier 1", "default": 50000000}' },
  { id: 'by_ccy', kind: 'sql', name: 'by_ccy', source: 'SELECT currency, count(*)::INTEGER AS n FROM positions GROUP BY currency ORDER BY currency' },
  { id: 'quant', kind: 'ts', name: 'quant', source: QUANT },
];

const notebookMd = (cells: { id: string; kind: string; name?: string; source: string }[], title = 'Headless') => [
  '---', 'format: almready-notebook', 'version: 2', `title: ${title}`, '---', '',
  ...cells.map((c) => (c.kind === 'markdown' ? `<!-- cell id=${c.id} -->\n${c.source}\n` : `\`\`\`${c.kind} id=${c.id}${c.name ? ` name=${c.name}` : ''}\n${c.source}\n\`\`\`\n`)),
].join('\n');

interface Summary {
  status: string;
  executionId: string;
  notebook: { id: string; version: number };
  dataset: { id: string } | null;
  cells: { id: string; kind: string; status: string; fromCache: boolean; durationMs: number | null; scalars?: Record<string, number>; tables?: { name: string; rowCount: number }[]; message?: string; line?: number; ancestor?: string }[];
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'almready', 'run', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let t: TestServer;
let team: Team;
let did: string;
let nid: string;
let scratch: string;
const inWs = () => ['--workspace', 'ALM team', '--data-dir', t.dataDir];

beforeAll(async () => {
  t = await startTestServer();
  team = await createTeam(t);
  did = await uploadDataset(t, team.owner.token, team.wid, 150);
  const nb = await t.request('POST', `/api/workspaces/${team.wid}/notebooks`, { token: team.edit.token, body: { name: 'Headless report', content: { format: 'almready-notebook', version: 2, title: 'Headless report', cells: CELLS } } });
  expect(nb.status, JSON.stringify(nb.body)).toBe(201);
  nid = nb.body.notebook.id;
  scratch = await mkdtemp(path.join(os.tmpdir(), 'almready-run-test-'));
}, 120_000);

afterAll(async () => {
  await t?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function engineFigures(tier1: number) {
  const owner = (t.deps.db.prepare('SELECT owner_id FROM workspaces WHERE id = ?').get(team.wid) as { owner_id: string }).owner_id;
  const data = await loadDataset(path.join(workspaceDir(t.dataDir, owner, team.wid), 'datasets', did));
  const curves = buildCurveSet(data.curves);
  if (!curves.ok) throw new Error('curves');
  const result = analyse({ positions: data.positions, schedules: data.schedules, curves: curves.curves, settings: { ...defaultSettings(AS_OF), tier1 } });
  const worst = Math.min(...Object.values(result.eve.scenarios).map((s) => s.delta));
  return { eveUp: result.eve.scenarios.parallel_up!.value, worst, eur: data.meta.totals.filter((x) => x.currency === 'EUR').reduce((n, x) => n + x.count, 0) };
}

const relClose = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('almready run on a workspace', () => {
  it('runs a stored notebook by name in dependency order; its numbers are the engine\'s direct analyse() of the same data', async () => {
    const { code, out, err } = await run('Headless report', ...inWs(), '--json');
    expect(code, err).toBe(0);
    const summary = JSON.parse(out) as Summary;
    expect(summary.status).toBe('done');
    expect(summary.notebook).toEqual({ id: nid, version: 1, title: 'Headless report' });
    expect(summary.dataset?.id).toBe(did);
    // dependency order: the input and SQL before the ts cell, the Markdown reading it last
    expect(summary.cells.map((c) => c.id)).toEqual(['tier1', 'by_ccy', 'quant', 'intro']);
    expect(summary.cells.every((c) => c.status === 'done' && !c.fromCache && c.durationMs !== null)).toBe(true);
    const quant = summary.cells.find((c) => c.id === 'quant')!;
    const expected = await engineFigures(50_000_000);
    relClose(quant.scalars!.eve_up!, expected.eveUp);
    relClose(quant.scalars!.worst!, expected.worst);
    relClose(quant.scalars!.worst_ratio!, expected.worst / 50_000_000);
    expect(quant.scalars!.eur_count).toBe(expected.eur);
    expect(quant.tables!.find((x) => x.name === 'quant_gap')!.rowCount).toBe(19);
    expect(summary.cells.find((c) => c.id === 'by_ccy')!.tables).toEqual([{ name: 'by_ccy', rowCount: 2 }]);
    // progress went to stderr, one line per cell as it ended
    expect(err).toMatch(/\[3\/4\] done\s+quant ts/);
    expect(err).toContain('Finished: done (4 done)');
  }, 120_000);

  it('wrote its outputs to the workspace\'s store: the server\'s outputs route shows them, with the execution', async () => {
    const outputs = await t.request('GET', `/api/workspaces/${team.wid}/notebooks/${nid}/outputs?datasetId=${did}`, { token: team.explore.token });
    expect(outputs.status, JSON.stringify(outputs.body)).toBe(200);
    const byCell = Object.fromEntries(outputs.body.cells.map((c: { cellId: string; output: unknown }) => [c.cellId, c.output]));
    const expected = await engineFigures(50_000_000);
    relClose(byCell.quant.values.eve_up, expected.eveUp);
    expect(byCell.by_ccy.table.rowCount).toBe(2);
    expect(byCell.intro.html).toContain(`${expected.eur.toLocaleString('en-US')}</span> EUR positions`);
    expect(outputs.body.executions[0]).toMatchObject({ status: 'done', version: 1 });
    // a second headless run takes every cell from storage
    const again = JSON.parse((await run(nid, ...inWs(), '--notebook-version', '1', '--json')).out) as Summary;
    expect(again.notebook.version).toBe(1);
    expect(again.cells.map((c) => c.fromCache)).toEqual([true, true, true, true]);
  }, 120_000);

  it('--out writes the report as one self-contained HTML file: figures, tables, footer, no code and nothing that loads', async () => {
    const file = path.join(scratch, 'report.html');
    const { code, out, err } = await run(nid, ...inWs(), '--out', file, '--json');
    expect(code, err).toBe(0);
    expect((JSON.parse(out) as { report: string }).report).toBe(file);
    const html = readFileSync(file, 'utf8');
    const expected = await engineFigures(50_000_000);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`${expected.eur.toLocaleString('en-US')}</span> EUR positions`);
    expect(html).toContain('<td>EUR</td>');
    expect(html).toContain('Headless report · version 1');
    expect(html).toMatch(/content hash <code>sha256:[0-9a-f]{64}<\/code>/);
    expect(html).not.toContain('alm.run');
    expect(html).not.toContain('GROUP BY');
    expect(html).not.toMatch(/<script|<link|src="http/i);
    expect(err).toContain(`Report written to ${file}`);
    // a failed execution writes no report
    const failing = path.join(scratch, 'fails.md');
    await writeFile(failing, notebookMd([{ id: 'bad', kind: 'ts', name: 'bad', source: 'throw new Error("no");' }]));
    const none = path.join(scratch, 'none.html');
    const failed = await run(failing, ...inWs(), '--out', none);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain(`no report written to ${none}: the execution failed`);
    expect(existsSync(none)).toBe(false);
    const noFolder = await run(nid, ...inWs(), '--out', path.join(scratch, 'missing', 'r.html'));
    expect(noFolder.code).toBe(2);
    expect(noFolder.err).toContain('does not exist');
  }, 120_000);

  it('leaves the server\'s running runs and executions alone (the server owns the data directory)', async () => {
    const db = t.deps.db;
    const runId = randomUUID();
    const executionId = randomUUID();
    insertRun(db, { id: runId, workspaceId: team.wid, datasetId: did, settings: toRunSettings(runRequestSchema.parse({ datasetId: did })), userId: team.owner.id, now: new Date().toISOString() });
    db.prepare("INSERT INTO notebook_executions (id, workspace_id, notebook_id, version, started_by, started_at, status) VALUES (?, ?, ?, 1, ?, ?, 'running')").run(executionId, team.wid, nid, team.owner.id, Date.now());
    try {
      const { code, err } = await run(nid, ...inWs());
      expect(code, err).toBe(0);
      expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status).toBe('queued');
      expect((db.prepare('SELECT status FROM notebook_executions WHERE id = ?').get(executionId) as { status: string }).status).toBe('running');
    } finally {
      db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      db.prepare('DELETE FROM notebook_executions WHERE id = ?').run(executionId);
    }
  }, 120_000);

  it('--param sets an input cell: the input, the run and the figures reading it change', async () => {
    const { code, out, err } = await run(nid, ...inWs(), '--param', 'tier1=20000000', '--json');
    expect(code, err).toBe(0);
    const summary = JSON.parse(out) as Summary;
    expect(summary.cells.find((c) => c.id === 'tier1')!.scalars).toEqual({ value: 20_000_000 });
    const quant = summary.cells.find((c) => c.id === 'quant')!;
    expect(quant.fromCache).toBe(false);
    const expected = await engineFigures(20_000_000);
    relClose(quant.scalars!.worst_ratio!, expected.worst / 20_000_000);
    relClose(quant.scalars!.worst!, expected.worst);
    // the SQL cell does not read tier1: it comes from storage
    expect(summary.cells.find((c) => c.id === 'by_ccy')!.fromCache).toBe(true);
  }, 120_000);

  it('a failing ts cell exits 1 naming the cell and its line; what reads it is blocked, the rest ran', async () => {
    const file = path.join(scratch, 'failing.md');
    await writeFile(file, notebookMd([
      { id: 'by_ccy', kind: 'sql', name: 'by_ccy', source: CELLS[2]!.source },
      { id: 'bad', kind: 'ts', name: 'bad', source: 'const rows = by_ccy.rows(10);\nif (rows.length > 0) throw new Error("the book is not empty");\nexport const k = rows.length;' },
      { id: 'after', kind: 'markdown', source: 'k is ${k}' },
    ]));
    const { code, out, err } = await run(file, ...inWs());
    expect(code).toBe(1);
    // line 2 of the cell is line 13 of the file: 5 header lines, a blank, the SQL cell (3 lines) and a blank, then the fence
    expect(err).toContain('almready: cell "bad" (ts) failed at line 2, column 37 (failing.md:13)');
    expect(err).toContain('the book is not empty');
    expect(out).toMatch(/FAILED\s+bad ts/);
    expect(out).toMatch(/blocked\s+after markdown/);
    expect(out).toMatch(/done\s+by_ccy sql/);
    const json = JSON.parse((await run(file, ...inWs(), '--json')).out) as Summary;
    expect(json.status).toBe('failed');
    expect(json.cells.find((c) => c.id === 'bad')).toMatchObject({ status: 'failed', line: 2 });
    expect(json.cells.find((c) => c.id === 'after')).toMatchObject({ status: 'blocked', ancestor: 'bad' });
  }, 120_000);

  it('bad inputs exit 2 and say what to fix, before anything runs', async () => {
    const executions = () => (t.deps.db.prepare('SELECT count(*) AS n FROM notebook_executions').get() as { n: number }).n;
    const before = executions();
    const unknownWs = await run(nid, '--workspace', 'No such team', '--data-dir', t.dataDir);
    expect(unknownWs.code).toBe(2);
    expect(unknownWs.err).toContain('is no workspace of');
    expect(unknownWs.err).toContain(`"ALM team" (${team.wid}, owner owner)`);
    const unknownParam = await run(nid, ...inWs(), '--param', 'tier_one=5');
    expect(unknownParam.code).toBe(2);
    expect(unknownParam.err).toContain('there is no input named "tier_one" (the notebook\'s inputs: tier1)');
    const badValue = await run(nid, ...inWs(), '--param', 'tier1=lots');
    expect(badValue.code).toBe(2);
    expect(badValue.err).toMatch(/input "tier1": .*number/);
    const noEquals = await run(nid, ...inWs(), '--param', 'tier1');
    expect(noEquals.code).toBe(2);
    expect(noEquals.err).toContain('write it name=value');
    const unknownDataset = await run(nid, ...inWs(), '--dataset', 'Big book');
    expect(unknownDataset.code).toBe(2);
    expect(unknownDataset.err).toContain(`is no dataset of workspace "ALM team" (its datasets: "Small book" (${did}`);
    const unknownNotebook = await run('Quarterly', ...inWs());
    expect(unknownNotebook.code).toBe(2);
    expect(unknownNotebook.err).toContain(`its notebooks: "Headless report" (${nid})`);
    const noVersion = await run(nid, ...inWs(), '--notebook-version', '7');
    expect(noVersion.code).toBe(2);
    expect(noVersion.err).toContain('notebook "Headless report" has versions 1 to 1');
    const badVersion = await run(nid, ...inWs(), '--notebook-version', 'latest');
    expect(badVersion.code).toBe(2);
    expect(badVersion.err).toContain('must be a saved version number');
    const broken = path.join(scratch, 'broken.md');
    await writeFile(broken, '---\nformat: almready-notebook\nversion: 2\n---\n\n```sql id=a\nSELECT 1\n');
    const unparsable = await run(broken, ...inWs());
    expect(unparsable.code).toBe(2);
    expect(unparsable.err).toContain('does not parse as a notebook');
    const notData = await run(nid, '--workspace', 'ALM team', '--data-dir', scratch);
    expect(notData.code).toBe(2);
    expect(notData.err).toContain('is not an ALMReady data directory (no almready.db)');
    const neither = await run(nid);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('name the workspace (id or name)');
    expect(executions()).toBe(before);
  }, 60_000);
});

describe('almready run on files', () => {
  const files = ['--positions', path.join(fixtures, 'positions-basic.csv'), '--curves', path.join(fixtures, 'curves-long.csv'), '--as-of', '2024-06-30'];
  const leftovers = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith('almready-run-') && !f.startsWith('almready-run-test-'));

  it('imports the files into a throw-away workspace, runs, gives `almready calc`\'s numbers and removes the directory', async () => {
    const file = path.join(scratch, 'files.md');
    await writeFile(file, notebookMd(CELLS));
    const before = leftovers();
    const report = path.join(scratch, 'files.html');
    const { code, out, err } = await run(file, ...files, '--param', 'tier1=50000', '--json', '--out', report);
    expect(code, err).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('positions-basic.csv');
    const summary = JSON.parse(out) as Summary & { workspace: unknown };
    expect(summary.status).toBe('done');
    expect(summary.workspace).toBeNull();
    const calc = await main(['node', 'almready', 'calc', ...files, '--tier1', '50000', '--json'], { out: (s) => calcOut.push(s), err: () => undefined });
    expect(calc).toBe(0);
    const result = JSON.parse(calcOut.join('')) as { eve: { scenarios: Record<string, { value: number; delta: number }> } };
    const quant = summary.cells.find((c) => c.id === 'quant')!;
    relClose(quant.scalars!.eve_up!, result.eve.scenarios.parallel_up!.value);
    relClose(quant.scalars!.worst!, Math.min(...Object.values(result.eve.scenarios).map((s) => s.delta)));
    expect(leftovers()).toEqual(before);
  }, 120_000);
  const calcOut: string[] = [];

  it('refuses bad data with the import\'s report (exit 1) and bad options with exit 2', async () => {
    const file = path.join(scratch, 'files.md');
    const refused = await run(file, '--positions', path.join(fixtures, 'positions-errors.csv'), '--curves', path.join(fixtures, 'curves-long.csv'), '--as-of', '2024-06-30');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('almready: the input was refused');
    const noCurves = await run(file, '--positions', path.join(fixtures, 'positions-basic.csv'), '--as-of', '2024-13-01');
    expect(noCurves.code).toBe(2);
    expect(noCurves.err).toContain('a run on files needs the curves file');
    expect(noCurves.err).toContain('must be a real date yyyy-mm-dd');
    const both = await run(file, ...files, '--workspace', 'ALM team');
    expect(both.code).toBe(2);
    expect(both.err).toContain('is for runs on files');
  }, 60_000);

  it('runs from the compiled CLI (backend/dist) the same way', () => {
    const bin = path.join(repoRoot, 'backend/bin/almready.mjs');
    const almready = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, ALMREADY_DEV: '' }, encoding: 'utf8', timeout: 180_000 });
    if (!almready(['--version']).stdout.includes('(compiled)')) {
      const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
      expect(build.status, build.stderr).toBe(0);
    }
    expect(almready(['--version']).stdout).toContain('(compiled)');
    const compiled = almready(['run', path.join(scratch, 'files.md'), ...files, '--param', 'tier1=50000', '--json']);
    expect(compiled.status, compiled.stderr).toBe(0);
    const summary = JSON.parse(compiled.stdout) as Summary;
    const result = JSON.parse(calcOut.join('')) as { eve: { scenarios: Record<string, { value: number }> } };
    relClose(summary.cells.find((c) => c.id === 'quant')!.scalars!.eve_up!, result.eve.scenarios.parallel_up!.value);
  }, 240_000);
});
