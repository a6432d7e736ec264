import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { statement } from './statements.ts';

describe('statement', () => {
  it('compiles a SQL text once per database and keeps databases apart', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    a.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)');
    b.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (40)');
    const sql = 'SELECT sum(x) AS s FROM t';
    expect(statement(a, sql)).toBe(statement(a, sql));
    expect(statement(a, sql)).not.toBe(statement(b, sql));
    expect(statement(a, sql).get()).toEqual({ s: 3 });
    expect(statement(b, sql).get()).toEqual({ s: 40 });
    a.close();
    b.close();
  });
});
