/**
 * Which cell defines which name. A name defined by two cells is an error on both; a `ts` cell that
 * runs the engine owns every name under its table prefix (`run1_` → `run1_eve`, `run1_nii`, …).
 * SQL cells resolve names case-insensitively, as DuckDB does.
 */
export class Definitions {
  private readonly byName = new Map<string, Set<string>>();
  private readonly prefixes = new Map<string, string>(); // cell id → prefix

  register(cellId: string, names: readonly string[], tablePrefix?: string): void {
    this.delete(cellId);
    for (const name of names) {
      const set = this.byName.get(name) ?? new Set<string>();
      set.add(cellId);
      this.byName.set(name, set);
    }
    if (tablePrefix !== undefined) this.prefixes.set(cellId, tablePrefix);
  }

  delete(cellId: string): void {
    for (const [name, set] of this.byName) {
      set.delete(cellId);
      if (set.size === 0) this.byName.delete(name);
    }
    this.prefixes.delete(cellId);
  }

  /** The cells a use of `name` reads: exact definers, else (for SQL) a unique case-insensitive match, else a table prefix owner. */
  resolve(name: string, caseInsensitive: boolean): string[] {
    const exact = this.byName.get(name);
    if (exact) return [...exact];
    if (caseInsensitive) {
      const lower = name.toLowerCase();
      const matches = [...this.byName].filter(([n]) => n.toLowerCase() === lower).flatMap(([, ids]) => [...ids]);
      if (matches.length > 0) return [...new Set(matches)];
    }
    const owners: string[] = [];
    for (const [cellId, prefix] of this.prefixes) {
      const head = `${prefix}_`;
      if (caseInsensitive ? name.toLowerCase().startsWith(head.toLowerCase()) : name.startsWith(head)) owners.push(cellId);
    }
    return owners;
  }

  /** Names defined by more than one cell, with those cells. */
  duplicates(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [name, ids] of this.byName) if (ids.size > 1) out.set(name, [...ids]);
    return out;
  }
}
