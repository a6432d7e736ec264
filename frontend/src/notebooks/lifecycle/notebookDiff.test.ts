import { describe, expect, it } from 'vitest';
import type { NotebookCell, NotebookDocument } from '@almready/notebooks';
import { diffNotebooks } from './notebookDiff.ts';

const nb = (cells: NotebookCell[], title = 'T'): NotebookDocument => ({ format: 'almready-notebook', version: 2, title, cells } as NotebookDocument);
const sql = (id: string, source: string, name?: string): NotebookCell => ({ id, kind: 'sql', source, ...(name ? { name } : {}) });

describe('diffNotebooks', () => {
  it('added, removed, changed and same cells by id, in the second order with removed cells in place', () => {
    const before = nb([sql('a', 'SELECT 1'), sql('b', 'SELECT 2\nFROM t'), sql('c', 'SELECT 3'), sql('d', 'SELECT 4')]);
    const after = nb([sql('a', 'SELECT 1'), sql('b', 'SELECT 2\nFROM u'), sql('e', 'SELECT 5'), sql('d', 'SELECT 4')]);
    const d = diffNotebooks(before, after);
    expect(d.cells.map((c) => [c.id, c.change])).toEqual([['a', 'same'], ['b', 'changed'], ['c', 'removed'], ['e', 'added'], ['d', 'same']]);
    expect(d.counts).toEqual({ same: 2, changed: 1, added: 1, removed: 1 });
    expect(d.cells[1]!.lines).toEqual([{ op: 'same', text: 'SELECT 2' }, { op: 'removed', text: 'FROM t' }, { op: 'added', text: 'FROM u' }]);
    expect(d.cells[2]!.lines).toEqual([{ op: 'removed', text: 'SELECT 3' }]);
    expect(d.cells[3]!.lines).toEqual([{ op: 'added', text: 'SELECT 5' }]);
  });

  it('a rename or a new kind is a change even with the same source; a move is flagged', () => {
    const before = nb([sql('a', 'x', 'one'), sql('b', 'y'), { id: 'c', kind: 'markdown', source: '# Hi' }]);
    const after = nb([sql('b', 'y'), sql('a', 'x', 'two'), { id: 'c', kind: 'ts', source: '# Hi' }]);
    const d = diffNotebooks(before, after);
    const byId = Object.fromEntries(d.cells.map((c) => [c.id, c]));
    expect(byId.a).toMatchObject({ change: 'changed', nameChanged: true, kindChanged: false, moved: true });
    expect(byId.b).toMatchObject({ change: 'same', moved: true });
    expect(byId.c).toMatchObject({ change: 'changed', kindChanged: true, nameChanged: false, moved: false });
  });

  it('removed cells at the start and end keep their place; titles are reported', () => {
    const d = diffNotebooks(nb([sql('x', '1'), sql('a', '2'), sql('z', '3')], 'Old'), nb([sql('a', '2')], 'New'));
    expect(d.cells.map((c) => [c.id, c.change])).toEqual([['x', 'removed'], ['a', 'same'], ['z', 'removed']]);
    expect([d.titleBefore, d.titleAfter]).toEqual(['Old', 'New']);
  });
});
