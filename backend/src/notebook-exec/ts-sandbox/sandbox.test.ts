import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TS_CELL_LIMITS } from '../../config.ts';
import type { CellResult } from './cell-result.ts';
import { TsSandbox } from './sandbox.ts';
import { TestAlmHost } from './test-host.ts';

let sandbox: TsSandbox;
let host: TestAlmHost;
beforeAll(async () => {
  host = await TestAlmHost.create();
  sandbox = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: 10_000 });
  await sandbox.warm();
});
afterAll(async () => {
  await sandbox.close();
  host.close();
});

const run = (source: string, inputs = {}) => sandbox.run({ source, inputs }, host);
function ok(result: CellResult) {
  if (!result.ok) throw new Error(`cell failed: ${JSON.stringify(result.error)}`);
  return result;
}
function failed(result: CellResult) {
  if (result.ok) throw new Error(`cell succeeded: ${JSON.stringify(result.outputs)}`);
  return result.error;
}

describe('ts cell semantics', () => {
  it('exported top-level names are the outputs, other names stay local; console lines are captured by level', async () => {
    const r = ok(await run([
      'const rate: number = 0.02;',
      'function grow(x: number): number { return x * (1 + rate); }',
      'export const value = grow(100);',
      'export const table = [{ a: 1, b: "x" }, { a: 2, b: null }];',
      'export const when = new Date(Date.UTC(2025, 0, 2));',
      'for (let i = 0; i < 2; i++) console.log("row", i, { i });',
      'console.warn("careful"); console.error(new Error("bad"));',
    ].join('\n')));
    expect(r.outputs).toEqual({ value: 102, table: [{ a: 1, b: 'x' }, { a: 2, b: null }], when: '2025-01-02T00:00:00.000Z' });
    expect(r.console).toEqual([
      { level: 'log', text: 'row 0 {"i":0}' }, { level: 'log', text: 'row 1 {"i":1}' },
      { level: 'warn', text: 'careful' }, { level: 'error', text: 'Error: bad' },
    ]);
  });

  it('inputs (other cells’ outputs) are read-only globals; a table input can be paged', async () => {
    const r = ok(await run('export const doubled = base * 2;\nexport const n = positions.count();\nexport const first = positions.rows(1)[0].position_id;', { base: 21, positions: { $almTable: 'positions' } }));
    expect(r.outputs).toEqual({ doubled: 42, n: 5, first: 'B1' });
    const e = failed(await run('base = 3;', { base: 1 }));
    expect(e).toMatchObject({ kind: 'runtime', line: 1, column: 1 });
    expect(e.message).toMatch(/read-only|not writable/);
  });

  it('an input cannot take the name of alm, console or a built-in global', async () => {
    expect(failed(await run('export const x = 1;', { alm: 1 }))).toEqual({ kind: 'runtime', message: 'input "alm" cannot be a global of a cell; rename that output' });
    expect(failed(await run('export const x = 1;', { Math: 1 }))).toEqual({ kind: 'runtime', message: 'input "Math" has the name of a built-in global; rename that output' });
    expect(failed(await run('export const x = 1;', { 'a-b': 1 }))).toMatchObject({ kind: 'runtime', message: expect.stringContaining('input "a-b"') });
  });

  it('a syntax error names its line and column in the TypeScript', async () => {
    expect(failed(await run('const a: number = 1;\nexport const b = a +;'))).toEqual({ kind: 'syntax', message: 'Expression expected.', line: 2, column: 21 });
  });

  it('a runtime error is placed in the cell’s own TypeScript through the source map', async () => {
    const source = [
      'interface Row { amount: number; nested?: { deep: number } }',
      'const rows: Row[] = [{ amount: 1 }];',
      'type Unused = { a: string };',
      'export const total: number = rows.reduce((s: number, r: Row) => s + r.nested!.deep, 0);',
    ].join('\n');
    const e = failed(await run(source));
    expect(e.kind).toBe('runtime');
    expect(e.message).toBe("TypeError: cannot read property 'deep' of undefined");
    // line 4 of the TS; the JS has lost the interface and type lines, so an unmapped position would say line 2
    expect(e.line).toBe(4);
    expect(e.column).toBe(source.split('\n')[3]!.indexOf('.deep') + 1);
  });

  it('a thrown non-Error value is reported with what was thrown and where', async () => {
    expect(failed(await run('const limit = 3;\nif (limit > 2) throw "limit too high";'))).toEqual({ kind: 'runtime', message: 'the cell threw the string "limit too high"', line: 2, column: 22 });
    expect(failed(await run('export const v = (() => { try { throw 1; } catch (e) { return e; } })();\nthrow 42;'))).toEqual({ kind: 'runtime', message: 'the cell threw the number 42', line: 2, column: 7 });
  });

  it('alm.sql binds template values as parameters: a quote in a value is data, not SQL', async () => {
    const evil = "EUR' OR '1'='1";
    const r = ok(await run(`const ccy = ${JSON.stringify(evil)};\nexport const hits = alm.sql\`SELECT count(*)::INTEGER AS n FROM positions WHERE currency = \${ccy}\`.rows(1)[0].n;\nexport const eur = alm.sql\`SELECT count(*)::INTEGER AS n FROM positions WHERE currency = \${"EUR"}\`.rows(1)[0].n;`));
    expect(r.outputs).toEqual({ hits: 0, eur: 3 });
    const sql = host.calls.filter((c) => c.op === 'sql').slice(-2);
    expect(sql[0]!.args[0]).toEqual({ text: ['SELECT count(*)::INTEGER AS n FROM positions WHERE currency = ', ''], params: [evil] });
  });

  it('a refused alm call is an error the cell can catch, or the cell’s error at the call’s line', async () => {
    const e = failed(await run('const x = 1;\nconst t = alm.table("other_workspace_results");'));
    expect(e).toEqual({ kind: 'runtime', message: 'no table "other_workspace_results" in this notebook or dataset', line: 2, column: 20 }); // QuickJS places a call at its opening parenthesis
    const r = ok(await run('let msg = "";\ntry { alm.bcbs("XXX"); } catch (e) { msg = (e as Error).message; }\nexport const m = msg;\nexport const eur = alm.bcbs("EUR");'));
    expect(r.outputs).toEqual({ m: 'no regulatory shock sizes for currency "XXX"', eur: { parallel: 0.02, short: 0.025, long: 0.01 } });
    const d = ok(await run('export const d = alm.dataset();\nexport const c = alm.curves().filter((p) => p.tenor === "2Y");'));
    expect(d.outputs).toEqual({
      d: { id: 'test-dataset', asOf: '2025-01-02', positions: 5, totals: { asset: 1_800_000, liability: 1_150_000 } },
      c: [{ curveId: 'EUR_ESTR_OIS', currency: 'EUR', tenor: '2Y', years: 2, rate: 0.022 }],
    });
  });

  it('alm.scenario samples a quant’s shock on the engine’s grid: a rebuilt parallel_up and steepener give the engine’s own EVE', async () => {
    const r = ok(await run([
      'const size = { EUR: alm.bcbs("EUR"), USD: alm.bcbs("USD") };',
      'const up = alm.scenario("my_up", (t, ccy) => size[ccy as "EUR" | "USD"].parallel);',
      'const steep = alm.scenario("my_steep", (t, ccy) => { const s = size[ccy as "EUR" | "USD"]; return -0.65 * s.short * Math.exp(-t / 4) + 0.9 * s.long * (1 - Math.exp(-t / 4)); });',
      'const result = alm.run({ scenarios: ["parallel_up", up, "steepener", steep] }) as any;',
      'export const eve = result.eve;',
      'export const rows = result.tables.eve.rows(10).length;',
      'alm.metric("ΔEVE parallel up", result.eve.parallel_up.delta, "money");',
      'alm.grid(result.tables.eve);',
      'alm.chart({ type: "bar", x: "scenario", y: "delta" });',
    ].join('\n')));
    const eve = r.outputs.eve as Record<string, { value: number; delta: number }>;
    expect(Math.abs(eve.parallel_up!.delta)).toBeGreaterThan(1000);
    expect(Math.abs(eve.my_up!.delta - eve.parallel_up!.delta)).toBeLessThanOrEqual(1e-9 * Math.abs(eve.parallel_up!.delta));
    expect(Math.abs(eve.my_steep!.delta - eve.steepener!.delta)).toBeLessThanOrEqual(1e-9 * Math.abs(eve.steepener!.delta));
    expect(r.outputs.rows).toBe(4); // one row per scenario besides base
    expect(r.displays).toEqual([
      { type: 'metric', label: 'ΔEVE parallel up', value: eve.parallel_up!.delta, format: 'money' },
      { type: 'grid', data: { $almTable: 'run1_eve' } },
      { type: 'chart', spec: { type: 'bar', x: 'scenario', y: 'delta' } },
    ]);
  });

  it('an export that is not data is an export error naming it', async () => {
    expect(failed(await run('export const f = (x: number) => x;'))).toEqual({ kind: 'export', message: 'export f is a function; only data can leave a cell (numbers, strings, arrays, plain objects, tables)' });
    expect(failed(await run('export const ratios = { a: [1, 0 / 0] };'))).toEqual({ kind: 'export', message: 'export ratios.a[1] is NaN; values leaving a cell must be finite numbers (or null)' });
    expect(failed(await run('export const m = new Map();'))).toMatchObject({ kind: 'export', message: expect.stringContaining('export m is Map') });
    expect(failed(await run('const a: any = {}; a.self = a;\nexport const cyc = a;'))).toEqual({ kind: 'export', message: 'export cyc.self refers back to itself (a cycle); only trees of data can leave a cell' });
  });

  it('module syntax a cell cannot use is refused with its position', async () => {
    expect(failed(await run('const x = 1;\nimport fs from "node:fs";'))).toEqual({ kind: 'syntax', message: 'cells cannot import modules ("node:fs"); data and the engine are reached through the alm object', line: 2, column: 1 });
    expect(failed(await run('export default 42;'))).toMatchObject({ kind: 'syntax', line: 1, column: 1 });
    expect(ok(await run('import type { Foo } from "anything";\nexport const z: number = 1;')).outputs).toEqual({ z: 1 });
  });

  it('cancel terminates the worker mid-cell; the next cell runs in a fresh one', async () => {
    const before = sandbox.workersStarted;
    const started = Date.now();
    const running = run('for (;;) {}');
    setTimeout(() => expect(sandbox.cancel()).toBe(true), 300);
    expect(failed(await running)).toEqual({ kind: 'cancelled', message: 'the cell was cancelled' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sandbox.cancel()).toBe(false);
    expect(ok(await run('export const after: string = "fresh";')).outputs).toEqual({ after: 'fresh' });
    expect(sandbox.workersStarted).toBe(before + 1);
  });

  it('a warm sandbox starts a cell in under 50 ms, in one worker', async () => {
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) starts.push(ok(await run(`export const i = ${i};`)).timing.sandboxStartMs);
    expect(Math.min(...starts)).toBeLessThan(50);
    expect(sandbox.workersStarted).toBe(2); // the first, and the one after the cancel above
  });
});
