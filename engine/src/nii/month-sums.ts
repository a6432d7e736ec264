import type { Horizon } from './horizon.ts';

/**
 * Amounts accruing evenly per day, summed by (row, month of the horizon) without a loop over the
 * months per amount: a stretch of days inside one month is added to that month; a longer one adds
 * its two partial months directly and its per-day amount to a running rate for the whole months
 * in between (+ at the first whole month, − after the last), turned into month sums by finish().
 * So a flow costs two to four writes into small rows whatever its length, and no per-contract
 * month arrays are filled, cleared and added up. Rows are breakdown groups.
 */
export class MonthSums {
  /** [row·H + m]: partial months */
  private readonly direct: Float64Array;
  /** [row·(H+1) + m]: change of the per-day amount at the start of month m */
  private readonly rate: Float64Array;
  private readonly months: number;
  private readonly start: Int32Array;
  private readonly end: number;

  constructor(
    private readonly horizon: Horizon,
    readonly rows: number,
  ) {
    this.months = horizon.months;
    this.start = horizon.start;
    this.end = horizon.endOffset;
    this.direct = new Float64Array(rows * this.months);
    this.rate = new Float64Array(rows * (this.months + 1));
  }

  /** perDay on each day offset of [lo, hi) ∩ [0, horizon end), into row r. */
  add(r: number, perDay: number, lo: number, hi: number): void {
    if (lo < 0) lo = 0;
    if (hi > this.end) hi = this.end;
    if (hi <= lo) return;
    this.addSpan(r, perDay, lo, hi, this.horizon.monthOf(lo), this.horizon.monthOf(hi - 1));
  }

  /**
   * add() for a stretch already inside the horizon (0 ≤ lo < hi ≤ end) with its months known
   * (first = monthOf(lo), last = monthOf(hi − 1)): callers adding one stretch to several sums
   * (one per scenario) look the months up once.
   */
  addSpan(r: number, perDay: number, lo: number, hi: number, first: number, last: number): void {
    const H = this.months;
    if (first === last) {
      this.direct[r * H + first]! += perDay * (hi - lo);
      return;
    }
    this.direct[r * H + first]! += perDay * ((this.start[first + 1] as number) - lo);
    this.direct[r * H + last]! += perDay * (hi - (this.start[last] as number));
    if (last === first + 1) return; // no whole month in between
    const row = r * (H + 1);
    this.rate[row + first + 1]! += perDay;
    this.rate[row + last]! -= perDay;
  }

  /** perDay on each day offset from lo (≥ 0) to the horizon end, into row r. */
  addToEnd(r: number, perDay: number, lo: number): void {
    if (lo < 0) lo = 0;
    if (lo >= this.end) return;
    this.addToEndAt(r, perDay, lo, this.horizon.monthOf(lo));
  }

  /** addToEnd() for 0 ≤ lo < horizon end with first = monthOf(lo) known (see addSpan). */
  addToEndAt(r: number, perDay: number, lo: number, first: number): void {
    const H = this.months;
    this.direct[r * H + first]! += perDay * ((this.start[first + 1] as number) - lo);
    this.rate[r * (H + 1) + first + 1]! += perDay;
  }

  /** out[row·H + m] += the month sums. */
  finish(out: Float64Array): void {
    const H = this.months;
    for (let r = 0; r < this.rows; r++) {
      let perDay = 0;
      for (let m = 0; m < H; m++) {
        perDay += this.rate[r * (H + 1) + m] as number;
        out[r * H + m]! += (this.direct[r * H + m] as number) + perDay * ((this.start[m + 1] as number) - (this.start[m] as number));
      }
    }
  }
}
