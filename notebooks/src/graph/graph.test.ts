import { describe, expect, it } from 'vitest';
import type { CellAnalysis } from '../cells/analysis.ts';
import { analyseTs } from '../cells/ts-analysis.ts';
import { NotebookGraph } from './graph.ts';

const cell = (defines: string[], uses: string[], extra: Partial<CellAnalysis> = {}): CellAnalysis => ({ defines, uses, problems: [], ...extra });

describe('notebook graph', () => {
  // a (sql by_product) → b (ts share) → c (prose); d (ts run1 runs the engine) → e (sql FROM RUN1_EVE); f unrelated
  const build = () => NotebookGraph.fromCells([
    { id: 'c', analysis: cell([], ['share']) },
    { id: 'a', analysis: cell(['by_product'], [], { caseInsensitiveUses: true }) },
    { id: 'b', analysis: analyseTs('const rows = await by_product.rows(10);\nexport const share = rows.length;') },
    { id: 'd', analysis: analyseTs('export const r = await alm.run({ scenarios: shocks });', 'run1') },
    { id: 'e', analysis: cell(['eve'], ['RUN1_EVE'], { caseInsensitiveUses: true }) },
    { id: 'f', analysis: cell(['shocks'], []) },
  ]);

  it('ancestors, descendants, run order and stale set follow the names cells read', () => {
    const g = build();
    expect([...g.ancestors('c')].sort()).toEqual(['a', 'b']);
    expect([...g.descendants('a')].sort()).toEqual(['b', 'c']);
    expect([...g.descendants('f')].sort()).toEqual(['d', 'e']);
    expect(g.parents('e')).toEqual(['d']);
    // every cell after what it reads; ties in document order (c was written first but reads b)
    expect(g.runOrder()).toEqual(['a', 'b', 'c', 'f', 'd', 'e']);
    expect(g.runOrder(['e', 'c', 'a'])).toEqual(['a', 'c', 'e']);
    expect([...g.staleAfter(['b'])].sort()).toEqual(['b', 'c']);
    expect(g.problems()).toEqual(new Map());
  });

  it('register replaces a cell\'s analysis and delete removes it, edges following', () => {
    const g = build();
    g.register('b', analyseTs('export const share = 1;'));
    expect(g.ancestors('c')).toEqual(new Set(['b']));
    g.delete('b');
    expect(g.ancestors('c')).toEqual(new Set());
    expect(g.problems().get('c')).toEqual(['reads "share", which no cell defines']);
    g.register('g', cell(['share'], []));
    expect(g.parents('c')).toEqual(['g']);
    expect(g.problems().get('c')).toBeUndefined();
  });

  it('two cells defining one name is an error on both, and on the cell reading it', () => {
    const g = build();
    g.register('x', analyseTs('export const share = 2;'));
    const problems = g.problems();
    expect(problems.get('b')).toEqual(['"share" is defined by 2 cells (b, x); rename it in all but one']);
    expect(problems.get('x')).toEqual(['"share" is defined by 2 cells (b, x); rename it in all but one']);
    expect(problems.get('c')).toEqual(['reads "share", which 2 cells define (b, x); it is not known which one is meant']);
  });

  it('helpers with the same local name in two ts cells are no conflict', () => {
    const g = NotebookGraph.fromCells([
      { id: 'p', analysis: analyseTs('const rows = [1]; for (let i = 0; i < 2; i++) {}\nexport const p = rows.length;') },
      { id: 'q', analysis: analyseTs('const rows = [2]; for (let i = 0; i < 2; i++) {}\nexport const q = rows.length + p;') },
    ]);
    expect(g.problems()).toEqual(new Map());
    expect(g.runOrder()).toEqual(['p', 'q']);
  });

  it('a cycle is an error on every cell in it, in words; those cells are left out of the run order', () => {
    const g = NotebookGraph.fromCells([
      { id: 'x', analysis: cell(['a'], ['c']) },
      { id: 'y', analysis: cell(['b'], ['a']) },
      { id: 'z', analysis: cell(['c'], ['b']) },
      { id: 'w', analysis: cell(['d'], ['c']) },
      { id: 'self', analysis: cell(['t'], ['t'], { caseInsensitiveUses: true }) },
    ]);
    const problems = g.problems();
    const words = 'cells x, y, z form a cycle (x reads "c" from z, y reads "a" from x, z reads "b" from y); none of them can run until one stops reading the others';
    expect(problems.get('x')).toEqual([words]);
    expect(problems.get('y')).toEqual([words]);
    expect(problems.get('z')).toEqual([words]);
    expect(problems.get('w')).toBeUndefined();
    expect(problems.get('self')).toEqual(['reads "t", its own output']);
    expect(g.runOrder()).toEqual([]);
  });

  it('SQL tables no cell defines are not graph errors (they may be tables of the workspace)', () => {
    const g = NotebookGraph.fromCells([{ id: 's', analysis: cell(['q'], ['some_run_table'], { caseInsensitiveUses: true }) }]);
    expect(g.unresolved('s')).toEqual(['some_run_table']);
    expect(g.problems()).toEqual(new Map());
  });

  it('a long chain of 2,000 cells orders and reaches without recursion limits', () => {
    const cells = Array.from({ length: 2000 }, (_, i) => ({ id: `c${i}`, analysis: cell([`n${i}`], i > 0 ? [`n${i - 1}`] : []) })).reverse();
    const g = NotebookGraph.fromCells(cells);
    expect(g.runOrder().slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    expect(g.descendants('c0').size).toBe(1999);
  });

  it('a wide notebook (1,000 cells ready at once beside a chain) orders in document order where nothing forces otherwise', () => {
    // c<i> reads n<i+1> (written after it): the chain runs backwards; p<i> are independent prose cells in between
    const cells = Array.from({ length: 1000 }, (_, i) => [
      { id: `c${i}`, analysis: cell([`n${i}`], i < 999 ? [`n${i + 1}`] : []) },
      { id: `p${i}`, analysis: cell([], []) },
    ]).flat();
    const g = NotebookGraph.fromCells(cells);
    const order = g.runOrder();
    expect(order.slice(0, 4)).toEqual(['p0', 'p1', 'p2', 'p3']); // every prose cell is ready first and comes in document order…
    // …then c999 (rank 1998) is the lowest ready rank, and each c<k> it frees ranks below p999 (rank 1999), which comes last
    expect(order.slice(998, 1002)).toEqual(['p998', 'c999', 'c998', 'c997']);
    expect(order.at(-2)).toBe('c0');
    expect(order.at(-1)).toBe('p999');
    expect(order).toHaveLength(2000);
    expect(g.runOrder()).toEqual(order);
  });
});
