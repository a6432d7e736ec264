import { describe, expect, it } from 'vitest';
import { addMonths, daysInMonth, formatIsoDate, fromYmd, isEndOfMonth, monthIndexOf, monthStart, parseIsoDate, toYmd, yearsBetween } from './dates.ts';

const utcDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
const d = (iso: string): number => {
  const v = parseIsoDate(iso);
  if (v === undefined) throw new Error(`bad test date ${iso}`);
  return v;
};

describe('epoch days', () => {
  it('agrees with Date.UTC on known dates', () => {
    expect(fromYmd(1970, 1, 1)).toBe(0);
    expect(fromYmd(2000, 2, 29)).toBe(11016);
    expect(fromYmd(2024, 3, 15)).toBe(utcDay(2024, 3, 15));
    expect(fromYmd(1969, 12, 31)).toBe(-1);
  });

  it('round-trips every 7th day from 1900 to 2150 against the JS calendar', () => {
    const mismatches: number[] = [];
    let checked = 0;
    for (let day = utcDay(1900, 1, 1); day < utcDay(2150, 1, 1); day += 7) {
      const js = new Date(day * 86_400_000);
      const ymd = toYmd(day);
      const same = ymd.year === js.getUTCFullYear() && ymd.month === js.getUTCMonth() + 1 && ymd.day === js.getUTCDate();
      if (!same || fromYmd(ymd.year, ymd.month, ymd.day) !== day) mismatches.push(day);
      checked++;
    }
    expect(checked).toBe(13045);
    expect(mismatches).toEqual([]);
  });
});

describe('parseIsoDate / formatIsoDate', () => {
  it('parses real dates and formats them back', () => {
    expect(parseIsoDate('2024-02-29')).toBe(utcDay(2024, 2, 29));
    expect(formatIsoDate(utcDay(2031, 7, 4))).toBe('2031-07-04');
    expect(formatIsoDate(d('1999-12-31'))).toBe('1999-12-31');
  });

  it('rejects impossible or loosely written dates', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-00-10', '2024-1-5', '24-01-05', '2024-01-05T00:00', ' 2024-01-05', '05/01/2024', '']) {
      expect(parseIsoDate(bad)).toBeUndefined();
    }
  });
});

describe('month arithmetic', () => {
  it('knows month lengths and month ends', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(isEndOfMonth(d('2023-02-28'))).toBe(true);
    expect(isEndOfMonth(d('2024-02-28'))).toBe(false);
    expect(isEndOfMonth(d('2024-12-31'))).toBe(true);
  });

  it('clamps the day of month, or lands on month ends when asked', () => {
    expect(formatIsoDate(addMonths(d('2024-01-31'), 1, false))).toBe('2024-02-29');
    expect(formatIsoDate(addMonths(d('2023-01-31'), 1, false))).toBe('2023-02-28');
    expect(formatIsoDate(addMonths(d('2024-02-29'), 1, false))).toBe('2024-03-29');
    expect(formatIsoDate(addMonths(d('2024-02-29'), 1, true))).toBe('2024-03-31');
    expect(formatIsoDate(addMonths(d('2024-03-31'), -1, false))).toBe('2024-02-29');
    expect(formatIsoDate(addMonths(d('2024-05-15'), -17, false))).toBe('2022-12-15');
    expect(formatIsoDate(addMonths(d('2024-11-30'), 3, true))).toBe('2025-02-28');
    expect(formatIsoDate(addMonths(d('2024-06-10'), 0, true))).toBe('2024-06-30');
    expect(formatIsoDate(addMonths(d('2024-08-31'), 120, false))).toBe('2034-08-31');
  });

  it('works outside the 1900–2300 month table too', () => {
    expect(formatIsoDate(addMonths(d('1850-01-31'), 1, false))).toBe('1850-02-28');
    expect(formatIsoDate(addMonths(d('2400-01-31'), 1, false))).toBe('2400-02-29');
    expect(formatIsoDate(addMonths(d('2299-12-15'), 2, true))).toBe('2300-02-28');
    expect(monthStart(2400 * 12 + 1)).toBe(utcDay(2400, 2, 1));
  });

  it('finds the month of a day like the JS calendar does', () => {
    const wrong: number[] = [];
    for (let day = utcDay(1890, 1, 1); day < utcDay(2310, 1, 1); day += 11) {
      const js = new Date(day * 86_400_000);
      if (monthIndexOf(day) !== js.getUTCFullYear() * 12 + js.getUTCMonth()) wrong.push(day);
    }
    expect(wrong).toEqual([]);
  });

  it('measures flow times in ACT/365F years', () => {
    expect(yearsBetween(d('2024-01-01'), d('2025-01-01'))).toBeCloseTo(366 / 365, 12);
    expect(yearsBetween(d('2024-06-30'), d('2024-06-30'))).toBe(0);
  });
});
