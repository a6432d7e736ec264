/**
 * Edits of a notebook document as pure functions (the document format itself lives in
 * `@almready/notebooks`; the editor never invents its own shape).
 */
import { isComputingKind, type CellKind, type NotebookCell, type NotebookDocument } from '@almready/notebooks';

export function newCellId(existing: NotebookCell[], random: () => number = Math.random): string {
  const ids = new Set(existing.map((c) => c.id));
  for (;;) {
    const id = `c${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
    if (!ids.has(id)) return id;
  }
}

export function addCell(doc: NotebookDocument, kind: CellKind, random?: () => number): NotebookDocument {
  return { ...doc, cells: [...doc.cells, { id: newCellId(doc.cells, random), kind, source: '' }] };
}

export function updateCell(doc: NotebookDocument, id: string, change: Partial<Pick<NotebookCell, 'source' | 'kind' | 'name'>> & { lazy?: boolean }): NotebookDocument {
  return {
    ...doc,
    cells: doc.cells.map((cell) => {
      if (cell.id !== id) return cell;
      const next = { ...cell, ...change } as NotebookCell;
      if (next.name === undefined || next.name === '') delete next.name;
      if ('lazy' in next && next.lazy !== true) delete (next as { lazy?: boolean }).lazy; // not lazy is the default: no key
      // only computing cells (sql, ts) can be lazy; a cell turned into a view or prose drops it
      if (!isComputingKind(next.kind) && 'lazy' in next) {
        const { lazy: _dropped, ...rest } = next;
        return rest;
      }
      return next;
    }),
  };
}

export function moveCell(doc: NotebookDocument, id: string, offset: -1 | 1): NotebookDocument {
  const index = doc.cells.findIndex((c) => c.id === id);
  const target = index + offset;
  if (index < 0 || target < 0 || target >= doc.cells.length) return doc;
  const cells = [...doc.cells];
  [cells[index], cells[target]] = [cells[target]!, cells[index]!];
  return { ...doc, cells };
}

/** The notebook-wide lazy mode (absent when off, so an untouched document stays as written). */
export function setNotebookLazy(doc: NotebookDocument, lazy: boolean): NotebookDocument {
  const { lazy: _old, ...rest } = doc;
  return lazy ? { ...rest, lazy: true } : rest;
}

export function removeCell(doc: NotebookDocument, id: string): NotebookDocument {
  return { ...doc, cells: doc.cells.filter((c) => c.id !== id) };
}

export const EDITOR_LANGUAGE: Record<CellKind, 'sql' | 'typescript' | 'markdown' | 'plaintext'> = {
  markdown: 'markdown',
  sql: 'sql',
  ts: 'typescript',
  chart: 'plaintext',
  grid: 'plaintext',
  input: 'plaintext',
};
