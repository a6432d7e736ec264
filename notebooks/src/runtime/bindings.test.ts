import { describe, expect, it } from 'vitest';
import { bindName, sandboxInputs, valueRows } from './bindings.ts';
import type { TableHandle, TsOutput } from './outputs.ts';

const table = (id: string, name: string): TableHandle => ({ id, name, rowCount: 2, columns: [{ name: 'x', type: 'DOUBLE' }], firstPage: [{ x: 1 }, { x: 2 }] });
const ts: TsOutput = {
  kind: 'ts',
  values: { total: 5, big: { $almTable: 't_big' }, rows: [{ a: 1 }, { a: 2 }] },
  tables: { big: table('t_big', 'big'), run1_eve: table('t_eve', 'run1_eve') },
  console: [], views: [],
};

describe('bindings', () => {
  it('binds values, exported tables and run tables; SQL names case-insensitively', () => {
    expect(bindName('total', ts, false)).toEqual({ kind: 'value', value: 5 });
    expect(bindName('big', ts, false)).toEqual({ kind: 'table', table: table('t_big', 'big') });
    expect(bindName('RUN1_EVE', ts, true)).toEqual({ kind: 'table', table: table('t_eve', 'run1_eve') });
    expect(bindName('RUN1_EVE', ts, false)).toBeUndefined();
    expect(bindName('by_product', { kind: 'sql', table: table('t_bp', 'by_product') }, true)).toEqual({ kind: 'table', table: table('t_bp', 'by_product') });
    expect(bindName('tier1', { kind: 'input', value: 1.2e9 }, false)).toEqual({ kind: 'value', value: 1.2e9 });
    expect(bindName('x', { kind: 'markdown', html: '', references: [], problems: [] }, false)).toBeUndefined();
  });

  it('gives the sandbox values as they are and tables as references', () => {
    expect(sandboxInputs({ total: { kind: 'value', value: 5 }, by_product: { kind: 'table', table: table('t_bp', 'by_product') } })).toEqual({ total: 5, by_product: { $almTable: 't_bp' } });
  });

  it('reads rows from a list of plain objects only', () => {
    expect(valueRows([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(valueRows([{ a: 1 }, 3])).toBeUndefined();
    expect(valueRows(5)).toBeUndefined();
  });
});
