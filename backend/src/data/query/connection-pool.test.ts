import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, type DuckDb } from '../duckdb.ts';
import { ConnectionPool } from './connection-pool.ts';

let db: DuckDb;
beforeAll(async () => { db = await openDuckDb(); });
afterAll(() => db.close());

describe('ConnectionPool', () => {
  it('opens up to its size, then hands released connections to waiters in order', async () => {
    const pool = new ConnectionPool(db.instance, db.connection, 2);
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect(a.connection).toBe(db.connection);
    expect(b.connection).not.toBe(a.connection);
    expect(pool.inUse).toBe(2);
    const order: string[] = [];
    const third = pool.acquire().then((l) => { order.push('third'); return l; });
    const fourth = pool.acquire().then((l) => { order.push('fourth'); return l; });
    pool.release(b);
    expect((await third).connection).toBe(b.connection);
    pool.release(a);
    expect((await fourth).connection).toBe(a.connection);
    expect(order).toEqual(['third', 'fourth']);
    pool.release(await third);
    pool.release(await fourth);
    expect(pool.inUse).toBe(0);
    pool.stop(() => new Error('closed'));
    pool.closeIdle();
  });

  it('runs statements of different leases at the same time', async () => {
    const pool = new ConnectionPool(db.instance, db.connection, 2);
    const slow = await pool.acquire();
    const fast = await pool.acquire();
    const running = slow.connection.run('select count(*) from range(20000000000)').then(() => 'finished', (e: unknown) => String(e));
    const started = Date.now();
    const reader = await fast.connection.runAndReadAll('select 41 + 1 as n');
    expect(reader.getRowsJson()).toEqual([[42]]);
    expect(Date.now() - started).toBeLessThan(2000);
    // Interrupting one lease stops its statement only.
    slow.connection.interrupt();
    expect(await running).toMatch(/INTERRUPT/i);
    expect((await fast.connection.runAndReadAll('select 1')).getRowsJson()).toEqual([[1]]);
    pool.release(slow);
    pool.release(fast);
    pool.stop(() => new Error('closed'));
    pool.closeIdle();
  });

  it('fails waiting and later requests once stopped', async () => {
    const pool = new ConnectionPool(db.instance, db.connection, 1);
    const only = await pool.acquire();
    const waiting = pool.acquire();
    pool.stop(() => new Error('pool closed'));
    await expect(waiting).rejects.toThrow('pool closed');
    await expect(pool.acquire()).rejects.toThrow('pool closed');
    pool.release(only);
    pool.closeIdle();
  });
});
