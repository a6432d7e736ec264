/**
 * Copies DuckDB query results into typed arrays chunk by chunk. Fixed-width vectors are copied
 * with one `TypedArray.set` per chunk (the driver exposes each chunk's data as a typed array);
 * where that view is not available the values are read one by one.
 */
import type { DuckDb } from '../duckdb.ts';
import { sqlString } from '../sql-quote.ts';
import { DictionaryBuilder, type DictionaryColumn } from '@almready/engine';

export interface Vector {
  getItem(i: number): unknown;
}
export type Sink = (vector: Vector, offset: number, count: number) => void;
type NumericArray = Float64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

/** Streams a query, handing each column vector of each chunk to its sink; returns the row count. */
export async function streamColumns(db: DuckDb, sql: string, sinks: readonly Sink[]): Promise<number> {
  const result = await db.connection.stream(sql);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    sinks.forEach((sink, c) => sink(chunk.getColumnVector(c), offset, count));
    offset += count;
  }
  return offset;
}

/** The SQL expression must be NULL-free and of the array's width (TINYINT, UTINYINT, USMALLINT, INTEGER, DOUBLE). */
export function numbers(target: NumericArray, fallback = 0): Sink {
  return (vector, offset, count) => {
    const items: unknown = (vector as { items?: unknown }).items;
    if (items instanceof target.constructor && (items as NumericArray).length === count) {
      target.set(items as NumericArray, offset);
      return;
    }
    for (let i = 0; i < count; i += 1) target[offset + i] = (vector.getItem(i) as number | null) ?? fallback;
  };
}

export function strings(target: string[]): Sink {
  return (vector, offset, count) => {
    for (let i = 0; i < count; i += 1) target[offset + i] = vector.getItem(i) as string;
  };
}

export function dictionaryStrings(builder: DictionaryBuilder): Sink {
  return (vector, _offset, count) => {
    for (let i = 0; i < count; i += 1) builder.push(vector.getItem(i) as string | null);
  };
}

/**
 * A dictionary column read as codes computed in SQL when it has few distinct values (the usual
 * case: products, currencies, segments), else as strings encoded here.
 */
export interface DictionaryPlan {
  sql: string;
  sink: Sink;
  build(): DictionaryColumn;
}

const MAX_SQL_DICTIONARY = 256;

/**
 * `from` is a FROM item holding `column` and `__ord` (the row's place in the table, 0-based): the
 * dictionary's values are listed in order of first use, as the engine's builders would.
 */
export async function planDictionary(db: DuckDb, from: string, column: string, length: number, alloc: Allocate = plainArrays): Promise<DictionaryPlan> {
  const distinct = await db.all(
    `SELECT ${column} AS v FROM ${from} WHERE ${column} IS NOT NULL AND ${column} <> ''
     GROUP BY 1 ORDER BY min(__ord) LIMIT ${MAX_SQL_DICTIONARY + 1}`,
  );
  if (distinct.length > MAX_SQL_DICTIONARY) {
    const builder = new DictionaryBuilder(length);
    return { sql: column, sink: dictionaryStrings(builder), build: () => builder.build() };
  }
  const values = distinct.map((r) => String(r.v));
  const codes = alloc(Int32Array, length);
  const cases = values.map((v, i) => `WHEN ${sqlString(v)} THEN ${i}`).join(' ');
  return {
    sql: values.length === 0 ? 'CAST(-1 AS INTEGER)' : `CAST(CASE ${column} ${cases} ELSE -1 END AS INTEGER)`,
    sink: numbers(codes, -1),
    build: () => ({ codes, values }),
  };
}

type TypedArrayClass<T> = { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
/** How the column arrays are allocated: plain, or on SharedArrayBuffer for worker threads to read without a copy. */
export type Allocate = <T>(type: TypedArrayClass<T>, length: number) => T;
export const plainArrays: Allocate = (type, length) => new type(length);
export const sharedArrays: Allocate = (type, length) => new type(new SharedArrayBuffer(type.BYTES_PER_ELEMENT * length));
