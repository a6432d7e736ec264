import { describe, expect, it } from 'vitest';
import { syntheticBalanceSheet } from '@almready/engine';
import { DatasetCache } from './dataset-cache.ts';
import { idsOf, shareDataset, type SharedDataset } from './shared-dataset.ts';

const dataset = (bytes: number): SharedDataset => ({ ...shareDataset({ ...syntheticBalanceSheet({ positions: 10, asOf: '2025-06-30', seed: 1 }), asOf: '2025-06-30' }), bytes });

describe('the dataset cache', () => {
  it('evicts the least recently used entries to stay within its budget', () => {
    const cache = new DatasetCache(300);
    const [a, b, c] = [dataset(100), dataset(100), dataset(150)];
    expect(cache.put('/a', a)).toBe(true);
    expect(cache.put('/b', b)).toBe(true);
    expect(cache.get('/a')).toBe(a); // a is now more recent than b
    expect(cache.put('/c', c)).toBe(true); // 350 > 300: b goes
    expect(cache.has('/b')).toBe(false);
    expect(cache.get('/a')).toBe(a);
    expect(cache.get('/c')).toBe(c);
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 250, evictions: 1, hits: 3, misses: 0 });
    expect(cache.get('/b')).toBeUndefined();
    expect(cache.stats().misses).toBe(1);
  });

  it('does not keep a dataset larger than the whole budget, nor anything with budget 0', () => {
    const cache = new DatasetCache(99);
    expect(cache.put('/big', dataset(100))).toBe(false);
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
    const off = new DatasetCache(0);
    expect(off.put('/x', dataset(1))).toBe(false);
    expect(() => new DatasetCache(-1)).toThrow(/0 or more bytes/);
  });

  it('drops a deleted dataset, and a deleted workspace\'s datasets', () => {
    const cache = new DatasetCache(1000);
    cache.put('/w1/datasets/a', dataset(10));
    cache.put('/w1/datasets/b', dataset(10));
    cache.put('/w2/datasets/a', dataset(10));
    expect(cache.drop('/w1/datasets/a')).toBe(true);
    expect(cache.drop('/w1/datasets/a')).toBe(false);
    expect(cache.dropWhere((key) => key.startsWith('/w1/'))).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 10 });
  });
});

describe('shared datasets', () => {
  it('hold the columns on SharedArrayBuffer in locality order, with the ids in the same order', () => {
    const book = syntheticBalanceSheet({ positions: 500, asOf: '2025-06-30', seed: 4 });
    const shared = shareDataset({ ...book, asOf: '2025-06-30' });
    expect(shared.positions.notional.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.ids.chars.buffer).toBeInstanceOf(SharedArrayBuffer);
    const ids = idsOf(shared.ids);
    expect(ids).toHaveLength(500);
    expect(new Set(ids)).toEqual(new Set(book.positions.id));
    // each id travels with its row
    for (let k = 0; k < 500; k += 37) {
      const i = book.positions.id.indexOf(ids[k]!);
      expect(shared.positions.notional[k]).toBe(book.positions.notional[i]);
      expect(shared.positions.maturityDate[k]).toBe(book.positions.maturityDate[i]);
    }
    expect(shared.bytes).toBeGreaterThan(500 * 100);
  });
});
