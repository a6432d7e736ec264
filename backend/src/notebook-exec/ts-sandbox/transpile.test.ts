import { describe, expect, it } from 'vitest';
import { parseSourceMap } from './source-map.ts';
import { transpileCell } from './transpile.ts';

function transpiled(source: string) {
  const r = transpileCell(source);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}

describe('transpileCell', () => {
  it('erases types, keeps exports and top-level await, and hooks every throw', () => {
    const r = transpiled('type T = number;\nexport const a: T = await Promise.resolve(1);\nif (a) throw new Error("x");');
    expect(r.js).toBe('export const a = await Promise.resolve(1);\nif (a)\n    throw __almThrow(new Error("x"));\n');
    expect(r.js).not.toContain('sourceMappingURL');
  });

  it('maps generated positions back to the TypeScript lines and columns', () => {
    const source = 'interface P { n: number }\nconst p: P = { n: 1 };\n\nexport const q = p.n.toFixed(2);';
    const map = parseSourceMap(transpiled(source).sourceMap);
    // JS line 2 is `export const q = p.n.toFixed(2);`, TS line 4; `p` at column 18 in both
    expect(map.original(2, 18)).toEqual({ line: 4, column: 18 });
    expect(map.original(1, 7)).toEqual({ line: 2, column: 7 });
    expect(map.original(9, 1)).toBeUndefined();
  });

  it('reports syntax errors and refused module syntax at their position', () => {
    expect(transpileCell('const a = (1;')).toEqual({ ok: false, error: { kind: 'syntax', message: "')' expected.", line: 1, column: 13 } });
    expect(transpileCell('\n\nimport * as os from "os";')).toMatchObject({ ok: false, error: { kind: 'syntax', line: 3, column: 1 } });
    expect(transpileCell('export * from "./other";')).toMatchObject({ ok: false, error: { kind: 'syntax', message: 'cells cannot re-export from modules; export your own top-level names' } });
    expect(transpileCell('export default function f() {}')).toMatchObject({ ok: false, error: { kind: 'syntax', message: expect.stringContaining('export default') } });
    expect(transpileCell('import os = require("os");')).toMatchObject({ ok: false, error: { kind: 'syntax', line: 1 } });
  });
});
