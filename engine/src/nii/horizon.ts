import { addMonths } from '../dates.ts';

/**
 * The NII horizon (methodology §7) as monthly steps from the analysis date: month m covers the day
 * offsets [start[m], start[m+1]). Interest is accrued, not paid, so an amount accruing evenly over
 * [from, to] is spread over the months by calendar days (README "nii-accrual").
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

  /**
   * Adds `amount`, accruing evenly over the days [from, to), into out[at + m] for the part inside
   * the horizon. Days are absolute epoch days.
   */
  spread(amount: number, from: number, to: number, out: Float64Array, at = 0): void {
    if (to <= from || amount === 0) return;
    const lo = Math.max(from - this.asOf, 0);
    const hi = Math.min(to - this.asOf, this.endOffset);
    if (hi <= lo) return;
    const perDay = amount / (to - from);
    let day = lo;
    let m = this.monthOf(lo);
    while (day < hi) {
      const next = Math.min(hi, this.start[m + 1] as number);
      out[at + m]! += perDay * (next - day);
      day = next;
      m++;
    }
  }
}
