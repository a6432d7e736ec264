import { describe, expect, it } from 'vitest';
import { columnDefs, columnKind, compareIsoDate } from './columnDefs.ts';

describe('columnKind', () => {
  it('maps DuckDB types to filter kinds', () => {
    expect(columnKind('DOUBLE')).toBe('number');
    expect(columnKind('DECIMAL(18,2)')).toBe('number');
    expect(columnKind('BIGINT')).toBe('number');
    expect(columnKind('DATE')).toBe('date');
    expect(columnKind('TIMESTAMP WITH TIME ZONE')).toBe('date');
    expect(columnKind('VARCHAR')).toBe('text');
    expect(columnKind('BOOLEAN')).toBe('text');
  });
});

describe('columnDefs', () => {
  it('gives each column the filter of its kind', () => {
    const defs = columnDefs([
      { name: 'position_id', type: 'VARCHAR' },
      { name: 'notional', type: 'DOUBLE' },
      { name: 'maturity_date', type: 'DATE' },
    ]);
    expect(defs.map((d) => d.filter)).toEqual(['agTextColumnFilter', 'agNumberColumnFilter', 'agDateColumnFilter']);
    expect(defs[1]?.type).toBe('rightAligned');
    expect(columnDefs([{ name: 'x', type: 'DOUBLE' }], { filters: false })[0]?.filter).toBeUndefined();
  });
});

describe('compareIsoDate', () => {
  it('orders the cell against the picked day', () => {
    const picked = new Date(2025, 5, 30);
    expect(compareIsoDate(picked, '2025-06-30')).toBe(0);
    expect(compareIsoDate(picked, '2025-06-29')).toBe(-1);
    expect(compareIsoDate(picked, '2026-01-01T00:00:00')).toBe(1);
  });
});
