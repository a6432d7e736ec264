/**
 * notebooks/alm.d.ts is what the editor checks cells against: the same cells the sandbox runs must
 * type-check with it, and a misuse must be a type error.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DTS = fileURLToPath(new URL('../../../../notebooks/alm.d.ts', import.meta.url));

function typeErrors(cell: string): string[] {
  const files = new Map([['/cell.ts', cell], ['/alm.d.ts', readFileSync(DTS, 'utf8')]]);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ['lib.es2022.d.ts'], strict: true, noEmit: true, types: [] };
  const base = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...base,
    getSourceFile: (name, version) => files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : base.getSourceFile(name, version),
    fileExists: (name) => files.has(name) || base.fileExists(name),
    readFile: (name) => files.get(name) ?? base.readFile(name),
  };
  const program = ts.createProgram(['/cell.ts', '/alm.d.ts'], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('notebooks/alm.d.ts', () => {
  it('types a cell that uses every alm call synchronously', () => {
    expect(typeErrors([
      'const ccy = "EUR";',
      'const t = alm.sql`SELECT * FROM positions WHERE currency = ${ccy} AND notional > ${1000}`;',
      'export const first = t.rows(5)[0]?.position_id;',
      'export const n: number = t.count() + alm.table("by_product").count();',
      'const d = alm.dataset(); const c = alm.curves(); const s = alm.bcbs(ccy);',
      'const twist = alm.scenario("twist", (time, currency) => (currency === "EUR" ? s.short : s.long) * Math.exp(-time / 4), { floorable: true, rampMonths: 0 });',
      'const up = alm.scenario("up", () => 0.02, { behaviour: "parallel_up" }); const flat = alm.scenario("flat", () => 0.01, { behaviour: "neutral" });',
      'const auto = alm.scenario("auto_up", () => 0.01, { behaviour: "auto" });',
      'const r = alm.run({ scenarios: ["parallel_up", twist, up, flat, auto], method: "full", floor: "eu", niiHorizonMonths: 12, tier1: 1e6 });',
      'alm.grid(r.tables.eve); alm.chart({ type: "bar", x: "scenario", y: "delta" }); alm.metric("as of", d.asOf); alm.metric("pillars", c.length, "int");',
      'console.log(r.eve);',
      'export { d };',
    ].join('\n'))).toEqual([]);
  });

  it('flags misuse the sandbox would refuse at run time', () => {
    expect(typeErrors('alm.sql("SELECT 1");').join()).toMatch(/TemplateStringsArray/);
    expect(typeErrors('alm.sql`SELECT ${{ a: 1 }}`;').join()).toMatch(/not assignable|known properties/);
    expect(typeErrors('alm.run({ method: "fast" });').join()).toMatch(/"fast"/);
    expect(typeErrors('alm.scenario("up", () => 0.01, { behaviour: "up" });').join()).toMatch(/"up"/);
    expect(typeErrors('const r: Promise<unknown> = alm.dataset();').join()).toMatch(/'AlmDataset' is missing .* 'Promise<unknown>'/); // synchronous, as the sandbox runs it
    expect(typeErrors('process.exit(1);').join()).toMatch(/Cannot find name 'process'/);
  });
});
