/**
 * Attacks from a ts cell, tried as a cell author would write them. Each must end that cell with
 * the named error (or harmless data), leave this process healthy, and the next cell must run in
 * the same worker.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TS_CELL_LIMITS } from '../../config.ts';
import type { CellResult } from './cell-result.ts';
import { TsSandbox } from './sandbox.ts';
import { TestAlmHost } from './test-host.ts';

/** Attacks on time run in `quick`; the rest get a generous wall time, so a loaded machine cannot turn a memory error into a timeout. */
const WALL_MS = 2_000;
let sandbox: TsSandbox;
let quick: TsSandbox;
let host: TestAlmHost;
beforeAll(async () => {
  host = await TestAlmHost.create();
  sandbox = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: 30_000, maxHostCalls: 200 });
  quick = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: WALL_MS });
  await Promise.all([sandbox.warm(), quick.warm()]);
});
afterAll(async () => {
  await Promise.all([sandbox.close(), quick.close()]);
  host.close();
});
// the sandbox goes on: a plain cell right after each attack, same worker, server memory in bounds
afterEach(async () => {
  host.hang = false;
  for (const s of [sandbox, quick]) {
    const next = await s.run({ source: 'export const fine: number = 40 + 2;' }, host);
    expect(next).toMatchObject({ ok: true, outputs: { fine: 42 } });
    expect(s.workersStarted).toBe(1);
  }
  expect(process.memoryUsage().heapUsed).toBeLessThan(1024 * 1024 * 1024);
});

const run = (source: string) => sandbox.run({ source }, host);
const runQuick = (source: string) => quick.run({ source }, host);
function failed(result: CellResult) {
  if (result.ok) throw new Error(`cell succeeded: ${JSON.stringify(result.outputs)}`);
  return result.error;
}
function outputs(result: CellResult) {
  if (!result.ok) throw new Error(`cell failed: ${JSON.stringify(result.error)}`);
  return result.outputs;
}

describe('a ts cell cannot reach the host', () => {
  it('process, require, module, Buffer, timers, fetch and QuickJS std/os do not exist', async () => {
    expect(outputs(await run('export const kinds = [typeof process, typeof require, typeof module, typeof Buffer, typeof setTimeout, typeof fetch, typeof std, typeof os, typeof WebAssembly];')))
      .toEqual({ kinds: Array(9).fill('undefined') });
    expect(failed(await run('process.exit(1);'))).toEqual({ kind: 'runtime', message: "ReferenceError: 'process' is not defined", line: 1, column: 1 });
    expect(failed(await run('const fs = require("fs");'))).toMatchObject({ kind: 'runtime', message: "ReferenceError: 'require' is not defined", line: 1 });
  });

  it('static and dynamic import() are refused', async () => {
    expect(failed(await run('import { readFileSync } from "node:fs";'))).toMatchObject({ kind: 'syntax', line: 1, column: 1, message: expect.stringContaining('cells cannot import modules ("node:fs")') });
    expect(failed(await run('const m = await import("node:child_process");\nexport const x = typeof m;'))).toMatchObject({ kind: 'runtime', message: 'cells cannot import modules ("node:child_process"); data and the engine are reached through the alm object' });
    expect(failed(await run('const name = "fs";\nexport const x = await import(name);'))).toMatchObject({ kind: 'runtime', message: expect.stringContaining('cells cannot import modules ("fs")') });
  });

  it('Function constructor, constructor.constructor and prototypes lead only to the sandbox’s own globals', async () => {
    const o = outputs(await run([
      'const viaFunction = Function("return typeof process")();',
      'const viaAlm = (alm.sql as any).constructor.constructor("return globalThis")();',
      'const viaResult = (alm.dataset() as any).constructor.constructor("return this")();',
      'const viaConsole = Object.getPrototypeOf(console.log).constructor("return typeof require")();',
      'const viaEval = (0, eval)("typeof process");',
      'export const found = [viaFunction, viaAlm === globalThis, viaResult === globalThis, viaConsole, viaEval];',
      'export const globals = Object.getOwnPropertyNames(globalThis).filter((n) => ["process", "require", "module", "host", "Buffer", "fetch", "std", "os", "global", "__almHost"].includes(n));',
    ].join('\n')));
    expect(o).toEqual({ found: ['undefined', true, true, 'undefined', 'undefined'], globals: [] });
  });

  it('the alm object cannot be changed, and a forged table handle is refused', async () => {
    const o = outputs(await run([
      'let replaced = "no"; try { (alm as any).sql = () => 1; } catch { replaced = "threw"; }',
      'let deleted = "no"; try { delete (globalThis as any).alm; } catch { deleted = "threw"; }',
      'export const frozen = [Object.isFrozen(alm), replaced, deleted, typeof alm.sql];',
    ].join('\n')));
    expect(o).toEqual({ frozen: [true, 'threw', 'threw', 'function'] });
    const forged = 'const real = alm.table("positions");\nconst fake = Object.create(Object.getPrototypeOf(real), { name: { value: "other_workspace_eve" } });\nexport const rows = fake.rows(1);';
    expect(failed(await run(forged))).toEqual({ kind: 'runtime', message: 'TypeError: not a table handle: use a table from alm.sql, alm.table or alm.run', line: 3, column: 30 }); // the call's parenthesis
    expect(host.calls.some((c) => c.op === 'rows' && c.args[0] === 'other_workspace_eve')).toBe(false);
    // replacing the builtins the alm object is made of changes nothing: it captured them first
    const tampered = [
      '(Reflect as any).apply = () => true;',
      '(WeakMap.prototype as any).has = () => true;',
      '(WeakMap.prototype as any).get = () => "other_workspace_eve";',
      '(JSON as any).stringify = () => \'{"table":"other_workspace_eve","limit":1}\';',
      'const fake = Object.create(Object.getPrototypeOf(alm.table("positions")));',
      'export const rows = fake.rows(1);',
    ].join('\n');
    expect(failed(await run(tampered))).toMatchObject({ kind: 'runtime', message: 'TypeError: not a table handle: use a table from alm.sql, alm.table or alm.run', line: 6 });
    expect(host.calls.some((c) => c.args[0] === 'other_workspace_eve')).toBe(false);
  });
});

describe('alm objects are not a bridge', () => {
  it('functions, getters, proxies and toString/valueOf traps passed to alm calls never reach the host', async () => {
    const before = host.calls.length;
    expect(failed(await run('alm.run({ scenarios: ["parallel_up"], tier1: (() => 1) as any });'))).toMatchObject({ kind: 'runtime', message: 'TypeError: alm.run settings.tier1 is a function; only data can leave a cell (numbers, strings, arrays, plain objects, tables)' });
    expect(failed(await run('const trap = { toString() { return "EUR"; }, valueOf() { return 1; } };\nalm.sql`SELECT * FROM positions WHERE currency = ${trap}`;'))).toMatchObject({ kind: 'runtime', message: 'TypeError: alm.sql parameter 1 is Object; parameters are strings, finite numbers, booleans, null or dates', line: 2 });
    expect(failed(await run('alm.sql`SELECT ${alm.table("positions")}`;'))).toMatchObject({ kind: 'runtime', message: expect.stringContaining('parameter 1 is a table') });
    expect(host.calls.slice(before).map((c) => c.op)).toEqual(['table']);

    // a getter and a proxy are read inside the sandbox; the host receives the plain data they gave
    const r = outputs(await run([
      'let reads = 0;',
      'const settings = { scenarios: ["parallel_up"], get niiHorizonMonths() { reads++; return 12; } };',
      'const proxied = new Proxy(settings, { get(t, k) { reads++; return (t as any)[k]; } });',
      'const result = alm.run(proxied as any) as any;',
      'export const out = [reads > 0, typeof result.eve.parallel_up.delta];',
    ].join('\n')));
    expect(r).toEqual({ out: [true, 'number'] });
    const received = host.calls.filter((c) => c.op === 'run').at(-1)!.args[0] as Record<string, unknown>;
    expect(received).toEqual({ scenarios: ['parallel_up'], niiHorizonMonths: 12 });
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(received, 'niiHorizonMonths')).toMatchObject({ value: 12, writable: true });
  });

  it('host-side validation refuses what the sandbox lets through (unknown settings, bad types)', async () => {
    expect(failed(await run('alm.run({ scenarios: ["parallel_up"], path: "/etc/passwd" } as any);'))).toMatchObject({ kind: 'runtime', message: expect.stringMatching(/^alm\.run: .*path/) });
    expect(failed(await run('alm.run({ niiHorizonMonths: "12; DROP" } as any);'))).toMatchObject({ kind: 'runtime', message: expect.stringMatching(/^alm\.run: niiHorizonMonths/) });
  });

  it('prototype pollution inside the sandbox stays inside; a __proto__ key cannot leave', async () => {
    const r = outputs(await run('(Object.prototype as any).polluted = "yes";\n(Array.prototype as any).evil = () => 1;\nexport const o = { a: 1 };\nexport const list = [1, 2];'));
    expect(r).toEqual({ o: { a: 1 }, list: [1, 2] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(r.o as object)).toEqual(['a']);
    expect(failed(await run('export const bad = JSON.parse(\'{"a": {"__proto__": {"isAdmin": true}}}\');'))).toEqual({ kind: 'export', message: 'export bad.a has the reserved key "__proto__"' });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(failed(await run('alm.grid(JSON.parse(\'{"__proto__": {"x": 1}}\'));'))).toMatchObject({ kind: 'runtime', message: 'TypeError: alm.grid data has the reserved key "__proto__"' });
  });

  it('a polluted toJSON that forges a table reference in the result is caught on the host', async () => {
    const forge = [
      'const mine = alm.table("positions");',
      '(Object.prototype as any).toJSON = function () { return { $almTable: "other_workspace_eve" }; };',
      'export const stolen = { a: 1 };',
    ].join('\n');
    expect(failed(await run(forge))).toEqual({ kind: 'export', message: 'the cell refers to table "other_workspace_eve", which it was never given' });
    // the same trick on an alm call's payload only garbles the request, which the host refuses
    const payload = '(Object.prototype as any).toJSON = function () { return { table: "other_workspace_eve", limit: 1 }; };\nalm.curves();';
    expect(failed(await run(payload))).toMatchObject({ kind: 'runtime', message: expect.stringMatching(/^alm\.curves: /) });
    expect(host.calls.some((c) => c.args.includes('other_workspace_eve'))).toBe(false);
  });
});

describe('limits end the cell, not the server', () => {
  it('an infinite loop is stopped at the wall time', async () => {
    const started = Date.now();
    expect(failed(await runQuick('let i = 0;\nwhile (true) { i++; }'))).toMatchObject({ kind: 'timeout', message: 'the cell ran longer than 2 s and was stopped' });
    expect(Date.now() - started).toBeLessThan(WALL_MS + 1_500);
  });

  it('a cell stuck in one long native call (no interrupt checks) is terminated from outside at the wall time', async () => {
    const stuck = new TsSandbox({ ...DEFAULT_TS_CELL_LIMITS, wallMs: 300 }, undefined, 100);
    try {
      await stuck.warm();
      const started = Date.now();
      // JSON.parse of 12 MB runs in C for over a second without asking the interrupt handler
      const r = await stuck.run({ source: 'const text = "[" + "1.5,".repeat(3e6) + "1]";\nexport const n = JSON.parse(text).length;' }, host);
      expect(failed(r)).toEqual({ kind: 'timeout', message: 'the cell ran longer than 0.3 s and was stopped' });
      expect(Date.now() - started).toBeLessThan(1_500); // wall 0.3 s + grace 0.1 s, not the parse's full length
      expect(await stuck.run({ source: 'export const back: boolean = true;' }, host)).toMatchObject({ ok: true, outputs: { back: true } });
      expect(stuck.workersStarted).toBe(2);
    } finally {
      await stuck.close();
    }
  });

  it('a memory bomb (many strings, typed arrays, small objects) ends with a memory error', async () => {
    const memory = { kind: 'memory', message: 'the cell used more than its 128 MB of memory' };
    expect(failed(await run('const keep: string[] = [];\nwhile (true) keep.push("y".repeat(1e6) + keep.length);'))).toMatchObject(memory);
    expect(failed(await run('const keep: Uint8Array[] = [];\nwhile (true) keep.push(new Uint8Array(4e6));'))).toMatchObject(memory);
    expect(failed(await run('const keep: object[] = [];\nfor (let i = 0; ; i++) keep.push({ i, s: "k" + i });'))).toMatchObject(memory);
  });

  it('deep recursion ends with a stack error at the recursive call', async () => {
    expect(failed(await run('function dive(n: number): number { return dive(n + 1) + 1; }\nexport const d = dive(0);'))).toMatchObject({ kind: 'stack', message: 'the cell recursed deeper than its 1024 KB stack allows', line: 1 });
  });

  it('a 1 GB output: a string doubling, a 1e9-character export, a huge console line, endless console lines', async () => {
    expect(failed(await run('let s = "x".repeat(1 << 20);\nwhile (true) s += s;\nexport const big = s;'))).toMatchObject({ kind: 'memory' });
    expect(failed(await run('export const big = "x".repeat(1e9);'))).toMatchObject({ kind: 'memory' });
    expect(failed(await run('const n = 20e6;\nconsole.log("x".repeat(n));'))).toMatchObject({ kind: 'output-limit', message: "the cell's output (console lines, displays, exports) passed 16777216 bytes", line: 2 });
    const lines = await run('while (true) console.log("a line of output that repeats");');
    expect(failed(lines)).toMatchObject({ kind: 'output-limit', message: 'the cell printed more than 10000 console lines', line: 1 });
    expect(lines.console).toHaveLength(10_000);
    expect(failed(await run('export const pages = Array.from({ length: 5 }, (_, i) => String(i).repeat(4e6));'))).toMatchObject({ kind: 'output-limit', message: expect.stringContaining('exported values passed 16777216 bytes') });
  });

  it('a flood of host calls hits the per-cell cap, even when the cell catches the errors', async () => {
    const before = host.calls.length;
    expect(failed(await run('for (;;) { try { alm.dataset(); } catch {} }'))).toMatchObject({ kind: 'host-call-limit', message: 'the cell made more than 200 alm calls; batch the work into fewer queries', line: 1 });
    expect(host.calls.length - before).toBe(200);
  });

  it('a thrown object whose getters throw or loop is still reported, not a sandbox crash', async () => {
    expect(failed(await run('throw { get message(): string { throw new Error("inner"); }, get name(): string { throw 1; } };'))).toMatchObject({ kind: 'runtime', message: 'the cell threw a value of type object (throw an Error to get a message and position)', line: 1 });
    expect(failed(await runQuick('throw { get message(): string { for (;;) {} } };'))).toMatchObject({ kind: 'timeout' });
  });

  it('a cell that never resolves, and a host that never answers, end the cell', async () => {
    expect(failed(await run('export const v = await new Promise<number>(() => {});'))).toMatchObject({ kind: 'never-resolves' });
    expect(failed(await runQuick('async function spin(): Promise<void> { for (;;) await null; }\nawait spin();'))).toMatchObject({ kind: 'timeout' });
    host.hang = true;
    expect(failed(await runQuick('export const d = alm.dataset();'))).toMatchObject({ kind: 'timeout', message: "alm.dataset did not answer before the cell's time limit", line: 1 });
  });
});
