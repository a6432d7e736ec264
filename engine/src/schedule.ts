import { daysInMonth, fromYmd, toYmd } from './dates.ts';
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
  const m = toYmd(maturity);
  const c = toYmd(cutoff);
  const endOfMonth = m.day === daysInMonth(m.year, m.month);
  const maturityMonth = m.year * 12 + (m.month - 1);
  const cutoffMonth = c.year * 12 + (c.month - 1);

  // Rolls in months strictly after the cutoff's month are all later than the cutoff;
  // a roll in the cutoff's own month counts when its day is later.
  const gap = maturityMonth - cutoffMonth;
  let count = gap > 0 ? Math.ceil(gap / frequencyMonths) : 0;
  if (gap >= 0 && gap % frequencyMonths === 0 && rollDay(cutoffMonth, m.day, endOfMonth) > c.day) count++;

  const dates = new Int32Array(count);
  for (let k = 0; k < count; k++) dates[count - 1 - k] = rollDate(maturityMonth - k * frequencyMonths, m.day, endOfMonth);
  const before = rollDate(maturityMonth - count * frequencyMonths, m.day, endOfMonth);
  const previousRoll = hasStart && startDate > before ? startDate : before;
  return { dates, previousRoll };
}

function rollDay(monthIndex: number, day: number, endOfMonth: boolean): number {
  const year = Math.floor(monthIndex / 12);
  const last = daysInMonth(year, monthIndex - year * 12 + 1);
  return endOfMonth || day > last ? last : day;
}

function rollDate(monthIndex: number, day: number, endOfMonth: boolean): number {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return fromYmd(year, month, rollDay(monthIndex, day, endOfMonth));
}
