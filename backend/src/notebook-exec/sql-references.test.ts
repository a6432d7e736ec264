/** Table references of real SQL through DuckDB's own parser, then through the cell analysis. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseSql } from '@almready/notebooks';
import { openDuckDb, type DuckDb } from '../data/duckdb.ts';
import { sqlReferencePort } from './sql-references.ts';

let db: DuckDb;
beforeAll(async () => { db = await openDuckDb(); });
afterAll(() => db?.close());

const tables = async (sql: string) => {
  const refs = await sqlReferencePort(db).tableReferences(sql);
  return refs.ok ? refs.tables.sort() : refs;
};

describe('sql table references (json_serialize_sql)', () => {
  it('joins, subqueries in FROM and WHERE, set operations and schema-qualified names', async () => {
    expect(await tables('SELECT * FROM by_product p JOIN run1_eve e ON p.x = e.x LEFT JOIN curves c USING (k)')).toEqual(['by_product', 'curves', 'run1_eve']);
    expect(await tables('SELECT * FROM (SELECT * FROM a) s WHERE x IN (SELECT y FROM b) AND EXISTS (SELECT 1 FROM c WHERE c.k = s.k)')).toEqual(['a', 'b', 'c']);
    expect(await tables('SELECT x FROM a UNION ALL SELECT x FROM b EXCEPT SELECT x FROM main.c')).toEqual(['a', 'b', 'c']);
    expect(await tables('SELECT (SELECT max(v) FROM scalar_src) AS m, list(x) FROM positions')).toEqual(['positions', 'scalar_src']);
    expect(await tables('SELECT * FROM other_db.s.t')).toEqual(['other_db.s.t']);
  });

  it('CTEs are not references — in scope for later CTEs and the body, not outside their query', async () => {
    expect(await tables('WITH t AS (SELECT * FROM positions), u AS (SELECT * FROM t JOIN by_product USING (k)) SELECT * FROM u, t')).toEqual(['by_product', 'positions']);
    expect(await tables('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r')).toEqual([]);
    // a CTE name is case-insensitive; a CTE inside a subquery does not hide the outer table of that name
    expect(await tables('WITH Big AS (SELECT 1) SELECT * FROM big')).toEqual([]);
    expect(await tables('SELECT * FROM (WITH t AS (SELECT 1) SELECT * FROM t) s JOIN t USING (k)')).toEqual(['t']);
    // a qualified name never means the CTE
    expect(await tables('WITH curves AS (SELECT 1) SELECT * FROM main.curves')).toEqual(['curves']);
  });

  it('quoted names keep their spelling; table functions and literals are not tables', async () => {
    expect(await tables('SELECT * FROM "By Product" JOIN "select" USING (k)')).toEqual(['By Product', 'select']);
    expect(await tables("SELECT * FROM range(10), read_csv('x.csv') WHERE 'FROM fake' <> ''")).toEqual([]);
  });

  it('syntax errors carry DuckDB\'s message and the position; writes are refused in words', async () => {
    expect(await sqlReferencePort(db).tableReferences('SELECT 1 FORM t')).toMatchObject({ ok: false, message: expect.stringContaining('syntax error at or near "t"') });
    expect(await sqlReferencePort(db).tableReferences('DELETE FROM positions')).toEqual({ ok: false, message: 'an SQL cell only reads data: write one SELECT (or WITH … SELECT) statement' });
  });

  it('through the cell analysis: dataset tables are not inputs, the cell name is its output, errors at line and column', async () => {
    const port = sqlReferencePort(db);
    expect(await analyseSql('SELECT * FROM positions JOIN By_Product USING (k)', 'joined', port)).toEqual({ defines: ['joined'], uses: ['By_Product'], caseInsensitiveUses: true, problems: [] });
    const bad = await analyseSql('SELECT 1\nFROM t\nWHER x', 'q', port);
    expect(bad.problems).toEqual([{ message: expect.stringContaining('syntax error at or near "x"'), line: 3, column: 6 }]);
    expect((await analyseSql('SELECT 1; SELECT 2', undefined, port)).problems).toEqual([{ message: 'an SQL cell holds one statement; this one holds 2' }]);
    expect((await analyseSql('SELECT 1', 'positions', port)).problems).toEqual([{ message: '"positions" is the dataset\'s own table; name this result otherwise' }]);
  });
});
