import { describe, expect, it } from 'vitest';
import type { NotebookDocument } from '@almready/notebooks';
import { sqlCellsShownByGrids } from './reportCells.ts';

const doc = (cells: NotebookDocument['cells']): NotebookDocument => ({ format: 'almready-notebook', version: 2, title: 't', cells });

describe('sqlCellsShownByGrids', () => {
  it('names the SQL cells a grid cell shows, and only those', () => {
    const d = doc([
      { id: 'q1', kind: 'sql', name: 'by_currency', source: 'SELECT 1' },
      { id: 'g1', kind: 'grid', source: '{"data": "by_currency", "formats": {"n": "money"}}' },
      { id: 'q2', kind: 'sql', name: 'alone', source: 'SELECT 2' },
      { id: 't1', kind: 'ts', name: 'rows', source: 'export const rows = [];' },
      { id: 'g2', kind: 'grid', source: '{"data": "rows"}' },
    ]);
    expect([...sqlCellsShownByGrids(d)]).toEqual(['q1']);
  });
  it('a grid cell with a bad spec hides nothing', () => {
    const d = doc([
      { id: 'q1', kind: 'sql', name: 'by_currency', source: 'SELECT 1' },
      { id: 'g1', kind: 'grid', source: '{"data": "by_currency", ' },
    ]);
    expect(sqlCellsShownByGrids(d).size).toBe(0);
  });
});
