import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './dates.ts';
import { yearFraction } from './daycount.ts';
import { DAY_COUNTS } from './positions.ts';

const d = (iso: string): number => parseIsoDate(iso) ?? Number.NaN;
const basis = (name: (typeof DAY_COUNTS)[number]): number => DAY_COUNTS.indexOf(name);
const yf = (name: (typeof DAY_COUNTS)[number], a: string, b: string): number => yearFraction(basis(name), d(a), d(b));

describe('yearFraction', () => {
  it('ACT/360 and ACT/365F count actual days', () => {
    expect(yf('ACT/360', '2024-01-01', '2024-07-01')).toBeCloseTo(182 / 360, 14);
    expect(yf('ACT/365', '2024-01-01', '2025-01-01')).toBeCloseTo(366 / 365, 14);
  });

  it('30/360 US applies the NASD end-of-month and February rules', () => {
    expect(yf('30/360', '2024-01-15', '2024-07-15')).toBeCloseTo(180 / 360, 14);
    // D1 = 31 → 30; D2 = 29 Feb stays because D1 is not a February end.
    expect(yf('30/360', '2024-01-31', '2024-02-29')).toBeCloseTo(29 / 360, 14);
    // D1 = Feb end → 30, then D2 = 31 with D1 ≥ 30 → 30.
    expect(yf('30/360', '2024-02-29', '2024-03-31')).toBeCloseTo(30 / 360, 14);
    // Both Feb ends → both 30: exactly one year.
    expect(yf('30/360', '2023-02-28', '2024-02-29')).toBeCloseTo(1, 14);
    expect(yf('30/360', '2023-02-28', '2023-08-31')).toBeCloseTo(0.5, 14);
    // 28 Feb 2024 is not a month end; D2 = 31 stays because D1 < 30.
    expect(yf('30/360', '2024-02-28', '2024-03-31')).toBeCloseTo(33 / 360, 14);
    expect(yf('30/360', '2024-03-30', '2024-05-31')).toBeCloseTo(60 / 360, 14);
  });

  it('ACT/ACT ISDA splits a period across calendar years', () => {
    expect(yf('ACT/ACT', '2023-12-15', '2024-03-15')).toBeCloseTo(17 / 365 + 74 / 366, 14);
    expect(yf('ACT/ACT', '2024-01-01', '2025-01-01')).toBeCloseTo(1, 14);
    expect(yf('ACT/ACT', '2022-07-01', '2025-07-01')).toBeCloseTo(184 / 365 + 2 + 181 / 365, 14);
    expect(yf('ACT/ACT', '2024-02-01', '2024-03-01')).toBeCloseTo(29 / 366, 14);
  });

  it('refuses an unknown day-count index', () => {
    expect(() => yearFraction(7, 0, 10)).toThrow(/unknown day count/);
  });
});
