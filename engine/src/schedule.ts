import { monthIndexOf, monthStart } from './dates.ts';
import { NO_DATE } from './positions.ts';

/** Remaining payment dates (ascending, all after the cutoff) and the accrual start of the first one. */
export interface PaymentSchedule {
  dates: Int32Array;
  previousRoll: number;
}

/**
 * Methodology §3: roll backward from maturity by `frequencyMonths`, unadjusted; when the maturity is a
 * month end every roll date is a month end. Each roll is taken from the maturity itself (maturity − k·f
 * months) so a clamped 28 Feb never drags later dates to the 28th.
 * Only dates after as_of — and after start_date for a forward-starting contract — are kept.
 * previousRoll = the roll date before the first kept date, or start_date when that is later.
 * Called once per contract (up to 1M times): counts in closed form, allocates only the result.
 */
export function paymentSchedule(asOf: number, maturity: number, frequencyMonths: number, startDate: number): PaymentSchedule {
  if (!Number.isInteger(frequencyMonths) || frequencyMonths < 1) {
    throw new RangeError(`payment frequency must be a whole number of months ≥ 1, got ${frequencyMonths}`);
  }
  const hasStart = startDate !== NO_DATE;
  const cutoff = hasStart && startDate > asOf ? startDate : asOf;
  const maturityMonth = monthIndexOf(maturity);
  const cutoffMonth = monthIndexOf(cutoff);
  const maturityDay = maturity - monthStart(maturityMonth) + 1;
  const cutoffDay = cutoff - monthStart(cutoffMonth) + 1;
  const endOfMonth = maturity === monthStart(maturityMonth + 1) - 1;

  // Rolls in months strictly after the cutoff's month are all later than the cutoff;
  // a roll in the cutoff's own month counts when its day is later.
  const gap = maturityMonth - cutoffMonth;
  let count = gap > 0 ? Math.ceil(gap / frequencyMonths) : 0;
  if (gap >= 0 && gap % frequencyMonths === 0 && rollDay(cutoffMonth, maturityDay, endOfMonth) > cutoffDay) count++;

  const dates = new Int32Array(count);
  if (endOfMonth) {
    for (let k = 0; k < count; k++) dates[count - 1 - k] = monthStart(maturityMonth - k * frequencyMonths + 1) - 1;
  } else if (maturityDay <= 28) {
    // Every month has the day: one table load per date.
    for (let k = 0; k < count; k++) dates[count - 1 - k] = monthStart(maturityMonth - k * frequencyMonths) + maturityDay - 1;
  } else {
    for (let k = 0; k < count; k++) dates[count - 1 - k] = rollDate(maturityMonth - k * frequencyMonths, maturityDay, false);
  }
  const before = rollDate(maturityMonth - count * frequencyMonths, maturityDay, endOfMonth);
  const previousRoll = hasStart && startDate > before ? startDate : before;
  return { dates, previousRoll };
}

function rollDay(monthIndex: number, day: number, endOfMonth: boolean): number {
  const last = monthStart(monthIndex + 1) - monthStart(monthIndex);
  return endOfMonth || day > last ? last : day;
}

function rollDate(monthIndex: number, day: number, endOfMonth: boolean): number {
  const first = monthStart(monthIndex);
  const last = monthStart(monthIndex + 1) - first;
  return first + (endOfMonth || day > last ? last : day) - 1;
}
