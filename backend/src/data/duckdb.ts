/**
 * The one module that touches @duckdb/node-api. Everything else asks this module for a
 * database and speaks plain rows, so the driver can be swapped or upgraded in one place.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export type SqlParam = string | number | boolean | bigint | null;
export type Row = Record<string, unknown>;

export interface DuckDb {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  /** Runs a statement and returns every row as a plain object (BIGINT → number when safe). */
  all(sql: string, params?: SqlParam[]): Promise<Row[]>;
  /** Runs a statement, ignoring its result. */
  run(sql: string, params?: SqlParam[]): Promise<void>;
  interrupt(): void;
  close(): void;
}

export async function openDuckDb(path = ':memory:', options: Record<string, string> = {}): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  let closed = false;
  return {
    instance,
    connection,
    async all(sql, params) {
      const reader = params && params.length > 0
        ? await connection.runAndReadAll(sql, params as DuckDBValue[])
        : await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map(normaliseRow);
    },
    async run(sql, params) {
      if (params && params.length > 0) await connection.run(sql, params as DuckDBValue[]);
      else await connection.run(sql);
    },
    interrupt() {
      connection.interrupt();
    },
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function normaliseRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  return out;
}
