import { describe, expect, it } from 'vitest';
import { POSITION_COLUMNS } from './columns.ts';
import { attributeName, resolveMapping } from './mapping.ts';

describe('resolveMapping', () => {
  const headers = ['Contract ID', 'Balance', 'CCY', 'Maturity', 'Coupon', 'FREQUENCY', 'Asset_Liability', 'amortisation', 'Interest-Type', 'Segment', 'Book value'];

  it('finds canonical columns by synonym, ignoring case, blanks, _ and -', () => {
    const result = resolveMapping(headers, POSITION_COLUMNS);
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.mapping.used).toEqual({
      position_id: 'Contract ID', side: 'Asset_Liability', currency: 'CCY', notional: 'Balance', maturity_date: 'Maturity',
      amortization: 'amortisation', rate_type: 'Interest-Type', rate: 'Coupon', payment_frequency_months: 'FREQUENCY',
    });
    expect(result.mapping.columns.notional).toBe(1);
    expect(result.mapping.attributes).toEqual({ segment: 9, book_value: 10 });
  });

  it('lets an explicit mapping win over synonyms and frees the synonym column as an attribute', () => {
    const result = resolveMapping(headers, POSITION_COLUMNS, { notional: 'Book value' });
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.mapping.used.notional).toBe('Book value');
    expect(result.mapping.attributes).toEqual({ balance: 1, segment: 9 });
  });

  it('lists every problem: unknown canonical name, missing source column, missing required column', () => {
    const result = resolveMapping(['id', 'ccy'], POSITION_COLUMNS, { nominal: 'id', rate: 'Yield' });
    if (result.ok) throw new Error('expected problems');
    expect(result.reasons.map((r) => `${r.column}|${r.value}`)).toEqual([
      'nominal|id', 'rate|Yield', 'side|', 'notional|', 'amortization|', 'rate_type|',
    ]);
    expect(result.reasons[1]?.reason).toBe('mapping points rate at "Yield", but the file has no such column (columns: id, ccy)');
  });

  it('makes attribute names snake case and unique', () => {
    const taken = new Set(['notional', 'segment']);
    expect(attributeName('Segment', taken)).toBe('segment_2');
    expect(attributeName('  Book Value (EUR) ', taken)).toBe('book_value_eur');
    expect(attributeName('2nd line', taken)).toBe('c_2nd_line');
    expect(attributeName('__row', taken)).toBe('row');
  });
});
