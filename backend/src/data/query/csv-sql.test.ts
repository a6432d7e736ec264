import { expect, it } from 'vitest';
import { openDuckDb } from '../duckdb.ts';
import { FORMULA_STARTS, csvLine } from './csv.ts';
import { csvLinesSql } from './csv-sql.ts';

it('writes the same CSV lines in SQL as csv.ts does in JavaScript', async () => {
  const db = await openDuckDb();
  try {
    const inner = `SELECT * FROM (VALUES
      ('plain', 44300.0::DOUBLE, 0.017::DOUBLE, DATE '2024-01-31', 12::INTEGER, 1250000.50::DECIMAL(18,2), true),
      ('a,b', -0.5::DOUBLE, NULL, NULL, NULL, NULL, false),
      ('say "hi"', 1e20::DOUBLE, 3::DOUBLE, DATE '1999-12-31', -7, 0.01, NULL),
      (E'two\\nlines\\r', 123456789.125::DOUBLE, NULL, NULL, 0, 0, true),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    ) AS t(s, d, r, dt, i, m, b)`;
    const shape = await db.connection.runAndReadAll(`${inner} LIMIT 0`);
    const lines = (await db.connection.runAndReadAll(csvLinesSql(inner, shape.columnNames(), shape.columnTypes()))).getRowsJson().map((r) => r[0]);
    expect(lines).toEqual([
      csvLine(['plain', 44300, 0.017, '2024-01-31', 12, '1250000.50', true]),
      csvLine(['a,b', -0.5, null, null, null, null, false]),
      // Past 1e15 a double keeps DuckDB's exponent form (JavaScript would write all 21 digits).
      '"say ""hi""",1e+20,3,1999-12-31,-7,0.01,\r\n',
      csvLine(['two\nlines\r', 123456789.125, null, null, 0, '0.00', true]),
      ',,,,,,\r\n',
    ]);
  } finally {
    db.close();
  }
});

it('neutralises formula-like text in SQL exactly as csv.ts does, and leaves every number alone', async () => {
  const db = await openDuckDb();
  try {
    const texts = [...FORMULA_STARTS.map((c) => `${c}cmd|' /C calc'!A0`), ...FORMULA_STARTS.map((c) => `${c}1,2`), 'a=b', '-'];
    const literal = (t: string) => `'${t.replaceAll("'", "''").replaceAll('\t', "' || chr(9) || '").replaceAll('\r', "' || chr(13) || '")}'`;
    const inner = `SELECT * FROM (VALUES ${texts.map((t, i) => `(${literal(t)}, ${-12.5 - i}::DOUBLE, ${-(i + 1)}::INTEGER, ${-(i + 1)}.25::DECIMAL(18,2), CAST(${-1.5 * (i + 1)} AS FLOAT))`).join(', ')}) AS t(s, d, i, m, f)`;
    const shape = await db.connection.runAndReadAll(`${inner} LIMIT 0`);
    const lines = (await db.connection.runAndReadAll(csvLinesSql(inner, shape.columnNames(), shape.columnTypes()))).getRowsJson().map((r) => r[0]);
    expect(lines).toEqual(texts.map((t, i) => csvLine([t, -12.5 - i, -(i + 1), -(i + 1) - 0.25, -1.5 * (i + 1)])));
    expect(lines[0]).toBe(`'=cmd|' /C calc'!A0,-12.5,-1,-1.25,-1.5\r\n`);
    expect(lines[6]).toBe(`"'=1,2",-18.5,-7,-7.25,-10.5\r\n`);
    expect(lines[13]).toBe(`'-,-25.5,-14,-14.25,-21\r\n`);
  } finally {
    db.close();
  }
});

it('writes sums without float noise: 15 significant digits, every real digit kept', async () => {
  const db = await openDuckDb();
  try {
    const inner = `SELECT g, sum(x) AS total FROM (VALUES ('a', 0.1::DOUBLE), ('a', 0.2::DOUBLE), ('b', 1234567.1::DOUBLE), ('b', 0.2::DOUBLE),
      ('c', 1000::DOUBLE), ('c', 1e-13::DOUBLE), ('d', 0.07::DOUBLE), ('d', 0.07::DOUBLE), ('d', 0.07::DOUBLE), ('e', 123456789012.34567::DOUBLE),
      ('f', 0.0028::DOUBLE), ('g', -1e-5::DOUBLE), ('h', 'inf'::DOUBLE), ('i', 0::DOUBLE)) AS t(g, x) GROUP BY g ORDER BY g`;
    const raw = (await db.connection.runAndReadAll(inner)).getRowsJson().map((r) => r[1]);
    expect(raw[0]).toBe(0.30000000000000004);
    const shape = await db.connection.runAndReadAll(`${inner} LIMIT 0`);
    const lines = (await db.connection.runAndReadAll(csvLinesSql(inner, shape.columnNames(), shape.columnTypes()))).getRowsJson().map((r) => r[0]);
    expect(lines).toEqual(['a,0.3\r\n', 'b,1234567.3\r\n', 'c,1000\r\n', 'd,0.21\r\n', 'e,123456789012.346\r\n', 'f,0.0028\r\n', 'g,-1e-05\r\n', 'h,inf\r\n', 'i,0\r\n']);
  } finally {
    db.close();
  }
});
