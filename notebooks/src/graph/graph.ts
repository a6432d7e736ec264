/**
 * The notebook's dependency graph behind a small API (register, delete, ancestors, descendants,
 * stale set, run order, problems), as marimo's dataflow coordinator splits it: `definitions.ts`
 * (who defines which name), `topology.ts` (edges) and `cycles.ts`. Edges are rebuilt from the
 * registered analyses after every change — a notebook has at most a few thousand cells, and a
 * rebuild can never leave an edge behind that a changed cell no longer implies.
 */
import type { CellAnalysis } from '../cells/analysis.ts';
import { findCycles } from './cycles.ts';
import { Definitions } from './definitions.ts';
import { Topology } from './topology.ts';

interface Edge { from: string; to: string; name: string }

export class NotebookGraph {
  private readonly analyses = new Map<string, CellAnalysis>();
  private readonly definitions = new Definitions();
  private readonly topology = new Topology();
  private edges: Edge[] = [];
  private edgesInto = new Map<string, Edge[]>();
  /** The whole graph's order, computed once per rebuild. */
  private order: string[] | undefined;
  private cycles: string[][] = [];
  private unresolvedUses = new Map<string, string[]>();

  /** Cells in document order (the order runs break ties in). */
  static fromCells(cells: readonly { id: string; analysis: CellAnalysis }[]): NotebookGraph {
    const graph = new NotebookGraph();
    for (const cell of cells) graph.put(cell.id, cell.analysis);
    graph.rebuild();
    return graph;
  }

  /** Adds a cell or replaces its analysis (a new cell goes last in document order). */
  register(id: string, analysis: CellAnalysis): void {
    this.put(id, analysis);
    this.rebuild();
  }

  delete(id: string): void {
    this.analyses.delete(id);
    this.definitions.delete(id);
    this.rebuild();
  }

  cellIds(): string[] {
    return [...this.analyses.keys()];
  }

  parents(id: string): string[] {
    return [...this.topology.parents(id)];
  }

  children(id: string): string[] {
    return [...this.topology.children(id)];
  }

  ancestors(id: string): Set<string> {
    return this.topology.reach([id], (c) => this.topology.parents(c));
  }

  descendants(id: string): Set<string> {
    return this.topology.reach([id], (c) => this.topology.children(c));
  }

  /** What an edit of `changed` makes stale: those cells and everything that reads them. */
  staleAfter(changed: Iterable<string>): Set<string> {
    const ids = [...changed].filter((id) => this.analyses.has(id));
    const out = this.topology.reach(ids, (c) => this.topology.children(c));
    ids.forEach((id) => out.add(id));
    return out;
  }

  /** `ids` (all cells when absent) in an order where every cell comes after the cells it reads; cells on a cycle are left out. */
  runOrder(ids?: Iterable<string>): string[] {
    this.order ??= this.topology.topologicalOrder(this.cellIds());
    const order = [...this.order];
    if (ids === undefined) return order;
    const wanted = new Set(ids);
    return order.filter((id) => wanted.has(id));
  }

  /** The names a cell reads with the cell each comes from (one entry per use and definer). */
  inputs(id: string): { name: string; from: string }[] {
    return (this.edgesInto.get(id) ?? []).map((e) => ({ name: e.name, from: e.from }));
  }

  /** Names a cell reads that no cell defines (for SQL these may be tables outside the notebook). */
  unresolved(id: string): string[] {
    return this.unresolvedUses.get(id) ?? [];
  }

  /**
   * Errors in words on every cell involved: two cells defining one name, cycles, a cell reading its
   * own output, and names a `ts` or prose cell reads that nothing defines. Analysis problems are
   * the cells' own and are not repeated here.
   */
  problems(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (id: string, message: string) => out.set(id, [...(out.get(id) ?? []), message]);
    for (const [name, ids] of this.definitions.duplicates()) {
      for (const id of ids) add(id, `"${name}" is defined by ${ids.length} cells (${ids.join(', ')}); rename it in all but one`);
      for (const edge of this.edges) if (edge.name === name && !ids.includes(edge.to) && edge.from === ids[0]) add(edge.to, `reads "${name}", which ${ids.length} cells define (${ids.join(', ')}); it is not known which one is meant`);
    }
    for (const cycle of this.cycles) {
      const members = new Set(cycle);
      const inside = this.edges.filter((e) => members.has(e.from) && members.has(e.to));
      if (cycle.length === 1) {
        const self = inside.find((e) => e.from === e.to);
        add(cycle[0]!, `reads "${self?.name ?? '?'}", its own output`);
        continue;
      }
      const how = inside.map((e) => `${e.to} reads "${e.name}" from ${e.from}`).join(', ');
      for (const id of cycle) add(id, `cells ${cycle.join(', ')} form a cycle (${how}); none of them can run until one stops reading the others`);
    }
    for (const [id, names] of this.unresolvedUses) {
      if (this.analyses.get(id)?.caseInsensitiveUses) continue;
      for (const name of names) add(id, `reads "${name}", which no cell defines`);
    }
    return out;
  }

  private put(id: string, analysis: CellAnalysis): void {
    this.analyses.set(id, analysis);
    this.definitions.register(id, analysis.defines, analysis.tablePrefix);
  }

  private rebuild(): void {
    this.topology.clear();
    this.edges = [];
    this.edgesInto = new Map();
    this.order = undefined;
    this.unresolvedUses = new Map();
    for (const id of this.analyses.keys()) this.topology.addCell(id);
    for (const [id, analysis] of this.analyses) {
      for (const name of analysis.uses) {
        const definers = this.definitions.resolve(name, analysis.caseInsensitiveUses === true);
        if (definers.length === 0) this.unresolvedUses.set(id, [...(this.unresolvedUses.get(id) ?? []), name]);
        for (const from of definers) {
          this.topology.addEdge(from, id);
          const edge = { from, to: id, name };
          this.edges.push(edge);
          this.edgesInto.set(id, [...(this.edgesInto.get(id) ?? []), edge]);
        }
      }
    }
    this.cycles = findCycles(this.topology);
  }
}
