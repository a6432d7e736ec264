import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.ts';
import type { PageResult } from './page-request.ts';

const pageOf = (rows: number, columns = 2, rowCount = rows): PageResult => ({
  columns: Array.from({ length: columns }, (_, i) => ({ name: `c${i}`, type: 'INTEGER' })),
  rows: Array.from({ length: rows }, (_, r) => ({ c0: r })),
  rowCount,
});

describe('PageCache', () => {
  it('computes identical concurrent requests once and answers repeats from memory', async () => {
    const cache = new PageCache();
    let calls = 0;
    const compute = async () => { calls += 1; await new Promise((r) => setTimeout(r, 20)); return pageOf(3, 2, 42); };
    const answers = await Promise.all(Array.from({ length: 5 }, () => cache.get('a', compute)));
    expect(calls).toBe(1);
    expect(answers.map((a) => a.rowCount)).toEqual([42, 42, 42, 42, 42]);
    expect((await cache.get('a', compute)).rows).toHaveLength(3);
    expect(calls).toBe(1);
    await cache.get('b', compute);
    expect(calls).toBe(2);
  });

  it('does not keep failures or pages above the row limit', async () => {
    const cache = new PageCache({ maxCells: 1000, maxRows: 10 });
    await expect(cache.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get('x', async () => pageOf(1))).rows).toHaveLength(1);
    await cache.get('big', async () => pageOf(11));
    expect(cache.size).toBe(1);
  });

  it('drops the least recently used pages beyond its cell budget', async () => {
    const cache = new PageCache({ maxCells: 40, maxRows: 100 });
    let calls = 0;
    const compute = async () => { calls += 1; return pageOf(10, 2); };
    await cache.get('p1', compute);
    await cache.get('p2', compute);
    await cache.get('p1', compute); // p1 becomes the most recently used
    await cache.get('p3', compute); // 60 cells > 40: p2 goes
    expect(cache.size).toBe(2);
    expect(calls).toBe(3);
    await cache.get('p1', compute);
    expect(calls).toBe(3);
    await cache.get('p2', compute);
    expect(calls).toBe(4);
  });

  it('keeps nothing with a budget of zero cells', async () => {
    const cache = new PageCache({ maxCells: 0, maxRows: 100 });
    let calls = 0;
    await cache.get('a', async () => { calls += 1; return pageOf(1); });
    await cache.get('a', async () => { calls += 1; return pageOf(1); });
    expect(calls).toBe(2);
  });
});
