/**
 * DuckDB values → JSON-safe values for the API: DATE → 'yyyy-mm-dd', TIMESTAMP → ISO text,
 * BIGINT/HUGEINT/DECIMAL → number (DuckDB's JSON conversion gives them as text to keep precision;
 * grid users want numbers, and ALM amounts fit a double).
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import type { ColumnInfo } from './page-request.ts';

const TEXT_NUMBERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL,
]);

export function describeColumns(names: string[], types: DuckDBType[]): ColumnInfo[] {
  return names.map((name, i) => ({ name, type: types[i]?.toString() ?? 'UNKNOWN' }));
}

/** Converts rows produced by `getRowsJson()` in place-free fashion into row objects. */
export function toJsonRows(names: string[], types: DuckDBType[], rows: unknown[][]): Record<string, unknown>[] {
  const numeric = types.map((t) => TEXT_NUMBERS.has(t.typeId));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i += 1) {
      const value = row[i] ?? null;
      out[names[i] as string] = numeric[i] && typeof value === 'string' ? Number(value) : value;
    }
    return out;
  });
}
