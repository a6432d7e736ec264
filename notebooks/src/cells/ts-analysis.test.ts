import { describe, expect, it } from 'vitest';
import { analyseTs } from './ts-analysis.ts';

const io = (source: string) => {
  const a = analyseTs(source);
  return { defines: a.defines, uses: a.uses, locals: a.locals.sort() };
};

describe('ts cell analysis', () => {
  it('exported top-level names are outputs, other top-level names stay local, free names are inputs', () => {
    expect(io(`
      const rows = await by_product.rows(100);
      let total = 0;
      for (const r of rows) total += r.notional * fx[r.currency];
      function share(x: number) { return x / total; }
      export const shares = rows.map((r) => share(r.notional));
      export function scaled(k = factor) { return total * k; }
      export class Model { rate = base_rate; }
    `)).toEqual({ defines: ['shares', 'scaled', 'Model'], uses: ['base_rate', 'by_product', 'factor', 'fx'], locals: ['rows', 'share', 'total'] });
  });

  it('every export form: destructuring, export lists with renames, enums', () => {
    const a = analyseTs('const a = 1, b = 2;\nexport const { x, y: [z], ...rest } = obj;\nexport { a, b as beta };\nexport enum Side { Asset = 1, Liability = Asset + offset }');
    expect(a.defines).toEqual(['x', 'z', 'rest', 'a', 'beta', 'Side']);
    expect(a.uses).toEqual(['obj', 'offset']);
    expect(a.locals).toEqual([]); // b leaves the cell as beta
    expect(a.problems).toEqual([]);
  });

  it('scopes: parameters, block scope, var hoisting, catch, classes, labels and property names are not inputs', () => {
    expect(io(`
      function f(a, { b, c: [d] = [dflt] }, ...e) { var h = arguments.length; return a + b + d + e.length + h + g; }
      { let blockOnly = 1; var hoisted = 2; }
      const after = blockOnly + hoisted;
      try { risky(); } catch (err) { console.log(err.message); }
      outer: for (let i = 0; i < n; i++) { for (const j of list) { if (j) continue outer; } }
      const o = { key: value, [computed]: 1, short, method() { return this.key; }, get g() { return 1; } };
      const p = o.key.deep?.chain;
      class K extends Base implements Shape { static s = 1; field = init; m(q) { return q + K.s; } }
      const fe = function self(n) { return n ? self(n - 1) : 0; };
      const arrow = (x) => x + y;
    `)).toEqual({
      defines: [],
      uses: ['Base', 'blockOnly', 'computed', 'dflt', 'g', 'init', 'list', 'n', 'risky', 'short', 'value', 'y'],
      locals: ['K', 'after', 'arrow', 'f', 'fe', 'hoisted', 'o', 'p'],
    });
  });

  it('types are erased: annotations, interfaces, type aliases and declare statements are not inputs', () => {
    const a = analyseTs('declare const by_product: Table;\ninterface Row { a: Money }\ntype T = Other;\nexport const n: Count = (by_product as Table).count() satisfies Num;\nconst g = <G,>(x: G): G => x;');
    expect(a.uses).toEqual(['by_product']);
    expect(a.defines).toEqual(['n']);
    expect(a.locals).toEqual(['g']);
  });

  it('globals and the alm host are not inputs; alm.run makes the cell own its run tables', () => {
    const a = analyseTs('const r = await alm.run({ scenarios: shocks });\nexport const worst = Math.min(...r.eve.map((e) => e.delta));\nconsole.log(JSON.stringify(r), new Date(), undefined);', 'run1');
    expect(a.uses).toEqual(['shocks']);
    expect(a.runsEngine).toBe(true);
    expect(a.tablePrefix).toBe('run1');
    expect(analyseTs('export const x = alm.sql`SELECT 1`;', 'q').tablePrefix).toBeUndefined();
    // a local named alm is not the host
    expect(analyseTs('const alm = { run() { return 1; } };\nexport const x = alm.run();', 'q').runsEngine).toBe(false);
  });

  it('problems in words at the cell\'s own line and column', () => {
    expect(analyseTs('const x = ;').problems).toEqual([{ message: 'Expression expected.', line: 1, column: 11 }]);
    expect(analyseTs('export const y = a + ;').uses).toEqual(['a']); // the missing expression is no use of a name
    expect(analyseTs("import fs from 'node:fs';").problems[0]).toEqual({ message: 'a cell cannot import modules: data and the engine are reached through alm', line: 1, column: 1 });
    expect(analyseTs("const m = await import('node:fs');").problems.map((p) => p.message)).toEqual(['a cell cannot import modules: data and the engine are reached through alm']);
    expect(analyseTs('export default 1;').problems[0]?.message).toBe('a cell has no default export: export a named value (export const x = …)');
    expect(analyseTs('export { nothing };').problems[0]).toEqual({ message: 'exports "nothing", which this cell does not declare', line: 1, column: 10 });
    expect(analyseTs('\nexport const Math = 1;').problems[0]).toEqual({ message: 'exports "Math", a built-in name; rename it', line: 2, column: 14 });
    expect(analyseTs('const a = 1;\nexport { a };\nexport { a };').problems.map((p) => p.message)).toEqual(['exports "a" twice']);
  });
});
