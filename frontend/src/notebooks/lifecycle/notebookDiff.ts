/**
 * Two notebook documents compared cell by cell. Cells are matched by id (ids survive edits, moves
 * and renames); a cell only in the second is added, only in the first removed, in both with another
 * kind, name or source changed. The order is the second document's, each removed cell placed after
 * the cell that preceded it in the first.
 */
import type { NotebookCell, NotebookDocument } from '@almready/notebooks';
import { diffLines, splitLines, type DiffLine } from './lineDiff.ts';

export type CellChange = 'same' | 'added' | 'removed' | 'changed';

export interface CellDiff {
  id: string;
  change: CellChange;
  before?: NotebookCell;
  after?: NotebookCell;
  /** the source, line by line (all `same` for an unchanged cell) */
  lines: DiffLine[];
  /** what changed besides the source */
  kindChanged: boolean;
  nameChanged: boolean;
  moved: boolean;
}

export interface NotebookDiff {
  titleBefore: string;
  titleAfter: string;
  cells: CellDiff[];
  counts: Record<CellChange, number>;
}

export function diffNotebooks(before: NotebookDocument, after: NotebookDocument): NotebookDiff {
  const beforeById = new Map(before.cells.map((c, i) => [c.id, { cell: c, index: i }]));
  const afterIds = new Set(after.cells.map((c) => c.id));
  const kept = before.cells.filter((c) => afterIds.has(c.id)).map((c) => c.id);
  const keptAfter = after.cells.filter((c) => beforeById.has(c.id)).map((c) => c.id);
  const keptRank = new Map(keptAfter.map((id, i) => [id, i]));

  const compare = (b: NotebookCell | undefined, a: NotebookCell | undefined): CellDiff => {
    const id = (a ?? b)!.id;
    const lines = diffLines(b ? splitLines(b.source) : [], a ? splitLines(a.source) : []);
    if (!b) return { id, change: 'added', after: a!, lines, kindChanged: false, nameChanged: false, moved: false };
    if (!a) return { id, change: 'removed', before: b, lines, kindChanged: false, nameChanged: false, moved: false };
    const kindChanged = a.kind !== b.kind;
    const nameChanged = (a.name ?? '') !== (b.name ?? '');
    const moved = kept.indexOf(id) !== keptRank.get(id);
    const change = kindChanged || nameChanged || a.source !== b.source ? 'changed' : 'same';
    return { id, change, before: b, after: a, lines, kindChanged, nameChanged, moved };
  };

  const cells: CellDiff[] = [];
  const placed = new Set<string>();
  const placeRemovedAfter = (beforeIndex: number) => {
    // removed cells that followed this one in the first document, until the next kept cell
    for (let i = beforeIndex + 1; i < before.cells.length; i++) {
      const cell = before.cells[i]!;
      if (afterIds.has(cell.id)) break;
      if (!placed.has(cell.id)) { cells.push(compare(cell, undefined)); placed.add(cell.id); }
    }
  };
  placeRemovedAfter(-1);
  for (const cell of after.cells) {
    const old = beforeById.get(cell.id);
    cells.push(compare(old?.cell, cell));
    if (old) placeRemovedAfter(old.index);
  }
  for (const cell of before.cells) if (!afterIds.has(cell.id) && !placed.has(cell.id)) cells.push(compare(cell, undefined));

  const counts: Record<CellChange, number> = { same: 0, added: 0, removed: 0, changed: 0 };
  for (const c of cells) counts[c.change]++;
  return { titleBefore: before.title, titleAfter: after.title, cells, counts };
}
