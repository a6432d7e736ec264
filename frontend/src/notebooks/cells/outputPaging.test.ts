import { describe, expect, it } from 'vitest';
import type { CellOutput } from '@almready/notebooks';
import { csvText, pageUrl, tableSource } from './outputPaging.ts';

const handle = (id: string, name: string) => ({ id, name, rowCount: 1_000_000, columns: [{ name: 'x', type: 'BIGINT' }], firstPage: [] });
const outputs: Record<string, CellOutput | null> = {
  s1: { kind: 'sql', table: handle('nb_aaa', 'big') },
  t1: { kind: 'ts', values: {}, tables: { quant_eve: handle('nbrun_r1_eve', 'quant_eve') }, console: [], views: [] },
  g1: { kind: 'grid', spec: { data: 'big' }, data: { table: handle('nb_aaa', 'big') } },
  none: null,
};

describe('paging a table output', () => {
  it('finds the cell that owns a table a grid cell names', () => {
    expect(tableSource(handle('nb_aaa', 'big'), outputs)).toEqual({ cellId: 's1' });
    expect(tableSource(handle('nbrun_r1_eve', 'quant_eve'), outputs)).toEqual({ cellId: 't1', table: 'quant_eve' });
    expect(tableSource(handle('nb_zzz', 'gone'), outputs)).toBeNull();
  });

  it('asks the page route for one block with the grid\'s sort and filter', () => {
    const url = new URL(pageUrl('/api/workspaces/w/notebooks/n', { cellId: 't1', table: 'quant_eve' }, { version: 3, parameters: { shock: 100 } }, {
      startRow: 500_000, endRow: 500_100, sortModel: [{ colId: 'x', sort: 'desc' }], filterModel: { x: { filterType: 'number', type: 'greaterThan', filter: 5 } },
    }), 'http://h');
    expect(url.pathname).toBe('/api/workspaces/w/notebooks/n/outputs/t1/page');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      version: '3', startRow: '500000', endRow: '500100', table: 'quant_eve', parameters: '{"shock":100}',
      sortModel: '[{"colId":"x","sort":"desc"}]', filterModel: '{"x":{"filterType":"number","type":"greaterThan","filter":5}}',
    });
  });

  it('writes CSV with quoting, plain numbers and formula-like text neutralised', () => {
    expect(csvText(['a', 'b'], [{ a: 0.1 + 0.2, b: 'x,"y"' }, { a: -5, b: '=HYPERLINK("evil")' }, { a: null, b: '-12.5' }]))
      .toBe('a,b\r\n0.3,"x,""y"""\r\n-5,"\'=HYPERLINK(""evil"")"\r\n,-12.5\r\n');
  });
});
