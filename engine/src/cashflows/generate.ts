import { yearFraction } from '../daycount.ts';
import { NO_DATE, type PositionColumns } from '../positions.ts';
import { firstPeriodMonths, monthlyRate } from '../behaviour.ts';
import { paymentMonths, resetMonths } from '../settings.ts';
import type { FlowBuffer } from './flow-buffer.ts';
import { ScheduleCache } from './schedule-cache.ts';
import { behaviouralPrincipal, floatingCoupon, indexForward, survival } from './survival.ts';
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

/**
 * FlowOptions for a pass. Every field is created holding a value of the kind it will hold later
 * (a fraction, an array or null): a field created as a small integer or null that later takes a
 * fraction or an array changes the object's hidden class, and V8 then throws away the optimised
 * code of the pass that uses it and compiles it again — in the middle of the next large run.
 */
export function flowOptions(asOf: number, truncateAtReset: boolean, untilDay: number): FlowOptions {
  const options: FlowOptions = { asOf, annualBehaviourRate: 0.5, projection: NO_PROJECTION, truncateAtReset, untilDay: untilDay + 0.5 };
  options.annualBehaviourRate = 0;
  options.projection = null;
  options.untilDay = untilDay;
  return options;
}
const NO_PROJECTION = new Float64Array(0);

/** Instalment P = N·i/(1 − (1+i)^−n) = N·i·(1+i)^n/((1+i)^n − 1), i = r·f/12 (methodology §3). */
export function annuityInstalment(balance: number, rate: number, frequencyMonths: number, payments: number): number {
  const i = rate * (frequencyMonths / 12);
  if (Math.abs(i) < 1e-14) return balance / payments;
  if (payments <= 0 || (payments | 0) !== payments) return (balance * i) / (1 - Math.exp(-payments * Math.log1p(i)));
  // (1+i)^n by repeated squaring (≤ 9 squarings for 360 payments): ~15 ns against ~40 ns for
  // exp/log1p and ~60 ns for Math.pow in V8; relative error ~n·ε ≈ 1e-13, far inside what matters
  let x = 1 + i;
  let power = 1;
  for (let m = payments; m > 0; m >>>= 1) {
    if ((m & 1) === 1) power *= x;
    x *= x;
  }
  return (balance * i * power) / (power - 1); // one division where N·i/(1 − 1/(1+i)^n) takes two
}

/** yearFraction with the two ACT bases inlined (hot path). */
export function tau(dayCount: number, start: number, end: number): number {
  if (dayCount === 0) return (end - start) / 360;
  if (dayCount === 1) return (end - start) / 365;
  return +yearFraction(dayCount, start, end); // `+`: all three returns unboxed when inlined into a kernel
}

const EMPTY_DATES = new Int32Array(0);
const EMPTY_TAUS = new Float64Array(0);

/**
 * Contractual (plus behavioural) flows of one position, unsigned (callers apply the side).
 * prepare(i) does the calendar work once; run() may then be called per scenario or behaviour
 * variant, re-doing only the arithmetic. Non-maturing deposits produce nothing here (nmd-flows.ts).
 */
export class FlowGenerator {
  private readonly cache: ScheduleCache;
  private i = -1;
  // calendar of the prepared position: public so the fused EVE kernels (eve/kernels.ts) read it
  // without copies; only prepare() writes it
  amortization = 0;
  frequency = 1;
  dayCount = 1;
  dates: Int32Array = EMPTY_DATES;
  /** number of the position's payment dates: dates[0, count) (dates may be a longer shared array) */
  count = 0;
  /** ScheduleCache id of `dates` (cache.masterById): positions with the same id share their dates */
  masterId = -1;
  taus: Float64Array = EMPTY_TAUS;
  previousRoll = 0;
  firstTau = 0;
  private floating = false;
  resets: Int32Array = EMPTY_DATES;
  resetTaus: Float64Array = EMPTY_TAUS;
  firstReset = 0;
  // state of one run
  private balance = 0;
  private rateNow = 0;
  private resetAt = 0;
  private nextReset = Number.POSITIVE_INFINITY;
  private rateChanged = false;
  private projection: Float64Array | null = null;
  private scratch = new Float64Array(0);
  private interestScratch = new Float64Array(0);

  constructor(
    private readonly p: PositionColumns,
    private readonly schedules: ScheduleIndex | undefined,
    readonly asOf: number,
    /** last day grids and reset rolls must reach */
    lastDay: number,
    /** share one cache between the EVE, NII and gap passes of a run so calendar work is done once */
    cache?: ScheduleCache,
  ) {
    this.cache = cache !== undefined && cache.asOf === asOf && cache.lastDay >= lastDay ? cache : new ScheduleCache(asOf, lastDay);
  }

  /** Calendar work for position i; false when it has no flows after asOf (matured or NMD). */
  prepare(i: number): boolean {
    const p = this.p;
    this.i = i;
    this.dates = EMPTY_DATES;
    this.count = 0;
    const amortization = p.amortization[i] as number;
    const maturity = p.maturityDate[i] as number;
    if (amortization === NON_MATURING || maturity === NO_DATE || maturity <= this.asOf) return false;
    this.amortization = amortization;
    this.frequency = paymentMonths(amortization, p.paymentFrequencyMonths[i] as number);
    this.dayCount = p.dayCount[i] as number;
    const schedule = this.cache.positionMaster(p, i, maturity, this.frequency, this.dayCount, p.startDate[i] as number);
    // the position's dates are schedule.dates[0, count): the master may run on for its family
    const count = this.cache.lastCount;
    if (count === 0) return false;
    this.masterId = this.cache.lastMasterId;
    this.count = count;
    this.dates = schedule.dates;
    this.taus = schedule.taus;
    this.previousRoll = schedule.previousRoll;
    this.firstTau = schedule.taus[0] as number;
    const start = p.startDate[i] as number;
    if (start !== NO_DATE && start > this.previousRoll) {
      // §3: the first remaining period accrues from the start date when that is later than the roll
      this.previousRoll = start;
      this.firstTau = tau(this.dayCount, start, this.dates[0] as number);
    }
    this.floating = p.rateType[i] === FLOATING;
    if (this.floating) {
      const months = resetMonths(amortization, p.resetFrequencyMonths[i] as number, p.paymentFrequencyMonths[i] as number);
      const given = p.nextResetDate[i] as number;
      const resets = this.cache.resetDates(given === NO_DATE ? (this.dates[0] as number) : given, months, this.dayCount);
      this.resets = resets.dates;
      this.resetTaus = resets.taus;
      let k = 0;
      while ((this.resets[k] as number) <= this.asOf) k++;
      this.firstReset = k;
    }
    return true;
  }

  /** prepare(i) + run(o, out). */
  generate(i: number, o: FlowOptions, out: FlowBuffer): void {
    if (this.prepare(i)) this.run(o, out);
    else out.clear();
  }

  /** Flows of the prepared position under one set of options. */
  run(o: FlowOptions, out: FlowBuffer): void {
    out.clear();
    const dates = this.dates;
    const n = this.count;
    if (n === 0) return;
    if (this.amortization === SCHEDULED && this.schedules !== undefined) {
      this.runScheduled(o, out);
      return;
    }
    const p = this.p;
    const i = this.i;
    const amortization = this.amortization;
    const frequency = this.frequency;
    const taus = this.taus;
    let balance = p.notional[i] as number;
    this.rateNow = p.rate[i] as number;
    this.rateChanged = false;
    this.projection = o.projection;
    this.resetAt = this.firstReset;
    this.nextReset = this.floating ? (this.resets[this.resetAt] as number) : Number.POSITIVE_INFINITY;
    const truncate = o.truncateAtReset && this.floating;
    const untilDay = o.untilDay;

    // behaviour: monthly SMM, settled at payment dates; survival over a regular period = (1 − SMM)^f
    const smm = o.annualBehaviourRate > 0 ? monthlyRate(o.annualBehaviourRate) : 0;
    const regularSurvival = smm > 0 ? survival(smm, frequency) : 1; // survival(0, f) is 1: no call for contractual flows
    let instalment = +(amortization === ANNUITY ? annuityInstalment(balance, this.rateNow, frequency, n) : 0); // `+`: unboxed (eve/kernels.ts addDerived)

    out.reserve(n);
    const outDay = out.day;
    const outStart = out.accrualStart;
    const outInterest = out.interest;
    const outPrincipal = out.principal;
    let count = 0;
    let a = this.previousRoll;
    for (let k = 0; k < n; k++) {
      const d = dates[k] as number;
      if (truncate && this.nextReset <= d) {
        // §6: principal and the known coupon at the next reset, nothing after. The coupon accrues
        // from the period's start to the reset: nothing when the reset comes first (a forward
        // start whose next reset is before its start date), never a negative fraction
        outDay[count] = this.nextReset;
        outStart[count] = a;
        outInterest[count] = this.nextReset > a ? balance * this.rateNow * tau(this.dayCount, a, this.nextReset) : 0;
        outPrincipal[count] = balance;
        out.count = count + 1;
        return;
      }
      let interest = 0;
      if (this.nextReset >= d) interest = balance * this.rateNow * (k === 0 ? this.firstTau : (taus[k] as number));
      else {
        this.balance = balance;
        const mark = out.pieces;
        interest = this.accrue(a, d, Number.NaN, out);
        out.keepPieces(mark, count);
      }
      let principal = 0;
      if (k === n - 1) principal = balance;
      else if (amortization === LINEAR) principal = balance / (n - k);
      else if (amortization === ANNUITY) {
        // a floating annuity recomputes its instalment once a reset has changed the rate (§3)
        if (this.rateChanged) {
          instalment = annuityInstalment(balance, this.rateNow, frequency, n - k);
          this.rateChanged = false;
        }
        principal = interest >= instalment ? 0 : Math.min(balance, instalment - interest);
      }
      if (smm > 0 && k < n - 1) {
        // the first period counts only the share of it left after as_of
        const survived = k === 0 ? survival(smm, firstPeriodMonths(frequency, a, d, o.asOf)) : regularSurvival;
        principal = behaviouralPrincipal(balance, principal, survived);
        // the instalment falls in proportion to the balance prepaid (same rate, same remaining dates)
        instalment *= survived;
      }
      outDay[count] = d;
      outStart[count] = a;
      outInterest[count] = interest;
      outPrincipal[count] = principal;
      count++;
      balance -= principal;
      a = d;
      if (d >= untilDay) break;
    }
    out.count = count;
  }

  /**
   * Floating contracts (not scheduled, not truncated) under several scenarios at once: the calendar
   * walk — periods, resets, accrual fractions — is shared; balances, rates and instalments are kept
   * per scenario. Gives exactly what run() gives for each scenario separately.
   */
  runScenarios(projections: readonly Float64Array[], behaviourRates: ArrayLike<number>, untilDay: number, outs: readonly FlowBuffer[]): void {
    const S = projections.length;
    const dates = this.dates;
    const n = this.count;
    for (let s = 0; s < S; s++) (outs[s] as FlowBuffer).clear();
    if (n === 0) return;
    const p = this.p;
    const i = this.i;
    const amortization = this.amortization;
    const frequency = this.frequency;
    const dayCount = this.dayCount;
    const taus = this.taus;
    if (this.scratch.length < 6 * S) this.scratch = new Float64Array(6 * S);
    const w = this.scratch;
    // w layout: balance | rate | instalment | smm | regular survival | rate changed (0/1)
    const notional = p.notional[i] as number;
    const rate0 = p.rate[i] as number;
    for (let s = 0; s < S; s++) {
      w[s] = notional;
      w[S + s] = rate0;
      w[2 * S + s] = amortization === ANNUITY ? annuityInstalment(notional, rate0, frequency, n) : 0;
      const annual = behaviourRates[s] as number;
      // ~3 distinct rates over the scenarios (×0.8 / ×1 / ×1.2): reuse an earlier scenario's SMM
      let same = -1;
      for (let t = 0; t < s && same < 0; t++) if (behaviourRates[t] === annual) same = t;
      const smm = same >= 0 ? (w[3 * S + same] as number) : annual > 0 ? monthlyRate(annual) : 0;
      w[3 * S + s] = smm;
      w[4 * S + s] = same >= 0 ? (w[4 * S + same] as number) : survival(smm, frequency);
      w[5 * S + s] = 0;
      (outs[s] as FlowBuffer).reserve(n);
    }
    let resetAt = this.firstReset;
    let nextReset = (this.resets[resetAt] as number | undefined) ?? Number.POSITIVE_INFINITY;
    const interest = this.interestScratch.length >= S ? this.interestScratch : (this.interestScratch = new Float64Array(S));
    let a = this.previousRoll;
    let count = 0;
    for (let k = 0; k < n; k++) {
      const d = dates[k] as number;
      if (nextReset >= d) {
        const t = k === 0 ? this.firstTau : (taus[k] as number);
        for (let s = 0; s < S; s++) interest[s] = (w[s] as number) * (w[S + s] as number) * t;
      } else {
        for (let s = 0; s < S; s++) interest[s] = 0;
        let start = a;
        while (nextReset < d) {
          if (nextReset > start) {
            // a reset inside the period: the segment before it is an accrual piece of its own (§7)
            const t = tau(dayCount, start, nextReset);
            for (let s = 0; s < S; s++) {
              const piece = (w[s] as number) * (w[S + s] as number) * t;
              interest[s]! += piece;
              (outs[s] as FlowBuffer).addPiece(count, nextReset, piece);
            }
            start = nextReset;
          }
          for (let s = 0; s < S; s++) {
            w[S + s] = this.fixing(resetAt, projections[s] as Float64Array);
            w[5 * S + s] = 1;
          }
          resetAt++;
          nextReset = (this.resets[resetAt] as number | undefined) ?? Number.POSITIVE_INFINITY;
        }
        const t = tau(dayCount, start, d);
        const split = start > a;
        for (let s = 0; s < S; s++) {
          const piece = (w[s] as number) * (w[S + s] as number) * t;
          interest[s]! += piece;
          if (split) (outs[s] as FlowBuffer).addPiece(count, d, piece);
        }
      }
      const last = k === n - 1;
      for (let s = 0; s < S; s++) {
        const balance = w[s] as number;
        const int = interest[s] as number;
        let principal = 0;
        if (last) principal = balance;
        else if (amortization === LINEAR) principal = balance / (n - k);
        else if (amortization === ANNUITY) {
          if (w[5 * S + s] === 1) {
            w[2 * S + s] = annuityInstalment(balance, w[S + s] as number, frequency, n - k);
            w[5 * S + s] = 0;
          }
          const instalment = w[2 * S + s] as number;
          principal = int >= instalment ? 0 : Math.min(balance, instalment - int);
        }
        const smm = w[3 * S + s] as number;
        if (smm > 0 && !last) {
          const survived = k === 0 ? survival(smm, firstPeriodMonths(frequency, a, d, this.asOf)) : (w[4 * S + s] as number);
          principal = behaviouralPrincipal(balance, principal, survived);
          w[2 * S + s]! *= survived;
        }
        const out = outs[s] as FlowBuffer;
        out.day[count] = d;
        out.accrualStart[count] = a;
        out.interest[count] = int;
        out.principal[count] = principal;
        w[s] = balance - principal;
      }
      count++;
      a = d;
      if (d >= untilDay) break;
    }
    for (let s = 0; s < S; s++) (outs[s] as FlowBuffer).count = count;
  }

  /** True when deriveBehaviour() may turn the prepared position's contractual flows into behavioural ones. */
  get derivesBehaviour(): boolean {
    return !this.floating && !(this.amortization === SCHEDULED && this.schedules !== undefined);
  }

  get paymentFrequency(): number {
    return this.frequency;
  }

  /** The cache the generator reads its schedules from (shared masters: masterById). */
  get scheduleCache(): ScheduleCache {
    return this.cache;
  }

  /** True when run() gives exactly one flow per payment date, flow k on dates[k] (not scheduled amortisation). */
  get flowsOnDates(): boolean {
    return !(this.amortization === SCHEDULED && this.schedules !== undefined);
  }

  /** True when runScenarios() applies to the prepared position. */
  get sharesCalendarAcrossScenarios(): boolean {
    return this.floating && this.count > 0 && !(this.amortization === SCHEDULED && this.schedules !== undefined);
  }

  /** Scheduled amortisation: principal from the schedule table, interest on the balance between flows, residual at maturity. */
  private runScheduled(o: FlowOptions, out: FlowBuffer): void {
    const p = this.p;
    const i = this.i;
    const dates = this.dates;
    const n = this.count;
    const index = this.schedules as ScheduleIndex;
    const sd = index.columns.date;
    const sp = index.columns.principal;
    this.balance = p.notional[i] as number;
    this.rateNow = p.rate[i] as number;
    this.projection = o.projection;
    this.resetAt = this.firstReset;
    this.nextReset = this.floating ? (this.resets[this.resetAt] as number) : Number.POSITIVE_INFINITY;
    const smm = o.annualBehaviourRate > 0 ? monthlyRate(o.annualBehaviourRate) : 0;
    let s = index.start[i] as number;
    const sEnd = index.start[i + 1] as number;
    const after = Math.max(o.asOf, this.previousRoll);
    while (s < sEnd && (sd[s] as number) <= after) s++;
    let a = this.previousRoll;
    for (let k = 0; k < n; k++) {
      const d = dates[k] as number;
      // §6, §8: truncated at the next reset when it falls in this period; the table rows before it
      // still repay on their dates and the known coupon accrues on each balance segment
      const truncated = o.truncateAtReset && this.floating && this.nextReset <= d;
      const end = truncated ? this.nextReset : d;
      let interest = 0;
      let principal = 0;
      let from = a;
      // the period's balance and rate segments, as accrual pieces of its payment (kept when it has several)
      const mark = out.pieces;
      while (s < sEnd && (sd[s] as number) <= end) {
        const at = sd[s] as number;
        interest += this.accrue(from, at, Number.NaN, out);
        const amount = Math.min(this.balance, sp[s] as number);
        if (at < end && amount !== 0) out.push(at, from, 0, amount);
        else principal += amount;
        this.balance -= amount;
        from = at;
        s++;
      }
      if (truncated) {
        // principal and the known coupon at the next reset, nothing after
        interest += this.accrue(from, end, Number.NaN, out);
        out.keepPieces(mark, out.count);
        out.push(end, a, interest, principal + this.balance);
        return;
      }
      interest += this.accrue(from, d, from === a ? (k === 0 ? this.firstTau : (this.taus[k] as number)) : Number.NaN, out);
      out.keepPieces(mark, out.count);
      // the scheduled amounts are already off the balance; add the residual at maturity or the prepayment
      let extra = 0;
      if (k === n - 1) extra = this.balance;
      else if (smm > 0) {
        // the table's principal is already off the balance: prepaid is the share of what is left
        const months = k === 0 ? firstPeriodMonths(this.frequency, a, d, o.asOf) : this.frequency;
        extra = behaviouralPrincipal(this.balance, 0, survival(smm, months));
      }
      out.push(d, a, interest, principal + extra);
      this.balance -= extra;
      a = d;
      if (d >= o.untilDay) return;
    }
  }

  /**
   * Interest on the current balance over [from, to] (τ given when it is a whole cached period),
   * fixing at resets passed; each segment at one rate also goes to `pieces` as an accrual piece
   * (flow index set by the caller's keepPieces).
   */
  private accrue(from: number, to: number, period: number, pieces: FlowBuffer): number {
    if (to <= from) return 0;
    if (this.nextReset >= to) {
      const interest = this.balance * this.rateNow * (period === period ? period : tau(this.dayCount, from, to));
      pieces.addPiece(-1, to, interest);
      return interest;
    }
    let interest = 0;
    let start = from;
    while (this.nextReset < to) {
      const reset = this.nextReset;
      if (reset > start) {
        const piece = this.balance * this.rateNow * tau(this.dayCount, start, reset);
        interest += piece;
        pieces.addPiece(-1, reset, piece);
      }
      start = Math.max(start, reset);
      if (this.projection !== null) {
        this.rateNow = this.fixing(this.resetAt, this.projection);
        this.rateChanged = true;
      }
      this.resetAt++;
      this.nextReset = this.resets[this.resetAt] ?? Number.POSITIVE_INFINITY;
    }
    const last = this.balance * this.rateNow * tau(this.dayCount, start, to);
    pieces.addPiece(-1, to, last);
    return interest + last;
  }

  /** Index forward over reset period k + spread, bounded by floor/cap (§3): (DF1/DF2 − 1)/τ. */
  private fixing(k: number, projection: Float64Array): number {
    const p = this.p;
    const i = this.i;
    const df1 = projection[(this.resets[k] as number) - this.asOf] as number;
    const df2 = projection[(this.resets[k + 1] as number) - this.asOf] as number;
    const spread = p.spread[i] as number;
    return floatingCoupon(indexForward(df1, df2, this.resetTaus[k] as number), spread === spread ? spread : 0, p.floor[i] as number, p.cap[i] as number); // NaN spread = none
  }
}
