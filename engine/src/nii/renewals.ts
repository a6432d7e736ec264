import { addMonths } from '../dates.ts';
import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import type { PositionColumns } from '../positions.ts';
import { rampFactor, type Scenario } from '../scenarios.ts';
import type { Horizon } from './horizon.ts';

/**
 * Constant balance sheet (methodology §7): every principal amount repaid inside the horizon is
 * replaced at once by the same product, amount, term and repricing profile. A fixed replacement
 * earns one rate until the horizon end (README "nii-renewal"); a floating one re-fixes every reset
 * period at the scenario forward + spread, bounded by floor/cap.
 */
/**
 * Accrual fraction of a renewal: ACT/360 for ACT/360 contracts, ACT/365 otherwise (README
 * "nii-renewal-daycount"); keeps calendar arithmetic out of a loop run millions of times.
 */
export function renewalAccrual(dayCount: number, start: number, end: number): number {
  return (end - start) / (dayCount === 0 ? 360 : 365);
}

export class Renewals {
  /** addMonths(day, months) memo: renewal dates repeat across scenarios and contracts */
  private readonly rolled = new Map<number, number>();

  /** volume(): amounts repaid before month m, and amount × days left of those repaid inside it */
  private readonly before: Float64Array;
  private readonly inside: Float64Array;

  constructor(private readonly horizon: Horizon) {
    this.before = new Float64Array(horizon.months + 1);
    this.inside = new Float64Array(horizon.months);
  }

  private roll(day: number, months: number): number {
    const key = day * 4096 + months;
    let rolled = this.rolled.get(key);
    if (rolled === undefined) {
      rolled = addMonths(day, months, false);
      this.rolled.set(key, rolled);
    }
    return rolled;
  }

  /**
   * Adds Σ X·rate(d)·τ(d, end) spread monthly over [d, end) for each principal X repaid on day d;
   * rate null → 1 (a renewal volume to be multiplied by a scenario rate).
   */
  fixedVolume(buffer: FlowBuffer, dayCount: number, out: Float64Array, rate: ((day: number) => number) | null): void {
    if (rate === null) {
      this.volume(buffer, dayCount, out);
      return;
    }
    const end = this.horizon.endDay;
    for (let k = 0; k < buffer.count; k++) {
      const day = buffer.day[k] as number;
      const amount = buffer.principal[k] as number;
      if (amount === 0 || day >= end) continue;
      const r = rate === null ? 1 : rate(day);
      this.horizon.spread(amount * r * renewalAccrual(dayCount, day, end), day, end, out);
    }
  }

  /**
   * fixedVolume with rate 1 in O(flows + months): a renewal of X on day d accrues X/basis per day
   * from d to the horizon end, so month m gets X/basis × its days after d. Per month, the amounts
   * repaid in earlier months count its full length and those repaid inside it the days left.
   */
  private volume(buffer: FlowBuffer, dayCount: number, out: Float64Array): void {
    const horizon = this.horizon;
    const end = horizon.endDay;
    const asOf = horizon.asOf;
    const H = horizon.months;
    const starts = horizon.start;
    const before = this.before;
    const inside = this.inside;
    before.fill(0);
    inside.fill(0);
    let any = false;
    for (let k = 0; k < buffer.count; k++) {
      const day = buffer.day[k] as number;
      const amount = buffer.principal[k] as number;
      if (amount === 0 || day >= end) continue;
      const lo = Math.max(day - asOf, 0);
      const m = horizon.monthOf(lo);
      inside[m]! += amount * ((starts[m + 1] as number) - lo);
      before[m + 1]! += amount;
      any = true;
    }
    if (!any) return;
    const basis = dayCount === 0 ? 360 : 365;
    let repaid = 0;
    for (let m = 0; m < H; m++) {
      repaid += before[m] as number;
      out[m]! += ((inside[m] as number) + repaid * ((starts[m + 1] as number) - (starts[m] as number))) / basis;
    }
  }

  /** Zero rate for a renewal on `day`: base + ramp share of the scenario change (instant: the full change). */
  rampedRate(scenario: Scenario, day: number, baseZero: number, shockedZero: number): number {
    if (scenario.rampMonths <= 0) return shockedZero;
    const phi = rampFactor(scenario, ((day - this.horizon.asOf) * 12) / 365);
    return baseZero + phi * (shockedZero - baseZero);
  }

  /**
   * floatingInterest for every scenario of a floating contract projected by runScenarios (same
   * payment days in every buffer): the renewal calendar (rolls, accrual fractions) is walked once,
   * the scenario forwards and amounts per scenario into out[s·months + m]. Same sums as
   * floatingInterest(buffers[s], …, out_s) per scenario.
   */
  floatingInterestScenarios(buffers: readonly FlowBuffer[], p: PositionColumns, i: number, projections: readonly Float64Array[], out: Float64Array): void {
    const end = this.horizon.endDay;
    const asOf = this.horizon.asOf;
    const H = this.horizon.months;
    const first = buffers[0];
    if (first === undefined) return;
    const dayCount = p.dayCount[i] as number;
    const months = (p.resetFrequencyMonths[i] as number) || (p.paymentFrequencyMonths[i] as number) || 1;
    const given = p.spread[i] as number;
    const spread = Number.isNaN(given) ? 0 : given;
    const floor = p.floor[i] as number;
    const cap = p.cap[i] as number;
    const S = buffers.length;
    const horizon = this.horizon;
    const monthStarts = horizon.start;
    for (let k = 0; k < first.count; k++) {
      const day = first.day[k] as number;
      if (day >= end) continue;
      // a bullet repays nothing before maturity: no renewal in any scenario, no calendar to roll
      let repaid = false;
      for (let s = 0; s < S && !repaid; s++) repaid = ((buffers[s] as FlowBuffer).principal[k] as number) !== 0;
      if (!repaid) continue;
      let from = day;
      for (let n = 1; from < end; n++) {
        const to = addMonths(day, n * months, false);
        const period = renewalAccrual(dayCount, from, to);
        const until = Math.min(to, end);
        const accrued = renewalAccrual(dayCount, from, until);
        // Horizon.spread(amount·rate·accrued, from, until, out, s·H) for every scenario: the month
        // segments of [from, until) are the same in all of them, so they are found once
        const lo = Math.max(from - asOf, 0);
        const hi = Math.min(until - asOf, horizon.endOffset);
        if (until > from && hi > lo) {
          const firstMonth = horizon.monthOf(lo);
          const forwardFrom = from - asOf;
          const forwardTo = to - asOf;
          for (let s = 0; s < S; s++) {
            const amount = (buffers[s] as FlowBuffer).principal[k] as number;
            if (amount === 0) continue;
            const projection = projections[s] as Float64Array;
            let rate = ((projection[forwardFrom] as number) / (projection[forwardTo] as number) - 1) / period + spread;
            if (rate < floor) rate = floor;
            if (rate > cap) rate = cap;
            const accruedAmount = amount * rate * accrued;
            if (accruedAmount === 0) continue;
            const perDay = accruedAmount / (until - from);
            const at = s * H;
            let d = lo;
            let m = firstMonth;
            while (d < hi) {
              const next = Math.min(hi, monthStarts[m + 1] as number);
              out[at + m]! += perDay * (next - d);
              d = next;
              m++;
            }
          }
        }
        from = to;
      }
    }
  }

  floatingInterest(buffer: FlowBuffer, p: PositionColumns, i: number, projection: Float64Array, out: Float64Array): void {
    const end = this.horizon.endDay;
    const asOf = this.horizon.asOf;
    const dayCount = p.dayCount[i] as number;
    const months = (p.resetFrequencyMonths[i] as number) || (p.paymentFrequencyMonths[i] as number) || 1;
    const given = p.spread[i] as number;
    const spread = Number.isNaN(given) ? 0 : given;
    const floor = p.floor[i] as number;
    const cap = p.cap[i] as number;
    for (let k = 0; k < buffer.count; k++) {
      const day = buffer.day[k] as number;
      const amount = buffer.principal[k] as number;
      if (amount === 0 || day >= end) continue;
      let from = day;
      for (let n = 1; from < end; n++) {
        const to = this.roll(day, n * months);
        let rate = ((projection[from - asOf] as number) / (projection[to - asOf] as number) - 1) / renewalAccrual(dayCount, from, to) + spread;
        if (rate < floor) rate = floor;
        if (rate > cap) rate = cap;
        const until = Math.min(to, end);
        this.horizon.spread(amount * rate * renewalAccrual(dayCount, from, until), from, until, out);
        from = to;
      }
    }
  }
}
