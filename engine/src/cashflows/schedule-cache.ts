import { addMonths } from '../dates.ts';
import { yearFraction } from '../daycount.ts';
import { NO_DATE } from '../positions.ts';
import { paymentSchedule } from '../schedule.ts';

/** Payment dates after asOf with the accrual fraction of the period each one closes. */
export interface CachedSchedule {
  dates: Int32Array;
  /** taus[k] = τ(period start, dates[k]) in the contract's day count; period 0 starts at previousRoll */
  taus: Float64Array;
  previousRoll: number;
}

/** Reset dates rolled from a first reset, with τ of each reset period [resets[k], resets[k+1]]. */
export interface CachedResets {
  dates: Int32Array;
  taus: Float64Array;
}

/**
 * Many contracts share a maturity, a payment frequency and a day count (and floating ones a reset
 * date and period); their schedules and accrual fractions are computed once per analysis. Calendar
 * arithmetic costs far more than the cash-flow arithmetic, so this is where the time goes otherwise.
 */
export class ScheduleCache {
  private readonly schedules = new Map<number, CachedSchedule>();
  private readonly resets = new Map<number, CachedResets>();

  constructor(
    readonly asOf: number,
    /** last day any reset period must reach (beyond the last maturity) */
    readonly lastDay: number,
  ) {}

  schedule(maturity: number, frequencyMonths: number, dayCount: number, startDate: number): CachedSchedule {
    const key = (maturity * 1024 + frequencyMonths) * 4 + dayCount;
    let cached = this.schedules.get(key);
    if (cached === undefined) {
      cached = withTaus(paymentSchedule(this.asOf, maturity, frequencyMonths, NO_DATE), dayCount);
      this.schedules.set(key, cached);
    }
    // a forward-starting contract has its own dates; one still in its first period only a different
    // first accrual start, which the generator applies itself (see FlowGenerator.prepare)
    if (startDate !== NO_DATE && startDate > this.asOf) {
      return withTaus(paymentSchedule(this.asOf, maturity, frequencyMonths, startDate), dayCount);
    }
    return cached;
  }

  /** Resets from `first` every `months` months until lastDay. */
  resetDates(first: number, months: number, dayCount: number): CachedResets {
    const key = (first * 1024 + months) * 4 + dayCount;
    let cached = this.resets.get(key);
    if (cached === undefined) {
      const dates: number[] = [first];
      for (let k = 1; (dates[dates.length - 1] as number) <= this.lastDay; k++) dates.push(addMonths(first, k * months, false));
      const taus = new Float64Array(dates.length);
      for (let k = 0; k + 1 < dates.length; k++) taus[k] = yearFraction(dayCount, dates[k] as number, dates[k + 1] as number);
      cached = { dates: Int32Array.from(dates), taus };
      this.resets.set(key, cached);
    }
    return cached;
  }
}

function withTaus(s: { dates: Int32Array; previousRoll: number }, dayCount: number): CachedSchedule {
  const taus = new Float64Array(s.dates.length);
  let from = s.previousRoll;
  for (let k = 0; k < s.dates.length; k++) {
    taus[k] = yearFraction(dayCount, from, s.dates[k] as number);
    from = s.dates[k] as number;
  }
  return { dates: s.dates, taus, previousRoll: s.previousRoll };
}
