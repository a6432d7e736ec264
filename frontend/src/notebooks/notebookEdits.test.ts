import { describe, expect, it } from 'vitest';
import { emptyNotebook, parseNotebook } from '@almready/notebooks';
import { addCell, moveCell, newCellId, removeCell, setNotebookLazy, updateCell } from './notebookEdits.ts';

function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('notebook edits', () => {
  it('builds a document the shared schema accepts', () => {
    let doc = addCell(emptyNotebook('IRRBB report'), 'sql', sequence(0.1));
    doc = addCell(doc, 'ts', sequence(0.1, 0.2)); // first id collides, the second is taken
    const [sqlCell, tsCell] = doc.cells;
    expect(sqlCell!.id).not.toBe(tsCell!.id);
    doc = updateCell(doc, sqlCell!.id, { source: 'SELECT count(*) AS n FROM positions', name: 'counts' });
    doc = moveCell(doc, tsCell!.id, -1);
    expect(doc.cells.map((c) => c.kind)).toEqual(['ts', 'sql']);
    expect(doc.cells[1]).toEqual({ id: sqlCell!.id, kind: 'sql', source: 'SELECT count(*) AS n FROM positions', name: 'counts' });
    const parsed = parseNotebook(doc);
    expect(parsed.ok).toBe(true);
  });

  it('drops an emptied name, ignores moves past the ends and removes cells', () => {
    let doc = addCell(emptyNotebook('x'), 'markdown', sequence(0.5));
    const id = doc.cells[0]!.id;
    doc = updateCell(doc, id, { name: 'intro' });
    doc = updateCell(doc, id, { name: '' });
    expect('name' in doc.cells[0]!).toBe(false);
    expect(moveCell(doc, id, 1)).toBe(doc);
    expect(removeCell(doc, id).cells).toEqual([]);
  });

  it('a lazy sql cell turned into markdown drops the option only computing cells have', () => {
    const doc = { ...emptyNotebook('x'), cells: [{ id: 'a', kind: 'sql' as const, source: 'SELECT 1', lazy: true }] };
    const changed = updateCell(doc, 'a', { kind: 'markdown' });
    expect(changed.cells[0]).toEqual({ id: 'a', kind: 'markdown', source: 'SELECT 1' });
    expect(parseNotebook(changed).ok).toBe(true);
    expect(updateCell(doc, 'a', { kind: 'ts' }).cells[0]).toEqual({ id: 'a', kind: 'ts', source: 'SELECT 1', lazy: true });
  });

  it('sets a computing cell lazy and back, and the whole notebook lazy, as the schema writes it', () => {
    const doc = { ...emptyNotebook('x'), cells: [{ id: 'a', kind: 'ts' as const, source: 'export const a = 1;' }] };
    const lazy = updateCell(doc, 'a', { lazy: true });
    expect(lazy.cells[0]).toEqual({ id: 'a', kind: 'ts', source: 'export const a = 1;', lazy: true });
    expect(updateCell(lazy, 'a', { lazy: false }).cells[0]).toEqual({ id: 'a', kind: 'ts', source: 'export const a = 1;' });
    expect(setNotebookLazy(doc, true).lazy).toBe(true);
    expect('lazy' in setNotebookLazy(setNotebookLazy(doc, true), false)).toBe(false);
    expect(parseNotebook(setNotebookLazy(lazy, true)).ok).toBe(true);
  });

  it('makes ids of the form c + 6 base-36 characters', () => {
    expect(newCellId([], () => 0)).toBe('c000000');
  });
});
