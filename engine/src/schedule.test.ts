import { describe, expect, it } from 'vitest';
import { formatIsoDate, parseIsoDate } from './dates.ts';
import { NO_DATE } from './positions.ts';
import { paymentSchedule } from './schedule.ts';

const d = (iso: string): number => parseIsoDate(iso) ?? Number.NaN;
const iso = (days: Int32Array): string[] => Array.from(days, formatIsoDate);

describe('paymentSchedule', () => {
  it('keeps month ends when the maturity is a month end', () => {
    const s = paymentSchedule(d('2029-09-15'), d('2030-02-28'), 1, NO_DATE);
    expect(iso(s.dates)).toEqual(['2029-09-30', '2029-10-31', '2029-11-30', '2029-12-31', '2030-01-31', '2030-02-28']);
    expect(formatIsoDate(s.previousRoll)).toBe('2029-08-31');
  });

  it('rolls each date from the maturity so clamped months do not drift', () => {
    const s = paymentSchedule(d('2024-01-10'), d('2024-05-30'), 1, NO_DATE);
    expect(iso(s.dates)).toEqual(['2024-01-30', '2024-02-29', '2024-03-30', '2024-04-30', '2024-05-30']);
    expect(formatIsoDate(s.previousRoll)).toBe('2023-12-30');
  });

  it('leaves a short stub at the front and accrues from the previous roll', () => {
    const s = paymentSchedule(d('2025-06-30'), d('2027-03-15'), 6, NO_DATE);
    expect(iso(s.dates)).toEqual(['2025-09-15', '2026-03-15', '2026-09-15', '2027-03-15']);
    expect(formatIsoDate(s.previousRoll)).toBe('2025-03-15');
  });

  it('excludes a roll date equal to as_of', () => {
    const s = paymentSchedule(d('2025-03-15'), d('2026-03-15'), 3, NO_DATE);
    expect(iso(s.dates)).toEqual(['2025-06-15', '2025-09-15', '2025-12-15', '2026-03-15']);
    expect(formatIsoDate(s.previousRoll)).toBe('2025-03-15');
  });

  it('accrues from start_date when it is later than the previous roll', () => {
    const s = paymentSchedule(d('2025-06-30'), d('2027-03-15'), 12, d('2025-05-02'));
    expect(iso(s.dates)).toEqual(['2026-03-15', '2027-03-15']);
    expect(formatIsoDate(s.previousRoll)).toBe('2025-05-02');
    const older = paymentSchedule(d('2025-06-30'), d('2027-03-15'), 12, d('2020-03-15'));
    expect(formatIsoDate(older.previousRoll)).toBe('2025-03-15');
  });

  it('drops rolls before a forward start date', () => {
    const s = paymentSchedule(d('2025-01-01'), d('2025-12-31'), 3, d('2025-05-10'));
    expect(iso(s.dates)).toEqual(['2025-06-30', '2025-09-30', '2025-12-31']);
    expect(formatIsoDate(s.previousRoll)).toBe('2025-05-10');
  });

  it('returns no dates once matured, and one date inside the as_of month', () => {
    expect(paymentSchedule(d('2025-06-30'), d('2025-06-30'), 1, NO_DATE).dates.length).toBe(0);
    expect(paymentSchedule(d('2025-06-30'), d('2025-01-31'), 1, NO_DATE).dates.length).toBe(0);
    const s = paymentSchedule(d('2025-06-10'), d('2025-06-20'), 12, NO_DATE);
    expect(iso(s.dates)).toEqual(['2025-06-20']);
    expect(formatIsoDate(s.previousRoll)).toBe('2024-06-20');
  });

  it('matches a naive roll-back loop on many random contracts', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const asOf = d('2025-06-30');
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      const maturity = asOf + 1 + next(12000);
      const freq = [1, 3, 6, 12, 5][next(5)] as number;
      // Reference: JS Date month arithmetic with clamping, one step from maturity per roll.
      const m = new Date(maturity * 86_400_000);
      const eom = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 0)).getUTCDate() === m.getUTCDate();
      const expected: number[] = [];
      for (let k = 0; ; k++) {
        const last = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() - k * freq + 1, 0));
        const day = eom ? last.getUTCDate() : Math.min(m.getUTCDate(), last.getUTCDate());
        const roll = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), day) / 86_400_000;
        if (roll <= asOf) {
          expect(paymentSchedule(asOf, maturity, freq, NO_DATE).previousRoll).toBe(roll);
          break;
        }
        expected.unshift(roll);
      }
      expect(Array.from(paymentSchedule(asOf, maturity, freq, NO_DATE).dates)).toEqual(expected);
      compared++;
    }
    expect(compared).toBe(2000);
  });

  it('refuses a non-positive frequency', () => {
    expect(() => paymentSchedule(0, 100, 0, NO_DATE)).toThrow(/≥ 1/);
  });
});
