/**
 * `ts` cells in the real sandbox with the workspace host, on a real server's services: positions
 * read through the locked-down instance with bound parameters, `alm.run` through the run service
 * (an audited run row), a rebuilt parallel_up giving the built-in EVE and NII to 1e-9, its tables
 * readable by a later SQL cell as `<cell>_eve`; every reach into another workspace fails cleanly.
 */
import { existsSync } from 'node:fs';
import { cprMultiplier, tdrrMultiplier } from '@almready/engine';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TS_CELL_LIMITS } from '../config.ts';
import { runServiceFor } from '../runs/service.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { AS_OF, member, syntheticFiles, uploadDataset, type Member } from '../workspaces/test-fixtures.ts';
import { createNotebookHost, type NotebookCellDeps, type NotebookHost } from './notebook-host.ts';
import { resultRef, type StoredTableRef } from './stored-tables.ts';
import type { CellResult } from './ts-sandbox/cell-result.ts';
import { TsSandbox } from './ts-sandbox/sandbox.ts';
import { WorkspaceAlmHost } from './workspace-host.ts';

let t: TestServer;
let rita: Member;
let mallory: Member;
let sandbox: TsSandbox;
let deps: NotebookCellDeps;
const ws = { a: { id: '', dir: '', did: '' }, b: { id: '', dir: '', did: '' } };
let host: NotebookHost;
let hostB: NotebookHost;
let withBehaviour = '';
let undone = '';
const key = (n: number) => n.toString(16).padEnd(64, 'c');

function ok(result: CellResult) {
  if (!result.ok) throw new Error(`cell failed: ${JSON.stringify(result.error)}`);
  return result;
}
function failed(result: CellResult) {
  if (result.ok) throw new Error(`cell succeeded: ${JSON.stringify(result.outputs)}`);
  return result.error;
}
/**
 * The engine scales prepayment (CPR) and term-deposit redemption (TDRR) by the scenario (methodology
 * §5: ×0.8 / ×1.2 for parallel_up …); the first equality test uses a book without behavioural
 * rates, where the shock alone decides the answer; the behaviour test uses the book with them.
 */
async function uploadWithoutBehaviour(token: string, wid: string, positions: number): Promise<string> {
  return uploadWithRates(token, wid, positions, 'Book without behaviour', () => '');
}

/** The synthetic book with each cpr and tdrr cell (decimal) passed through `rate`. */
async function uploadWithRates(token: string, wid: string, positions: number, name: string, rate: (value: number, column: 'cpr' | 'tdrr') => string): Promise<string> {
  const files = await syntheticFiles(positions);
  const split = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1] ?? '');
  const lines = files.positions.toString('utf8').split('\n');
  const header = split(lines[0]!);
  const blank = ['cpr', 'tdrr'].map((c) => header.indexOf(c));
  if (blank.some((i) => i < 0)) throw new Error(`no cpr/tdrr column in ${header.join(',')}`);
  const column = (i: number) => (i === blank[0] ? 'cpr' : 'tdrr');
  const csv = lines.map((line, n) => (n === 0 || line === '' ? line : split(line).map((f, i) => (blank.includes(i) && f !== '' ? rate(Number(f), column(i)) : f)).join(','))).join('\n');
  const form = new FormData();
  form.set('name', name);
  form.set('as_of', AS_OF);
  form.set('positions', new Blob([csv]), 'positions.csv');
  form.set('curves', new Blob([new Uint8Array(files.curves)]), 'curves.csv');
  form.set('schedules', new Blob([new Uint8Array(files.schedules)]), 'schedules.csv');
  const res = await t.request('POST', `/api/workspaces/${wid}/datasets`, { token, body: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body.dataset.id as string;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

beforeAll(async () => {
  t = await startTestServer();
  [rita, mallory] = await Promise.all([member(t, 'rita'), member(t, 'mallory')]);
  for (const [name, who] of [['a', rita], ['b', mallory]] as const) {
    const id = (await t.request('POST', '/api/workspaces', { token: who.token, body: { name: `Book ${name}` } })).body.workspace.id as string;
    ws[name] = { id, dir: join(t.dataDir, 'workspaces', who.id, id), did: name === 'a' ? await uploadWithoutBehaviour(who.token, id, 120) : await uploadDataset(t, who.token, id, 30) };
  }
  // the same book with its prepayment and redemption rates, and with them divided by parallel_up's multipliers
  withBehaviour = await uploadWithRates(rita.token, ws.a.id, 120, 'Book with behaviour', (x) => String(x));
  undone = await uploadWithRates(rita.token, ws.a.id, 120, 'Book with rates undone', (x, column) => String(x / (column === 'cpr' ? cprMultiplier('parallel_up') : tdrrMultiplier('parallel_up'))));
  sandbox = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: 60_000 });
  await sandbox.warm();
  deps = { queries: t.deps.queries, runs: runServiceFor(t.deps), db: t.deps.db, audit: t.deps.audit, sandbox };
  host = createNotebookHost(deps, { workspace: { id: ws.a.id, dir: ws.a.dir }, user: { id: rita.id }, datasetId: ws.a.did });
  hostB = createNotebookHost(deps, { workspace: { id: ws.b.id, dir: ws.b.dir }, user: { id: mallory.id }, datasetId: ws.b.did });
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  await t?.stop();
});

describe('ts cells on the workspace host', () => {
  let eveTable: StoredTableRef;

  it('read positions with bound parameters, rebuild parallel_up with alm.scenario and get the engine\'s EVE and NII through an audited run', async () => {
    const byCcy = await host.runSql({ name: 'by_ccy', source: 'SELECT currency, count(*)::INTEGER AS n, sum(notional) AS total FROM positions GROUP BY currency ORDER BY currency', cacheKey: key(1) }, {});
    if (!byCcy.ok) throw new Error(JSON.stringify(byCcy.error));
    const source = [
      'const evil = "EUR\' OR \'1\'=\'1";',
      'export const injected = alm.sql`SELECT count(*)::INTEGER AS n FROM positions WHERE currency = ${evil}`.rows(1)[0].n;',
      'export const dropped = alm.sql`SELECT count(*)::INTEGER AS n FROM positions WHERE currency = ${"x\'; DROP VIEW positions; --"}`.rows(1)[0].n;',
      'export const eurCount = alm.sql`SELECT count(*)::INTEGER AS n FROM positions WHERE currency = ${"EUR"} AND notional > ${0}`.rows(1)[0].n;',
      'export const groups = by_ccy.count();',
      'export const fromTable = alm.table("by_ccy").rows(10).map((r: any) => r.currency);',
      'export const ds = alm.dataset();',
      'export const curvePoints = alm.curves().length;',
      'const ccys = [...new Set([...alm.sql`SELECT DISTINCT currency FROM positions`.rows(100).map((r: any) => r.currency as string), ...alm.curves().flatMap((c) => (c.currency ? [c.currency] : []))])];',
      'const size: Record<string, number> = {};',
      'for (const c of ccys) size[c] = alm.bcbs(c).parallel;',
      'const up = alm.scenario("my_up", (t, ccy) => size[ccy]);',
      'const r = alm.run({ scenarios: ["parallel_up", up], tier1: 5e6 }) as any;',
      'export const eve = r.eve;',
      'export const nii = r.nii;',
      'export const runId = r.runId;',
      'export const eveRows = r.tables.eve.rows(10).length;',
      'export const eveTable = r.tables.eve;',
    ].join('\n');
    const out = await host.runTs({ name: 'quant', source, cacheKey: key(2) }, { values: { by_ccy: { $almTable: byCcy.result.table } }, tables: { by_ccy: byCcy.result } });
    const o = ok(out.result).outputs as Record<string, any>;
    const expectedEur = (byCcy.result.firstPage.rows.find((r) => r.currency === 'EUR')?.n as number) ?? 0;
    expect(o.injected).toBe(0);
    expect(o.dropped).toBe(0);
    expect(o.eurCount).toBe(expectedEur);
    expect(expectedEur).toBeGreaterThan(0);
    expect(o.groups).toBe(byCcy.result.rowCount);
    expect(o.fromTable).toEqual(byCcy.result.firstPage.rows.map((r) => r.currency));
    expect(o.ds).toMatchObject({ id: ws.a.did, asOf: '2025-06-30', positions: 120 });
    expect(o.curvePoints).toBeGreaterThan(3);
    // the custom scenario is the built-in one, to 1e-9 relative
    expect(Math.abs(o.eve.parallel_up.delta)).toBeGreaterThan(1);
    expect(relative(o.eve.my_up.value, o.eve.parallel_up.value)).toBeLessThanOrEqual(1e-9);
    expect(relative(o.eve.my_up.delta, o.eve.parallel_up.delta)).toBeLessThanOrEqual(1e-9);
    expect(relative(o.nii.my_up.value, o.nii.parallel_up.value)).toBeLessThanOrEqual(1e-9);
    expect(relative(o.nii.my_up.delta, o.nii.parallel_up.delta)).toBeLessThanOrEqual(1e-9);
    expect(o.eveRows).toBe(3);
    expect(out.reads).toEqual(['by_ccy']);
    // the run is a real run of the workspace, audited
    expect(out.runIds).toEqual([o.runId]);
    const run = await t.request('GET', `/api/workspaces/${ws.a.id}/runs/${o.runId}`, { token: rita.token });
    expect(run.body.run).toMatchObject({ status: 'done', datasetId: ws.a.did, settings: { scenarios: ['parallel_up', 'my_up'], customScenarios: [{ id: 'my_up', floorable: true, rampMonths: 0 }] } });
    // the run row records the samples on the grid's horizon, not 12,000 times per scenario
    expect(JSON.stringify(run.body.run.settings).length).toBeLessThan(150_000);
    const audit = t.deps.db.prepare("SELECT user_id, workspace_id, detail_json FROM audit_events WHERE action = 'run.start'").all() as { user_id: string; workspace_id: string; detail_json: string }[];
    expect(audit.map((a) => [a.user_id, a.workspace_id, JSON.parse(a.detail_json).runId])).toContainEqual([rita.id, ws.a.id, o.runId]);
    // its tables are exposed to later cells as quant_eve, quant_nii, …
    expect(Object.keys(out.produced).sort()).toEqual(['quant_eve', 'quant_eve_by_bucket', 'quant_eve_by_currency', 'quant_eve_by_product', 'quant_gap', 'quant_gap_by_currency', 'quant_nii', 'quant_nii_by_currency', 'quant_nii_profile']);
    eveTable = out.produced.quant_eve!;
    expect(out.tables[o.eveTable.$almTable]).toEqual(eveTable);
    const later = await host.runSql({ name: 'deltas', source: "SELECT scenario, delta_eve FROM quant_eve WHERE scenario <> 'base' ORDER BY scenario", cacheKey: key(3) }, { quant_eve: eveTable });
    if (!later.ok) throw new Error(JSON.stringify(later.error));
    expect(later.result.firstPage.rows).toEqual([{ scenario: 'my_up', delta_eve: o.eve.my_up.delta }, { scenario: 'parallel_up', delta_eve: o.eve.parallel_up.delta }]);
  }, 180_000);

  it('a custom scenario takes the behaviour it names: parallel_up rebuilt with parallel_up\'s (or the derived default) is the built-in one to 1e-9 on a book with prepayment and redemption; neutral is the built-in one on rates without its multipliers', async () => {
    const cell = (datasetId: string) => createNotebookHost(deps, { workspace: { id: ws.a.id, dir: ws.a.dir }, user: { id: rita.id }, datasetId });
    const source = [
      'export const rates = alm.sql`SELECT count(*) FILTER (WHERE cpr > 0 AND side = ${"asset"})::INTEGER AS cpr, count(*) FILTER (WHERE tdrr > 0 AND side = ${"liability"})::INTEGER AS tdrr FROM positions`.rows(1)[0];',
      'const ccys = [...new Set([...alm.sql`SELECT DISTINCT currency FROM positions`.rows(100).map((r: any) => r.currency as string), ...alm.curves().flatMap((c) => (c.currency ? [c.currency] : []))])];',
      'const size: Record<string, number> = {};',
      'for (const c of ccys) size[c] = alm.bcbs(c).parallel;',
      'const same = alm.scenario("up_same", (t, ccy) => size[ccy], { behaviour: "parallel_up" });',
      'const derived = alm.scenario("up_derived", (t, ccy) => size[ccy]);',
      'const neutral = alm.scenario("up_neutral", (t, ccy) => size[ccy], { behaviour: "neutral" });',
      'const r = alm.run({ scenarios: ["parallel_up", same, derived, neutral] }) as any;',
      'export const eve = r.eve;',
      'export const nii = r.nii;',
      'export const runId = r.runId;',
    ].join('\n');
    const out = await cell(withBehaviour).runTs({ name: 'behaviour', source, cacheKey: key(20) }, { values: {}, tables: {} });
    const o = ok(out.result).outputs as Record<string, any>;
    expect(o.rates.cpr).toBeGreaterThan(10);
    expect(o.rates.tdrr).toBeGreaterThan(3);
    for (const id of ['up_same', 'up_derived']) {
      expect(relative(o.eve[id].value, o.eve.parallel_up.value), id).toBeLessThanOrEqual(1e-9);
      expect(relative(o.eve[id].delta, o.eve.parallel_up.delta), id).toBeLessThanOrEqual(1e-9);
      expect(relative(o.nii[id].value, o.nii.parallel_up.value), id).toBeLessThanOrEqual(1e-9);
      expect(relative(o.nii[id].delta, o.nii.parallel_up.delta), id).toBeLessThanOrEqual(1e-9);
    }
    // neutral: the contractual rates, so not the built-in figure on this book…
    expect(relative(o.eve.up_neutral.value, o.eve.parallel_up.value)).toBeGreaterThan(1e-7);
    expect(relative(o.nii.up_neutral.value, o.nii.parallel_up.value)).toBeGreaterThan(1e-7);
    // …but the built-in parallel_up on the rates divided by its multipliers (×0.8 CPR, ×1.2 TDRR)
    const check = await cell(undone).runTs({ name: 'undone', source: 'const r = alm.run({ scenarios: ["parallel_up"] }) as any;\nexport const eve = r.eve;\nexport const nii = r.nii;', cacheKey: key(21) }, { values: {}, tables: {} });
    const u = ok(check.result).outputs as Record<string, any>;
    expect(relative(o.eve.up_neutral.value, u.eve.parallel_up.value)).toBeLessThanOrEqual(1e-9);
    expect(relative(o.nii.up_neutral.value, u.nii.parallel_up.value)).toBeLessThanOrEqual(1e-9);
    // the run records the behaviour each custom scenario ran with
    const run = await t.request('GET', `/api/workspaces/${ws.a.id}/runs/${o.runId}`, { token: rita.token });
    expect(run.body.run.settings.customScenarios.map((c: { id: string; behaviour: string }) => [c.id, c.behaviour])).toEqual([['up_same', 'parallel_up'], ['up_derived', 'parallel_up'], ['up_neutral', 'neutral']]);
  }, 240_000);

  it('reaching another workspace fails cleanly: table names, handles, paths, dataset ids', async () => {
    const theirs = await hostB.runSql({ name: 'secret', source: 'SELECT position_id, notional FROM positions', cacheKey: key(4) }, {});
    if (!theirs.ok) throw new Error(JSON.stringify(theirs.error));
    const theirFile = join(ws.b.dir, theirs.result.file);
    const cells = [
      ['alm.table("secret");', 'no table "secret" among this notebook\'s earlier results'],
      [`alm.table(${JSON.stringify(theirs.result.table)});`, 'no table'],
      [`alm.sql\`SELECT * FROM ${theirs.result.table}\`;`, 'does not exist'],
      [`alm.sql\`SELECT * FROM read_parquet('${theirFile}')\`;`, 'may read only the tables of this workspace'],
      [`alm.sql\`SELECT * FROM read_parquet('${join(ws.a.dir, '..', '..', mallory.id, ws.b.id, theirs.result.file)}')\`;`, 'may read only the tables of this workspace'],
      [`alm.sql\`ATTACH '${join(ws.b.dir, 'x.db')}' AS x\`;`, 'only reads data'],
      ['alm.sql`SELEC 1`;', 'Syntax error'],
      [`alm.run({ scenarios: ["parallel_up"], datasetId: ${JSON.stringify(ws.b.did)} } as any);`, 'datasetId'],
      [`alm.run({ scenarios: ["parallel_up"], workspaceId: ${JSON.stringify(ws.b.id)} } as any);`, 'workspaceId'],
      [`alm.table(${JSON.stringify(`../../${mallory.id}/${ws.b.id}/${theirs.result.file}`)});`, 'no table'],
    ] as const;
    for (const [line, message] of cells) {
      const e = failed((await host.runTs({ name: 'probe', source: `const x = 1;\n${line}`, cacheKey: key(5) }, { values: {}, tables: {} })).result);
      expect(e.kind).toBe('runtime');
      expect(e.message).toContain(message);
      expect(e.message).not.toContain(ws.b.dir);
    }
    // a forged handle: a value naming their table id is not a table this cell was given
    const forged = failed((await host.runTs({ name: 'probe', source: 'export const n = (stolen as any).count();', cacheKey: key(6) }, { values: { stolen: { $almTable: theirs.result.table } }, tables: {} })).result);
    expect(forged.message).toContain(theirs.result.table);
    // a reference to their file, handed in as if it were ours, is not found here
    const smuggled = await host.runSql({ name: 'copy', source: 'SELECT * FROM secret', cacheKey: key(7) }, { secret: { table: theirs.result.table, file: `../../${mallory.id}/${ws.b.id}/${theirs.result.file}` } });
    expect(smuggled).toMatchObject({ ok: false, error: { kind: 'not_found', status: 404 } });
    await expect(host.page({ table: theirs.result.table, file: theirFile }, { startRow: 0, endRow: 10 })).rejects.toMatchObject({ status: 404 });
    // a host on their dataset id in our workspace finds no such dataset
    const wrongDataset = createNotebookHost(deps, { workspace: { id: ws.a.id, dir: ws.a.dir }, user: { id: rita.id }, datasetId: ws.b.did });
    expect(await wrongDataset.runSql({ name: 'x', source: 'SELECT count(*) FROM positions', cacheKey: key(8) }, {})).toMatchObject({ ok: false, error: { kind: 'not_found', status: 404 } });
    expect(failed((await wrongDataset.runTs({ name: 'x', source: 'export const d = alm.dataset();', cacheKey: key(9) }, { values: {}, tables: {} })).result).message).toContain('does not exist in this workspace');
    // nothing was written in either workspace
    expect(existsSync(join(ws.a.dir, resultRef(key(7)).file))).toBe(false);
    expect(existsSync(join(ws.a.dir, resultRef(key(8)).file))).toBe(false);
  }, 60_000);

  it('alm.sql in a loop: each query stored once per distinct parameter, equal to the SQL cell\'s answer; reads by name are reported', async () => {
    const sides = await host.runSql({ name: 'sides', source: 'SELECT side, count(*)::INTEGER AS n FROM positions GROUP BY side', cacheKey: key(16) }, {});
    if (!sides.ok) throw new Error(JSON.stringify(sides.error));
    const source = [
      'const out: Record<string, number> = {};',
      'for (let i = 0; i < 20; i++) {',
      '  const side = i % 2 === 0 ? "asset" : "liability";',
      '  out[side] = alm.sql`SELECT count(*)::INTEGER AS n FROM positions WHERE side = ${side}`.rows(1)[0].n;',
      '}',
      'export const counts = out;',
      'export const viaSql = alm.sql`SELECT sum(n)::INTEGER AS n FROM SIDES`.rows(1)[0].n;',
    ].join('\n');
    const started = Date.now();
    const r = await host.runTs({ name: 'loop', source, cacheKey: key(15) }, { values: {}, tables: { sides: sides.result, by_ccy: resultRef(key(1)) } });
    const ms = Date.now() - started;
    const o = ok(r.result).outputs as { counts: Record<string, number>; viaSql: number };
    expect(o.counts).toEqual(Object.fromEntries(sides.result.firstPage.rows.map((row) => [row.side, row.n])));
    expect(o.viaSql).toBe(120);
    // the two given tables, two distinct count queries, the sum
    expect(Object.keys(r.tables)).toHaveLength(5);
    expect(r.reads).toEqual(['sides']);
    console.log(`21 alm.sql calls (3 distinct) in one cell: ${ms} ms end to end`);
  }, 60_000);

  it('limits the alm.run calls one user has going at once', async () => {
    const scope = { workspaceId: ws.a.id, workspaceDir: ws.a.dir, userId: rita.id, datasetId: ws.a.did };
    const limited = { ...deps, runsPerUser: 1 };
    const first = new WorkspaceAlmHost(limited, scope, { name: 'one', cacheKey: key(10) }, {});
    const second = new WorkspaceAlmHost(limited, scope, { name: 'two', cacheKey: key(11) }, {});
    const other = new WorkspaceAlmHost(limited, { ...scope, workspaceId: ws.b.id, workspaceDir: ws.b.dir, userId: mallory.id, datasetId: ws.b.did }, { name: 'three', cacheKey: key(12) }, {});
    const running = first.run({ scenarios: ['parallel_up'] });
    await expect(second.run({ scenarios: ['parallel_up'] })).rejects.toThrow('alm.run: you already have 1 engine runs going (at most 1 at once); wait for them to finish');
    const [mine, theirs] = await Promise.all([running, other.run({ scenarios: ['parallel_up'] })]);
    expect(mine).toMatchObject({ eve: { parallel_up: { delta: expect.any(Number) } } });
    expect(theirs).toMatchObject({ eve: { parallel_up: { delta: expect.any(Number) } } });
    // the slot is free again
    expect(await second.run({ scenarios: ['parallel_down'] })).toMatchObject({ eve: { parallel_down: { delta: expect.any(Number) } } });
  }, 120_000);

  it('cancelling the cell cancels its engine run: the run row says cancelled and keeps no results', async () => {
    const controller = new AbortController();
    const scope = { workspaceId: ws.a.id, workspaceDir: ws.a.dir, userId: rita.id, datasetId: ws.a.did, signal: controller.signal };
    const cell = new WorkspaceAlmHost(deps, scope, { name: 'stopped', cacheKey: key(13) }, {});
    const running = cell.run({ scenarios: ['parallel_up', 'parallel_down', 'steepener'] });
    controller.abort();
    await expect(running).rejects.toThrow('alm.run: the run was cancelled');
    const rows = t.deps.db.prepare("SELECT id, status FROM runs WHERE workspace_id = ? AND settings_json LIKE '%steepener%'").all(ws.a.id) as { id: string; status: string }[];
    expect(rows[0]?.status).toBe('cancelled');
    expect(existsSync(join(ws.a.dir, 'runs', rows[0]!.id))).toBe(false);
    expect(cell.produced).toEqual({});
    // cancelled the instant a warm worker takes it (inside its native dataset load): the process survives
    for (let i = 0; i < 6; i++) {
      const stop = new AbortController();
      const quick = new WorkspaceAlmHost(deps, { ...scope, signal: stop.signal }, { name: `quick${i}`, cacheKey: key(30 + i) }, {});
      const pending = quick.run({ scenarios: ['parallel_up'] });
      stop.abort();
      await expect(pending).rejects.toThrow('alm.run: the run was cancelled');
      await new Promise((r) => setTimeout(r, 20 * i));
    }
    const after = new WorkspaceAlmHost(deps, { ...scope, signal: undefined }, { name: 'after', cacheKey: key(40) }, {});
    expect(await after.run({ scenarios: ['parallel_up'] })).toMatchObject({ eve: { parallel_up: { delta: expect.any(Number) } } });
    // and a ts cell whose signal fires is stopped in the sandbox too
    const late = new AbortController();
    const cellHost = createNotebookHost(deps, { workspace: { id: ws.a.id, dir: ws.a.dir }, user: { id: rita.id }, datasetId: ws.a.did, signal: late.signal });
    const pending = cellHost.runTs({ name: 'spin', source: 'let i = 0;\nwhile (true) i++;', cacheKey: key(14) }, { values: {}, tables: {} });
    setTimeout(() => late.abort(), 300);
    expect(failed((await pending).result).kind).toBe('cancelled');
  }, 60_000);
});
