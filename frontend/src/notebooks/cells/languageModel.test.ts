import { describe, expect, it } from 'vitest';
import type { CellOutput, NotebookCell } from '@almready/notebooks';
import { cellDeclarations, exportedNames, sqlSuggestions, sqlTables, typeOfValue } from './languageModel.ts';

const handle = (name: string, columns: string[]) => ({ id: `nb_${name}`, name, rowCount: 2, columns: columns.map((c) => ({ name: c, type: 'DOUBLE' })), firstPage: [] });
const cells: NotebookCell[] = [
  { id: 'a', kind: 'sql', name: 'by_product', source: 'SELECT product, sum(notional) AS total FROM positions GROUP BY 1' },
  { id: 'b', kind: 'ts', name: 'quant', source: 'const r = alm.run();\nexport const eve = r.eve;' },
  { id: 'c', kind: 'ts', source: 'export const draft = 1;\nexport { x as renamed, y };' },
  { id: 'd', kind: 'input', name: 'shock', source: '{"type":"number","default":200}' },
];
const outputs: Record<string, CellOutput> = {
  a: { kind: 'sql', table: handle('by_product', ['product', 'total']) },
  b: { kind: 'ts', values: { eve: 123.5, byCcy: { EUR: 1, USD: 2 }, t: { $almTable: 'nb_x' }, ok: true }, tables: { quant_eve: handle('quant_eve', ['scenario', 'eve', 'delta']) }, console: [], views: [] },
};

describe('what the editor languages know of a notebook', () => {
  it('declares other cells\' names with the types of their outputs', () => {
    const dts = cellDeclarations(cells, outputs, new Set(['draft']));
    expect(dts).toContain('const by_product: AlmTable;');
    expect(dts).toContain('const eve: number;');
    expect(dts).toContain('const byCcy: { EUR: number; USD: number; };');
    expect(dts).toContain('const t: AlmTable;');
    expect(dts).toContain('const renamed: any;');
    expect(dts).toContain('const shock: number;');
    expect(dts).not.toContain('const draft');
    expect(typeOfValue([1, 'a'])).toBe('(number | string)[]');
    expect(exportedNames('export function f() {}\nexport let g = 1')).toEqual(['f', 'g']);
  });

  it('completes tables after FROM and columns of the tables a statement reads', () => {
    const tables = sqlTables(cells, outputs, [{ name: 'positions', columns: [{ name: 'notional', type: 'DOUBLE' }, { name: 'currency', type: 'VARCHAR' }], detail: 'dataset table' }]);
    expect(tables.map((t) => t.name)).toEqual(['positions', 'by_product', 'quant_eve']);
    expect(sqlSuggestions('SELECT * FROM ', 'SELECT * FROM ', tables).map((s) => s.label)).toEqual(['positions', 'by_product', 'quant_eve']);
    const cols = sqlSuggestions('SELECT ', 'SELECT  FROM quant_eve', tables).filter((s) => s.kind === 'column').map((s) => s.label);
    expect(cols).toEqual(['scenario', 'eve', 'delta']);
    expect(sqlSuggestions('SELECT p.', 'SELECT p. FROM positions p', tables).map((s) => s.label)).toEqual(['notional', 'currency']);
    expect(sqlSuggestions('SELECT by_product.', 'SELECT by_product.', tables).map((s) => s.label)).toEqual(['product', 'total']);
  });
});
