/**
 * Server column types (DuckDB names) → AG Grid column definitions, so filters match the data:
 * text filter for strings, number filter for numbers, date filter for dates.
 */
import type { ColDef } from 'ag-grid-community';
import type { ResultColumn } from '../api/types.ts';
import { formatDecimal } from '../common/format.ts';

export type ColumnKind = 'number' | 'date' | 'text';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)\b/i;
const DATE = /^(DATE|TIMESTAMP)/i;

export function columnKind(type: string): ColumnKind {
  if (NUMERIC.test(type.trim()) || /^(number|integer|double)$/i.test(type)) return 'number';
  if (DATE.test(type.trim())) return 'date';
  return 'text';
}

const FILTER: Record<ColumnKind, string> = { number: 'agNumberColumnFilter', date: 'agDateColumnFilter', text: 'agTextColumnFilter' };
// Wide enough for "9,234,332.12", and for a date filter's native input (yyyy-mm-dd plus its
// picker button) in the floating filter row; long names grow the column to fit the header.
const WIDTH: Record<ColumnKind, number> = { number: 140, date: 180, text: 140 };

/** Compares ISO date strings ('2025-06-30') with the date the user picked, for client-side grids. */
export function compareIsoDate(filterDate: Date, cellValue: unknown): number {
  if (typeof cellValue !== 'string' || cellValue.length < 10) return -1;
  const cell = cellValue.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  const picked = `${filterDate.getFullYear()}-${pad(filterDate.getMonth() + 1)}-${pad(filterDate.getDate())}`;
  return cell === picked ? 0 : cell < picked ? -1 : 1;
}

export function columnDefs(columns: ResultColumn[], options: { filters?: boolean } = {}): ColDef[] {
  return columns.map((column) => {
    const kind = columnKind(column.type);
    const def: ColDef = {
      field: column.name,
      headerName: column.name,
      sortable: true,
      resizable: true,
      headerTooltip: `${column.name} (${column.type})`,
      width: Math.max(WIDTH[kind], 40 + column.name.length * 8),
    };
    if (options.filters !== false) {
      def.filter = FILTER[kind];
      def.filterParams = kind === 'date' ? { comparator: compareIsoDate, maxNumConditions: 1 } : { maxNumConditions: 1 };
    }
    if (kind === 'number') {
      def.type = 'rightAligned';
      def.valueFormatter = (params) => formatDecimal(params.value);
    }
    return def;
  });
}
