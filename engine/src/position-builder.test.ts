import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './dates.ts';
import { PositionsBuilder, SchedulesBuilder } from './position-builder.ts';
import { DAY_COUNTS, NO_DATE } from './positions.ts';

describe('PositionsBuilder', () => {
  it('fills the §1.1 defaults and encodes strings, dates and optional numbers', () => {
    const b = new PositionsBuilder(1); // grows past its capacity
    b.add({ position_id: 'a', side: 'asset', product: 'bond', currency: 'EUR', notional: 100, maturity_date: '2030-01-31', amortization: 'bullet', rate_type: 'fixed', rate: 0.02 });
    b.add({
      position_id: 'b',
      side: 'liability',
      product: 'deposit',
      currency: 'USD',
      notional: 50,
      start_date: '2024-02-29',
      maturity_date: '2026-02-28',
      amortization: 'linear',
      rate_type: 'floating',
      rate: 0.03,
      index: 'USD_SOFR_3M',
      spread: 0.001,
      next_reset_date: '2025-03-31',
      day_count: 'ACT/360',
      floor: 0,
      attributes: { branch: 'Miami' },
    });
    b.add({ position_id: 'c', side: 'liability', product: 'deposit', currency: 'EUR', notional: 7, amortization: 'non_maturing', rate_type: 'fixed', rate: 0, nmd_category: 'wholesale', tdrr: 0.05 });
    const p = b.build();
    expect(p.length).toBe(3);
    expect(Array.from(p.side)).toEqual([1, -1, -1]);
    expect(Array.from(p.paymentFrequencyMonths)).toEqual([12, 1, 1]);
    expect(Array.from(p.dayCount)).toEqual([DAY_COUNTS.indexOf('ACT/365'), DAY_COUNTS.indexOf('ACT/360'), DAY_COUNTS.indexOf('ACT/365')]);
    expect(Array.from(p.resetFrequencyMonths)).toEqual([0, 1, 0]); // floating without a reset frequency: its payment frequency
    expect(p.startDate[0]).toBe(NO_DATE);
    expect(p.startDate[1]).toBe(parseIsoDate('2024-02-29'));
    expect(p.maturityDate[2]).toBe(NO_DATE);
    expect(p.currency.values).toEqual(['EUR', 'USD']);
    expect(Array.from(p.currency.codes)).toEqual([0, 1, 0]);
    expect(Array.from(p.index.codes)).toEqual([-1, 0, -1]);
    expect(p.floor[0]).toBeNaN();
    expect(p.floor[1]).toBe(0);
    expect(p.tdrr[2]).toBe(0.05);
    expect(Array.from(p.nmdCategory)).toEqual([-1, -1, 2]);
    expect(Array.from(p.attributes['branch']!.codes)).toEqual([-1, 0, -1]);
  });
});

describe('SchedulesBuilder', () => {
  it('maps ids to position indexes, sorts by position then date, refuses unknown ids', () => {
    const s = new SchedulesBuilder(['x', 'y']);
    expect(s.add('y', '2026-01-01', 5)).toBe(true);
    expect(s.add('x', '2027-01-01', 2)).toBe(true);
    expect(s.add('x', '2026-06-30', 1)).toBe(true);
    expect(s.add('z', '2026-06-30', 1)).toBe(false);
    const built = s.build();
    expect(built.length).toBe(3);
    expect(Array.from(built.positionIndex)).toEqual([0, 0, 1]);
    expect(Array.from(built.principal)).toEqual([1, 2, 5]);
    expect(built.date[0]).toBe(parseIsoDate('2026-06-30'));
  });
});
