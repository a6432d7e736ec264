/** The edges of the notebook graph: parent → child when the child reads a name the parent defines. */
export class Topology {
  private readonly parentsOf = new Map<string, Set<string>>();
  private readonly childrenOf = new Map<string, Set<string>>();

  addCell(id: string): void {
    if (!this.parentsOf.has(id)) this.parentsOf.set(id, new Set());
    if (!this.childrenOf.has(id)) this.childrenOf.set(id, new Set());
  }

  addEdge(parent: string, child: string): void {
    this.addCell(parent);
    this.addCell(child);
    this.childrenOf.get(parent)!.add(child);
    this.parentsOf.get(child)!.add(parent);
  }

  clear(): void {
    this.parentsOf.clear();
    this.childrenOf.clear();
  }

  cells(): string[] {
    return [...this.parentsOf.keys()];
  }

  parents(id: string): ReadonlySet<string> {
    return this.parentsOf.get(id) ?? new Set();
  }

  children(id: string): ReadonlySet<string> {
    return this.childrenOf.get(id) ?? new Set();
  }

  /** Every cell reachable from `ids` following `step`, the starting cells left out unless reached again. */
  reach(ids: Iterable<string>, step: (id: string) => ReadonlySet<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids].flatMap((id) => [...step(id)]);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...step(id));
    }
    return seen;
  }

  /**
   * Kahn's order over the whole graph, ties broken by `order` (document order); cells on a cycle
   * never become ready and are left out.
   */
  topologicalOrder(order: readonly string[]): string[] {
    const rank = new Map(order.map((id, i) => [id, i]));
    const pending = new Map(this.cells().map((id) => [id, this.parents(id).size]));
    // a heap on document rank: sorting the ready list each step was quadratic when many cells are ready at once
    const ready = new RankHeap((id) => rank.get(id) ?? Infinity);
    for (const id of this.cells()) if (pending.get(id) === 0) ready.push(id);
    const out: string[] = [];
    for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
      out.push(id);
      for (const child of this.children(id)) {
        const left = pending.get(child)! - 1;
        pending.set(child, left);
        if (left === 0) ready.push(child);
      }
    }
    return out;
  }
}

/** A binary min-heap of cell ids by rank; equal ranks (cells outside `order`) keep no particular order among themselves. */
class RankHeap {
  private readonly items: string[] = [];
  constructor(private readonly rank: (id: string) => number) {}

  push(id: string): void {
    const items = this.items;
    items.push(id);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.rank(items[parent]!) <= this.rank(items[i]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): string | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let min = i;
      if (l < items.length && this.rank(items[l]!) < this.rank(items[min]!)) min = l;
      if (r < items.length && this.rank(items[r]!) < this.rank(items[min]!)) min = r;
      if (min === i) break;
      [items[min], items[i]] = [items[i]!, items[min]!];
      i = min;
    }
    return top;
  }
}
