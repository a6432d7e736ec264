import { monthIndexOf, monthStart } from './dates.ts';

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
  const m1 = monthIndexOf(start);
  const m2 = monthIndexOf(end);
  let d1 = start - monthStart(m1) + 1;
  let d2 = end - monthStart(m2) + 1;
  const startFebEnd = m1 % 12 === 1 && start === monthStart(m1 + 1) - 1;
  const endFebEnd = m2 % 12 === 1 && end === monthStart(m2 + 1) - 1;
  if (startFebEnd && endFebEnd) d2 = 30;
  if (startFebEnd) d1 = 30;
  if (d2 === 31 && d1 >= 30) d2 = 30;
  if (d1 === 31) d1 = 30;
  // 360·ΔY + 30·ΔM = 30·Δ(monthIndex)
  return (30 * (m2 - m1) + (d2 - d1)) / 360;
}

/** ACT/ACT ISDA: days in each calendar year divided by that year's length. */
function actAct(start: number, end: number): number {
  if (end === start) return 0;
  if (end < start) return -actAct(end, start);
  const y1 = Math.floor(monthIndexOf(start) / 12);
  const y2 = Math.floor(monthIndexOf(end) / 12);
  const yearStart1 = monthStart(y1 * 12);
  const yearEnd1 = monthStart((y1 + 1) * 12);
  if (y1 === y2) return (end - start) / (yearEnd1 - yearStart1);
  const yearStart2 = monthStart(y2 * 12);
  const first = (yearEnd1 - start) / (yearEnd1 - yearStart1);
  const last = (end - yearStart2) / (monthStart((y2 + 1) * 12) - yearStart2);
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
