/**
 * Results read within a byte budget. DuckDB keeps a chunk's values in native memory; converting
 * them to JavaScript is what costs the Node heap (one `repeat('x', 1e8)` constant becomes fifty
 * 100 MB strings). So each chunk's JSON size is estimated from the native vectors first — string
 * lengths straight from DuckDB's string headers, nested types through their child vectors — and
 * a chunk is converted only while the answer stays within the budget; past it the read stops
 * with a `too_large` error naming the limit. No value is copied to estimate its size.
 */
import duckdb from '@duckdb/node-bindings';
import {
  DuckDBArrayType, DuckDBListType, DuckDBMapType, DuckDBStructType, DuckDBTypeId, DuckDBUnionType,
  JsonDuckDBValueConverter, type DuckDBDataChunk, type DuckDBResult, type DuckDBType, type Json,
} from '@duckdb/node-api';
import { QueryError } from './query-error.ts';

export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** Bytes a fixed-width value takes as JSON, roughly (a double, a date, a timestamp). */
const FIXED_VALUE_BYTES = 24;
/** Text-like vectors: 16-byte string headers whose first 4 bytes are the length. */
const STRING_TYPES = new Set<DuckDBTypeId>([DuckDBTypeId.VARCHAR, DuckDBTypeId.BLOB, DuckDBTypeId.BIT, DuckDBTypeId.BIGNUM, DuckDBTypeId.GEOMETRY]);

/** Estimated JSON size of every row of `chunk`, without converting any value. */
export function chunkJsonBytes(chunk: DuckDBDataChunk, types: readonly DuckDBType[]): number {
  const rows = chunk.rowCount;
  let bytes = rows * 2;
  for (let c = 0; c < types.length; c += 1) {
    bytes += vectorBytes(duckdb.data_chunk_get_vector(chunk.chunk, c), types[c] as DuckDBType, rows) + rows;
  }
  return bytes;
}

function vectorBytes(vector: duckdb.Vector, type: DuckDBType, count: number): number {
  if (count === 0) return 0;
  if (STRING_TYPES.has(type.typeId)) {
    const data = duckdb.vector_get_data(vector, count * 16);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const validity = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8);
    // Blobs come out as "\xNN" escapes: up to four characters a byte.
    const factor = type.typeId === DuckDBTypeId.BLOB ? 4 : 1;
    let bytes = 0;
    for (let i = 0; i < count; i += 1) {
      const valid = !validity || ((validity[i >> 3] ?? 0) >> (i & 7)) & 1;
      bytes += valid ? view.getUint32(i * 16, true) * factor + 2 : 4;
    }
    return bytes;
  }
  if (type instanceof DuckDBListType || type instanceof DuckDBMapType) {
    const child = duckdb.list_vector_get_child(vector);
    const size = duckdb.list_vector_get_size(vector);
    const childType = type instanceof DuckDBMapType ? new DuckDBStructType(['key', 'value'], [type.keyType, type.valueType]) : type.valueType;
    return count * 2 + size + vectorBytes(child, childType, size);
  }
  if (type instanceof DuckDBArrayType) {
    const size = count * type.length;
    return count * 2 + size + vectorBytes(duckdb.array_vector_get_child(vector), type.valueType, size);
  }
  if (type instanceof DuckDBStructType) {
    let bytes = count * 2;
    type.entryTypes.forEach((entryType, i) => {
      bytes += count * ((type.entryNames[i]?.length ?? 0) + 4) + vectorBytes(duckdb.struct_vector_get_child(vector, i), entryType, count);
    });
    return bytes;
  }
  if (type instanceof DuckDBUnionType) {
    // A union is a struct of its tag and one vector per member; each row fills one member.
    let bytes = 0;
    type.memberTypes.forEach((memberType, i) => {
      bytes += vectorBytes(duckdb.struct_vector_get_child(vector, i + 1), memberType, count);
    });
    return bytes;
  }
  return count * FIXED_VALUE_BYTES;
}

export interface ReadBudget {
  /** Largest answer, in estimated JSON bytes. */
  maxBytes: number;
  /** Stop after this many rows (the caller's LIMIT already bounds it; this spares converting the rest). */
  maxRows?: number;
}

/**
 * Every row of `result` as JSON values, converting chunk by chunk while the answer stays within
 * `budget.maxBytes`; a larger answer fails with `too_large` before its chunk is converted.
 */
export async function readJsonRows(result: DuckDBResult, budget: ReadBudget, what = 'The answer'): Promise<Json[][]> {
  const types = result.columnTypes();
  const rows: Json[][] = [];
  const maxRows = budget.maxRows ?? Number.POSITIVE_INFINITY;
  let bytes = 0;
  while (rows.length < maxRows) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    bytes += chunkJsonBytes(chunk, types);
    if (bytes > budget.maxBytes) throw tooLarge(what, budget.maxBytes, rows.length);
    for (const row of chunk.convertRows(JsonDuckDBValueConverter)) {
      if (rows.length >= maxRows) break;
      rows.push(row as Json[]);
    }
  }
  return rows;
}

/** Refuses one chunk of a stream (an export) whose conversion alone would pass the budget. */
export function checkChunk(chunk: DuckDBDataChunk, types: readonly DuckDBType[], maxBytes: number, what: string): void {
  if (chunkJsonBytes(chunk, types) > maxBytes) throw tooLarge(what, maxBytes, null);
}

function tooLarge(what: string, maxBytes: number, rowsRead: number | null): QueryError {
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  const where = rowsRead === null ? '' : ` (it passed the limit after ${rowsRead.toLocaleString('en-US')} rows)`;
  return new QueryError('too_large', `${what} would be larger than ${mb} MB${where}; select fewer or shorter columns, aggregate, or add a LIMIT.`);
}
