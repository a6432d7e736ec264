import { addMonths } from '../dates.ts';

/**
 * The NII horizon (methodology §7) as monthly steps from the analysis date (README "nii-months"):
 * month m covers the day offsets [start[m], start[m+1]). Interest is accrued day by day at the rate
 * in force, so an amount accruing evenly over a stretch of one rate and balance (a whole period, or
 * one of its accrual pieces: FlowBuffer) is spread over the months by calendar days (MonthSums).
 */
export class Horizon {
  readonly months: number;
  /** day offsets of the month starts, months + 1 entries */
  readonly start: Int32Array;
  readonly endOffset: number;
  private readonly monthOfDay: Int16Array;

  constructor(
    readonly asOf: number,
    months: number,
  ) {
    this.months = months;
    this.start = new Int32Array(months + 1);
    for (let m = 0; m <= months; m++) this.start[m] = addMonths(asOf, m, false) - asOf;
    this.endOffset = this.start[months] as number;
    this.monthOfDay = new Int16Array(this.endOffset);
    for (let m = 0; m < months; m++) this.monthOfDay.fill(m, this.start[m], this.start[m + 1]);
  }

  get endDay(): number {
    return this.asOf + this.endOffset;
  }

  /** Month of a day offset inside the horizon. */
  monthOf(offset: number): number {
    return this.monthOfDay[offset] as number;
  }
}
