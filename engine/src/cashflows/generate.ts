import { addMonths } from '../dates.ts';
import { yearFraction } from '../daycount.ts';
import { NO_DATE, type PositionColumns } from '../positions.ts';
import { paymentSchedule } from '../schedule.ts';
import { monthlyRate } from '../behaviour.ts';
import type { FlowBuffer } from './flow-buffer.ts';
import type { ScheduleIndex } from './schedule-index.ts';

export const BULLET = 0;
export const LINEAR = 1;
export const ANNUITY = 2;
export const SCHEDULED = 3;
export const NON_MATURING = 4;
export const FLOATING = 1;

/** How one run of the generator projects a position (methodology §3). */
export interface FlowOptions {
  asOf: number;
  /** annual prepayment (assets: CPR) or redemption (liabilities: TDRR) rate, already scenario-adjusted */
  annualBehaviourRate: number;
  /**
   * Discount factors of this position's projection curve by day offset from asOf (scenario-shocked);
   * null keeps the current coupon after the next reset (only meaningful with truncateAtReset).
   */
  projection: Float64Array | null;
  /** standardised EVE and gap: a floating contract repays its balance at its next reset (§6, §8) */
  truncateAtReset: boolean;
  /** stop after the first payment on or after this day (NII horizon); Infinity for the full life */
  untilDay: number;
}

/** Instalment P = N·i/(1 − (1+i)^−n), i = r·f/12 (methodology §3). */
export function annuityInstalment(balance: number, rate: number, frequencyMonths: number, payments: number): number {
  const i = (rate * frequencyMonths) / 12;
  if (Math.abs(i) < 1e-14) return balance / payments;
  return (balance * i) / (1 - Math.pow(1 + i, -payments));
}

/** Next reset strictly after asOf, rolled from next_reset_date (or the first payment when it is absent). */
export function firstResetAfter(asOf: number, nextReset: number, firstPayment: number, resetMonths: number): number {
  const base = nextReset === NO_DATE ? firstPayment : nextReset;
  let reset = base;
  for (let k = 1; reset <= asOf; k++) reset = addMonths(base, k * resetMonths, false);
  return reset;
}

/**
 * Contractual (plus behavioural) flows of position i into `out`, unsigned (the caller applies side).
 * Non-maturing deposits produce nothing here: they are projected per category (nmd-flows.ts).
 */
export class FlowGenerator {
  // per-position state, kept on the instance so the hot loop allocates nothing but the schedule
  private balance = 0;
  private rateNow = 0;
  private resetBase = 0;
  private resetCount = 0;
  private nextReset = Number.POSITIVE_INFINITY;
  private resetMonths = 0;
  private floating = false;
  private rateChanged = false;
  private i = 0;

  constructor(
    private readonly p: PositionColumns,
    private readonly schedules: ScheduleIndex | undefined,
  ) {}

  run(i: number, o: FlowOptions, out: FlowBuffer): void {
    out.clear();
    const p = this.p;
    const amortization = p.amortization[i] as number;
    const maturity = p.maturityDate[i] as number;
    if (amortization === NON_MATURING || maturity === NO_DATE || maturity <= o.asOf) return;
    const frequency = (p.paymentFrequencyMonths[i] as number) || (amortization === BULLET ? 12 : 1);
    const schedule = paymentSchedule(o.asOf, maturity, frequency, p.startDate[i] as number);
    const dates = schedule.dates;
    const n = dates.length;
    if (n === 0) return;
    const dayCount = p.dayCount[i] as number;

    this.i = i;
    this.projectionOrigin = o.asOf;
    this.balance = p.notional[i] as number;
    this.rateNow = p.rate[i] as number;
    this.floating = p.rateType[i] === FLOATING;
    this.rateChanged = false;
    this.nextReset = Number.POSITIVE_INFINITY;
    if (this.floating) {
      this.resetMonths = (p.resetFrequencyMonths[i] as number) || frequency;
      this.resetBase = p.nextResetDate[i] === NO_DATE ? (dates[0] as number) : (p.nextResetDate[i] as number);
      this.resetCount = 0;
      while (this.resetDate(this.resetCount) <= o.asOf) this.resetCount++;
      this.nextReset = this.resetDate(this.resetCount);
    }
    const smm = o.annualBehaviourRate > 0 ? monthlyRate(o.annualBehaviourRate) : 0;
    let instalment = amortization === ANNUITY ? annuityInstalment(this.balance, this.rateNow, frequency, n) : 0;
    let behaviourFrom = Math.max(schedule.previousRoll, o.asOf);

    // scheduled principal of this position (sorted by date), consumed as the dates pass
    let s = 0;
    let sEnd = 0;
    if (amortization === SCHEDULED && this.schedules !== undefined) {
      s = this.schedules.start[i] as number;
      sEnd = this.schedules.start[i + 1] as number;
      const sd = this.schedules.columns.date;
      while (s < sEnd && (sd[s] as number) <= Math.max(o.asOf, schedule.previousRoll)) s++;
    }

    let a = schedule.previousRoll;
    for (let k = 0; k < n; k++) {
      const d = dates[k] as number;
      if (o.truncateAtReset && this.floating && this.nextReset <= d) {
        // §6: principal and the known coupon at the next reset, nothing after
        out.push(this.nextReset, a, this.balance * this.rateNow * yearFraction(dayCount, a, this.nextReset), this.balance);
        return;
      }
      let interest = 0;
      let principal = 0;
      if (amortization === SCHEDULED && this.schedules !== undefined) {
        // interest on the balance between scheduled principal flows, paid at the payment date
        const sd = this.schedules.columns.date;
        const sp = this.schedules.columns.principal;
        let from = a;
        while (s < sEnd && (sd[s] as number) <= d) {
          const at = sd[s] as number;
          interest += this.accrue(dayCount, from, at, o.projection);
          const amount = Math.min(this.balance, sp[s] as number);
          if (at < d && amount !== 0) out.push(at, from, 0, amount);
          else principal += amount;
          this.balance -= amount;
          from = at;
          s++;
        }
        interest += this.accrue(dayCount, from, d, o.projection);
        if (k === n - 1) principal += this.balance; // residual at maturity
      } else {
        interest = this.accrue(dayCount, a, d, o.projection);
        const remaining = n - k;
        if (k === n - 1) principal = this.balance;
        else if (amortization === LINEAR) principal = this.balance / remaining;
        else if (amortization === ANNUITY) {
          // a floating annuity recomputes its instalment once a reset has changed the rate (§3)
          if (this.rateChanged) {
            instalment = annuityInstalment(this.balance, this.rateNow, frequency, remaining);
            this.rateChanged = false;
          }
          principal = Math.min(this.balance, Math.max(0, instalment - interest));
        }
      }
      let prepaid = 0;
      if (smm > 0 && k < n - 1) {
        // monthly SMM on the balance left after contractual amortisation, settled at payment dates
        const months = (12 * (d - behaviourFrom)) / 365;
        prepaid = (this.balance - principal) * (1 - Math.pow(1 - smm, months));
        behaviourFrom = d;
        if (amortization === ANNUITY && prepaid > 0) this.rateChanged = true; // re-amortise the smaller balance
      }
      out.push(d, a, interest, principal + prepaid);
      this.balance -= principal + prepaid;
      a = d;
      if (d >= o.untilDay) return;
    }
  }

  private resetDate(k: number): number {
    return k === 0 ? this.resetBase : addMonths(this.resetBase, k * this.resetMonths, false);
  }

  /** Interest on the current balance over [from, to], fixing the floating rate at each reset passed. */
  private accrue(dayCount: number, from: number, to: number, projection: Float64Array | null): number {
    if (to <= from) return 0;
    let interest = 0;
    let start = from;
    while (this.nextReset < to) {
      const reset = this.nextReset;
      interest += this.balance * this.rateNow * yearFraction(dayCount, start, reset);
      start = reset;
      this.resetCount++;
      this.nextReset = this.resetDate(this.resetCount);
      if (projection !== null) {
        this.rateNow = this.fixing(dayCount, reset, this.nextReset, projection);
        this.rateChanged = true;
      }
    }
    return interest + this.balance * this.rateNow * yearFraction(dayCount, start, to);
  }

  /** Index forward over [reset, next reset] + spread, bounded by floor/cap (§3). */
  private fixing(dayCount: number, reset: number, end: number, projection: Float64Array): number {
    const p = this.p;
    const i = this.i;
    const origin = this.projectionOrigin;
    const df1 = projection[reset - origin] as number;
    const df2 = projection[end - origin] as number;
    let rate = (df1 / df2 - 1) / yearFraction(dayCount, reset, end) + (p.spread[i] as number);
    const floor = p.floor[i] as number;
    const cap = p.cap[i] as number;
    if (rate < floor) rate = floor; // NaN bounds compare false: no bound
    if (rate > cap) rate = cap;
    return rate;
  }

  /** Day that index 0 of projection arrays refers to (the analysis date). */
  projectionOrigin = 0;
}
