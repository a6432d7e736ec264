/**
 * Datasets' engine columns kept between runs (datasets are immutable: a dataset's folder never
 * changes once imported), so a second run on the same dataset skips loading it through DuckDB.
 * Entries are SharedDatasets (shared-dataset.ts): the workers read the same memory. The cache
 * holds at most `budgetBytes` (config.ts ALMREADY_RUN_CACHE_MB); the least recently used entries
 * go first. A dataset larger than the whole budget is not kept (its run still uses it). An evicted
 * entry stays alive as long as a run still reads it; the budget counts what the cache holds.
 */
import type { SharedDataset } from './shared-dataset.ts';

export interface DatasetCacheStats {
  entries: number;
  bytes: number;
  budgetBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export class DatasetCache {
  // a Map iterates in insertion order: re-inserting on use keeps the least recently used first
  private readonly entries = new Map<string, SharedDataset>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly budgetBytes: number) {
    if (!(Number.isFinite(budgetBytes) && budgetBytes >= 0)) throw new RangeError(`the dataset cache budget must be 0 or more bytes, got ${budgetBytes}`);
  }

  /** The cached columns of the dataset at `key` (its folder), now the most recently used; undefined on a miss. */
  get(key: string): SharedDataset | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Keeps `dataset` under `key`, evicting the least recently used entries until it fits; false when it cannot fit at all. */
  put(key: string, dataset: SharedDataset): boolean {
    this.drop(key);
    if (dataset.bytes > this.budgetBytes) return false;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes + dataset.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
      this.evictions += 1;
    }
    this.entries.set(key, dataset);
    this.bytes += dataset.bytes;
    return true;
  }

  /** Forgets the dataset at `key` (deleted); true when it was cached. */
  drop(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    return true;
  }

  /** Forgets every dataset whose key passes `test` (a deleted workspace's). */
  dropWhere(test: (key: string) => boolean): number {
    let dropped = 0;
    for (const key of [...this.entries.keys()]) if (test(key) && this.drop(key)) dropped += 1;
    return dropped;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): DatasetCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, budgetBytes: this.budgetBytes, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }
}
