import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, type DuckDb } from './duckdb.ts';
import { isPlainIdentifier, plainIdentifier, qualifiedName, quoteIdent, sqlString, SqlQuoteError } from './sql-quote.ts';

// Strings an attacker would try: quote breaks, comment starters, backslash escapes (DuckDB has
// none in standard strings), statement separators, unicode look-alikes, control characters.
const HOSTILE = [
  "'", "''", '"', '""', "a'b", 'a"b', "'; DROP TABLE t; --", '"); DROP TABLE t; --', "\\'", '\\', '\\\\', "\\' OR 1=1 --",
  "x' || (SELECT 1) || '", '/* */', '-- comment', '$$', '$tag$ x $tag$', "E'\\x41'", 'ʼ', '＇', '″', '🦆', 'Zürich', '中文',
  '\u202e', '\r\n', '\t', '\u0001', ' ', '', 'a'.repeat(100_000) + "'" + 'b'.repeat(100_000),
];

let db: DuckDb;
beforeAll(async () => { db = await openDuckDb(); });
afterAll(() => db.close());

describe('sqlString', () => {
  it.each(HOSTILE.map((s) => [s.length > 40 ? `${s.slice(0, 20)}… (${s.length} chars)` : JSON.stringify(s), s]))('%s comes back from DuckDB unchanged', async (_label, value) => {
    const rows = await db.all(`SELECT ${sqlString(value)} AS v, 1 AS after_it`);
    expect(rows).toEqual([{ v: value, after_it: 1 }]);
  });

  it('doubles quotes and nothing else', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString('back\\slash')).toBe("'back\\slash'");
  });

  it('refuses NUL, which would end the statement early at the C boundary', () => {
    expect(() => sqlString('a\0b')).toThrow(SqlQuoteError);
    expect(() => sqlString("x' LIMIT 1\0")).toThrow(/NUL/);
  });
});

describe('quoteIdent', () => {
  it.each(HOSTILE.filter((s) => s.length > 0 && s.length < 1000).map((s) => [JSON.stringify(s), s]))('%s is one column name to DuckDB', async (_label, name) => {
    const rows = await db.all(`SELECT 1 AS ${quoteIdent(name)}, 2 AS after_it`);
    expect(Object.keys(rows[0] ?? {})).toEqual([name, 'after_it']);
  });

  it('quotes a very long name intact', async () => {
    const name = `${'n'.repeat(5_000)}"${'m'.repeat(5_000)}`;
    const rows = await db.all(`SELECT 7 AS ${quoteIdent(name)}`);
    expect(rows[0]?.[name]).toBe(7);
  });

  it('refuses NUL', () => {
    expect(() => quoteIdent('a\0b')).toThrow(SqlQuoteError);
  });

  it('qualifies schema and name separately', async () => {
    expect(qualifiedName('s"x', 'v')).toBe('"s""x"."v"');
    await db.run(`CREATE SCHEMA ${quoteIdent('s"x')}`);
    await db.run(`CREATE VIEW ${qualifiedName('s"x', 'v')} AS SELECT 3 AS n`);
    expect(await db.all(`SELECT n FROM ${qualifiedName('s"x', 'v')}`)).toEqual([{ n: 3 }]);
  });
});

describe('plain identifiers', () => {
  it('accepts lower-case letters, digits and _ up to 63 characters', () => {
    for (const ok of ['result_eve', '_x', 'a1', 'a'.repeat(63)]) expect(isPlainIdentifier(ok)).toBe(true);
  });

  it.each([['', 'empty'], ['1abc', 'leading digit'], ['Result', 'upper case'], ['a-b', 'dash'], ['a b', 'blank'], ['a"b', 'quote'],
    ["a'b", 'apostrophe'], ['a;b', 'semicolon'], ['a\0b', 'NUL'], ['é', 'accent'], ['ａ', 'full-width letter'], ['a\n', 'trailing newline'],
    ['a'.repeat(64), 'too long'], ['a'.repeat(1_000_000), 'very long']].map(([name, why]) => [why as string, name as string] as const))('refuses a name with %s', (_why, name) => {
    expect(isPlainIdentifier(name)).toBe(false);
    expect(() => plainIdentifier(name, 'Table name')).toThrow(/Table name .* must be lower-case letters, digits and _/);
  });

  it('an error message never carries a raw NUL or a megabyte of input', () => {
    const message = (() => { try { plainIdentifier(`${'x'.repeat(10_000)}\0`); } catch (e) { return (e as Error).message; } return ''; })();
    expect(message.length).toBeLessThan(200);
    expect(message).not.toContain('\0');
  });
});
