import { daysInMonth, fromYmd, isLeapYear, toYmd } from './dates.ts';

/** Indexes into DAY_COUNTS (positions.ts). */
export const ACT_360 = 0;
export const ACT_365 = 1;
export const THIRTY_360 = 2;
export const ACT_ACT = 3;

/**
 * 30/360 US (NASD / "Bond Basis" with the February rules, methodology §2):
 * D1 = Feb end → 30; D2 = Feb end and D1 was Feb end → 30; D2 = 31 and D1 ≥ 30 → 30; D1 = 31 → 30.
 */
function thirty360(start: number, end: number): number {
  const a = toYmd(start);
  const b = toYmd(end);
  let d1 = a.day;
  let d2 = b.day;
  const startFebEnd = a.month === 2 && d1 === daysInMonth(a.year, 2);
  const endFebEnd = b.month === 2 && d2 === daysInMonth(b.year, 2);
  if (startFebEnd && endFebEnd) d2 = 30;
  if (startFebEnd) d1 = 30;
  if (d2 === 31 && d1 >= 30) d2 = 30;
  if (d1 === 31) d1 = 30;
  return (360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1)) / 360;
}

/** ACT/ACT ISDA: days in each calendar year divided by that year's length. */
function actAct(start: number, end: number): number {
  if (end === start) return 0;
  if (end < start) return -actAct(end, start);
  const y1 = toYmd(start).year;
  const y2 = toYmd(end).year;
  if (y1 === y2) return (end - start) / (isLeapYear(y1) ? 366 : 365);
  const first = (fromYmd(y1 + 1, 1, 1) - start) / (isLeapYear(y1) ? 366 : 365);
  const last = (end - fromYmd(y2, 1, 1)) / (isLeapYear(y2) ? 366 : 365);
  return first + (y2 - y1 - 1) + last;
}

/** Accrual fraction of [start, end] in the given day count (index into DAY_COUNTS). */
export function yearFraction(dayCount: number, start: number, end: number): number {
  switch (dayCount) {
    case ACT_360:
      return (end - start) / 360;
    case ACT_365:
      return (end - start) / 365;
    case THIRTY_360:
      return thirty360(start, end);
    case ACT_ACT:
      return actAct(start, end);
    default:
      throw new RangeError(`unknown day count index ${dayCount}; expected 0..3 (ACT/360, ACT/365, 30/360, ACT/ACT)`);
  }
}
