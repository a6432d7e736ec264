/**
 * Dates and accrual fractions for the reference engine (methodology §2, §3).
 * A date is a whole number of days since 1970-01-01 (UTC), read and written through the
 * JavaScript Date so the calendar is the proleptic Gregorian one without any table of our own.
 */

const MS_PER_DAY = 86_400_000;

export interface Ymd {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
}

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function ymdOf(day: number): Ymd {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** yyyy-mm-dd → day; a date that is not a real calendar date is an error. */
export function parseDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not an ISO date yyyy-mm-dd: "${iso}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const parsed = dayOf(year, month, day);
  const back = ymdOf(parsed);
  if (back.month !== month || back.day !== day) throw new RangeError(`not a calendar date: "${iso}"`);
  return parsed;
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isMonthEnd(day: number): boolean {
  const { year, month, day: d } = ymdOf(day);
  return d === daysInMonth(year, month);
}

/**
 * `months` whole months later (earlier when negative), unadjusted: the day of month is kept and
 * clamped to the target month's length (31 Jan + 1M = 28/29 Feb); with `monthEnd` the result is
 * the target month's last day (§3: month ends kept when the maturity is a month end).
 */
export function addMonths(day: number, months: number, monthEnd: boolean): number {
  const { year, month, day: d } = ymdOf(day);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const last = daysInMonth(targetYear, targetMonth);
  return dayOf(targetYear, targetMonth, monthEnd || d > last ? last : d);
}

/** §2: time of a date from the analysis date, ACT/365 fixed. */
export function yearsFrom(asOf: number, day: number): number {
  return (day - asOf) / 365;
}

export type DayCountName = 'ACT/360' | 'ACT/365' | '30/360' | 'ACT/ACT';

/**
 * §2: accrual year fraction of [start, end] in a day count.
 * - ACT/360, ACT/365 (fixed): actual days / 360, / 365.
 * - 30/360 US (NASD, bond basis with the February rules): D1 and D2 both the last day of
 *   February → D2 = 30; D1 the last day of February → D1 = 30; D2 = 31 and D1 ≥ 30 → D2 = 30;
 *   D1 = 31 → D1 = 30; τ = (360·ΔY + 30·ΔM + ΔD)/360.
 * - ACT/ACT ISDA: the days falling in each calendar year over that year's length (365 or 366).
 */
export function accrualFraction(dayCount: DayCountName, start: number, end: number): number {
  switch (dayCount) {
    case 'ACT/360':
      return (end - start) / 360;
    case 'ACT/365':
      return (end - start) / 365;
    case '30/360':
      return thirty360(start, end);
    case 'ACT/ACT':
      return actActIsda(start, end);
  }
}

function isLastOfFebruary(date: Ymd): boolean {
  return date.month === 2 && date.day === daysInMonth(date.year, 2);
}

function thirty360(start: number, end: number): number {
  const a = ymdOf(start);
  const b = ymdOf(end);
  let d1 = a.day;
  let d2 = b.day;
  if (isLastOfFebruary(a) && isLastOfFebruary(b)) d2 = 30;
  if (isLastOfFebruary(a)) d1 = 30;
  if (d2 === 31 && d1 >= 30) d2 = 30;
  if (d1 === 31) d1 = 30;
  return (360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1)) / 360;
}

function actActIsda(start: number, end: number): number {
  if (end < start) return -actActIsda(end, start);
  let fraction = 0;
  let from = start;
  while (from < end) {
    const year = ymdOf(from).year;
    const nextYear = dayOf(year + 1, 1, 1);
    const to = Math.min(end, nextYear);
    fraction += (to - from) / (nextYear - dayOf(year, 1, 1));
    from = to;
  }
  return fraction;
}
