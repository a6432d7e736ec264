import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate.ts';

describe('applyMigrations', () => {
  it('applies each migration once, in order, and rolls a failing one back alone', () => {
    const db = new Database(':memory:');
    const first = [{ id: 'a', sql: 'CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);' }];
    expect(applyMigrations(db, first)).toEqual(['a']);
    expect(applyMigrations(db, first)).toEqual([]);
    const broken = [...first, { id: 'b', sql: 'INSERT INTO t VALUES (2); INSERT INTO missing VALUES (3);' }];
    expect(() => applyMigrations(db, broken)).toThrow(/Database migration "b" failed: no such table: missing/);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(1);
    expect(db.prepare('SELECT id FROM schema_migrations').pluck().all()).toEqual(['a']);
    expect(() => applyMigrations(db, [...first, ...first])).toThrow(/listed twice/);
    db.close();
  });
});
