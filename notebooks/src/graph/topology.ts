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
    const ready = this.cells().filter((id) => pending.get(id) === 0);
    const out: string[] = [];
    while (ready.length > 0) {
      ready.sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
      const id = ready.shift()!;
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
