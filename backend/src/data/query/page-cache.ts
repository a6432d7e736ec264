/**
 * Finished grid pages, remembered by their table file and request. Dataset and run files are
 * written once, so a page never goes stale; a grid (or fifty users of one dataset) asking for the
 * same block again is answered without DuckDB. Identical requests in flight share one query.
 * Bounded by the number of cells held; pages larger than `maxRows` are not kept.
 */
import type { PageResult } from './page-request.ts';

export interface PageCacheLimits { maxCells: number; maxRows: number }

export class PageCache {
  private readonly done = new Map<string, { result: PageResult; cells: number }>();
  private readonly running = new Map<string, Promise<PageResult>>();
  private cells = 0;

  constructor(private readonly limits: PageCacheLimits = { maxCells: 500_000, maxRows: 1_000 }) {}

  /** The remembered page of `key`, the one being computed, or `compute()`'s (remembered if small). */
  get(key: string, compute: () => Promise<PageResult>): Promise<PageResult> {
    const hit = this.done.get(key);
    if (hit) {
      // Re-inserting moves the key to the end: the Map's order is least recently used first.
      this.done.delete(key);
      this.done.set(key, hit);
      return Promise.resolve(hit.result);
    }
    const pending = this.running.get(key);
    if (pending) return pending;
    const job = compute().then((result) => {
      this.remember(key, result);
      return result;
    }).finally(() => this.running.delete(key));
    this.running.set(key, job);
    return job;
  }

  /** Keeps a page computed ahead of its request (read-ahead), unless one is already known. */
  put(key: string, result: PageResult): void {
    if (!this.done.has(key) && !this.running.has(key)) this.remember(key, result);
  }

  /** False when the budget is zero: nothing would be kept, so nothing should be computed ahead. */
  get enabled(): boolean {
    return this.limits.maxCells > 0;
  }

  get size(): number {
    return this.done.size;
  }

  private remember(key: string, result: PageResult): void {
    const cells = Math.max(1, result.rows.length * Math.max(1, result.columns.length));
    if (result.rows.length > this.limits.maxRows || cells > this.limits.maxCells) return;
    this.done.set(key, { result, cells });
    this.cells += cells;
    for (const [oldKey, old] of this.done) {
      if (this.cells <= this.limits.maxCells) break;
      this.done.delete(oldKey);
      this.cells -= old.cells;
    }
  }
}
