/**
 * Contractual and behavioural cash flows of one contract in one scenario (methodology §3, §5),
 * written period by period the way §3 words it. Amounts are unsigned; the side is applied by EVE,
 * NII and the gap.
 */
import { accrualFraction, addMonths, isMonthEnd, yearsFrom } from './calendar.ts';
import { periodSurvival, singleMonthlyMortality } from './behaviour.ts';
import { discountFactor, type Curve, type FloorSetting, type ScenarioId } from './market.ts';
import type { Contract } from './position.ts';

/** A stretch of days at one balance and one coupon rate: it earns balance·rate·τ(from, to). */
export interface Segment {
  from: number;
  to: number;
  balance: number;
  rate: number;
}

export interface Flow {
  date: number;
  /** start of the period whose interest this flow pays */
  accrualStart: number;
  interest: number;
  principal: number;
  /** the pieces of the period the interest accrued over (§7 accrues each at its own rate) */
  segments: Segment[];
}

export interface ProjectionSettings {
  asOf: number;
  scenario: ScenarioId;
  floor: FloorSetting;
  /** the contract's projection curve (floating contracts); undefined keeps the current coupon */
  projection: Curve | undefined;
  /** annual CPR / TDRR already adjusted to the scenario (§5) */
  annualBehaviourRate: number;
  /** §6 standardised and §8 gap: a floating contract repays its balance at its next reset */
  truncateAtReset: boolean;
}

/**
 * §3 payment dates: roll backward from maturity by the payment frequency, unadjusted, month ends
 * kept when the maturity is a month end; only dates after as_of (and after a forward start) are
 * kept. Each date is maturity − k·f months, taken from the maturity itself.
 * The first period accrues from the roll date before the first kept date, or from start_date if later.
 */
export function paymentDates(c: Contract, asOf: number): { dates: number[]; firstAccrualStart: number } {
  const maturity = c.maturity as number;
  const monthEnd = isMonthEnd(maturity);
  const cutoff = c.start !== undefined && c.start > asOf ? c.start : asOf;
  const dates: number[] = [];
  let k = 0;
  let roll = maturity;
  while (roll > cutoff) {
    dates.unshift(roll);
    k++;
    roll = addMonths(maturity, -k * c.paymentMonths, monthEnd);
  }
  const firstAccrualStart = c.start !== undefined && c.start > roll ? c.start : roll;
  return { dates, firstAccrualStart };
}

/**
 * §3 floating: reset dates roll from next_reset_date every reset_frequency_months (unadjusted,
 * from that anchor each time; a missing next reset is the first payment date — engine convention
 * "floating-reset-roll"). Resets on or before as_of are already fixed in `rate`.
 */
function resetDate(c: Contract, anchor: number, k: number): number {
  return addMonths(anchor, k * c.resetMonths, false);
}

/** §3: the rate fixed at reset k = index forward over [reset k, reset k+1] + spread, bounded by floor/cap. */
function fixing(c: Contract, anchor: number, k: number, s: ProjectionSettings): number {
  const projection = s.projection as Curve;
  const from = resetDate(c, anchor, k);
  const to = resetDate(c, anchor, k + 1);
  const df1 = discountFactor(projection, s.scenario, s.floor, yearsFrom(s.asOf, from));
  const df2 = discountFactor(projection, s.scenario, s.floor, yearsFrom(s.asOf, to));
  // §2: forward = (DF(t1)/DF(t2) − 1)/τ, τ in the contract's own day count
  let rate = (df1 / df2 - 1) / accrualFraction(c.dayCount, from, to) + c.spread;
  if (c.floor !== undefined && rate < c.floor) rate = c.floor;
  if (c.cap !== undefined && rate > c.cap) rate = c.cap;
  return rate;
}

/** §3 annuity: P = N·i/(1 − (1+i)^−n), i = r·f/12. */
export function annuityInstalment(balance: number, rate: number, paymentMonths: number, payments: number): number {
  const i = (rate * paymentMonths) / 12;
  if (Math.abs(i) < 1e-14) return balance / payments;
  return (balance * i) / (1 - Math.pow(1 + i, -payments));
}

/** The flows of contract c in one scenario, over its whole remaining life. */
export function projectFlows(c: Contract, s: ProjectionSettings): Flow[] {
  const asOf = s.asOf;
  if (c.amortization === 'non_maturing' || c.maturity === undefined || c.maturity <= asOf) return [];
  const { dates, firstAccrualStart } = paymentDates(c, asOf);
  const n = dates.length;
  if (n === 0) return [];

  // state of the contract as the periods go by
  let balance = c.notional;
  let rate = c.rate; // §3: the current coupon holds until next_reset_date
  let rateChanged = false;
  const anchor = c.nextReset ?? (dates[0] as number);
  let resetIndex = 0;
  while (c.floating && resetDate(c, anchor, resetIndex) <= asOf) resetIndex++;
  const nextReset = (): number => (c.floating ? resetDate(c, anchor, resetIndex) : Number.POSITIVE_INFINITY);
  const smm = s.annualBehaviourRate > 0 ? singleMonthlyMortality(s.annualBehaviourRate) : 0;
  let instalment = c.amortization === 'annuity' ? annuityInstalment(balance, rate, c.paymentMonths, n) : 0;
  // §1.1 schedule rows dated on or before the period in force are already in the notional
  const rows = c.schedule.filter((r) => r.date > Math.max(asOf, firstAccrualStart));
  const scheduled = c.amortization === 'scheduled';

  const flows: Flow[] = [];
  /** interest on the balance over [from, to], re-fixing at each reset passed (§3 pro rata) */
  const accrue = (from: number, to: number, segments: Segment[]): void => {
    let start = from;
    while (nextReset() < to) {
      const reset = nextReset();
      if (reset > start) segments.push({ from: start, to: reset, balance, rate });
      start = Math.max(start, reset);
      if (s.projection !== undefined) {
        rate = fixing(c, anchor, resetIndex, s);
        rateChanged = true;
      }
      resetIndex++;
    }
    if (to > start) segments.push({ from: start, to, balance, rate });
  };
  const interestOf = (segments: Segment[]): number =>
    segments.reduce((sum, g) => sum + g.balance * g.rate * accrualFraction(c.dayCount, g.from, g.to), 0);

  let a = firstAccrualStart;
  for (let k = 0; k < n; k++) {
    const d = dates[k] as number;
    const segments: Segment[] = [];
    if (s.truncateAtReset && c.floating && nextReset() <= d) {
      // §6 / §8: principal and the known coupon at the next reset, nothing after; scheduled
      // rows before the reset are still repaid on their own dates
      const reset = nextReset();
      let from = a;
      while (scheduled && rows.length > 0 && (rows[0]!.date) < reset) {
        const row = rows.shift()!;
        segments.push({ from, to: row.date, balance, rate });
        const amount = Math.min(balance, row.principal);
        if (amount !== 0) flows.push({ date: row.date, accrualStart: from, interest: 0, principal: amount, segments: [] });
        balance -= amount;
        from = row.date;
      }
      if (reset > from) segments.push({ from, to: reset, balance, rate });
      flows.push({ date: reset, accrualStart: a, interest: interestOf(segments), principal: balance, segments });
      return flows;
    }
    const last = k === n - 1;
    let principal = 0;
    if (scheduled) {
      // §3 scheduled: principal from the table on its own date, interest on each balance between flows
      let from = a;
      while (rows.length > 0 && (rows[0]!.date) <= d) {
        const row = rows.shift()!;
        accrue(from, row.date, segments);
        const amount = Math.min(balance, row.principal);
        if (row.date < d && amount !== 0) flows.push({ date: row.date, accrualStart: from, interest: 0, principal: amount, segments: [] });
        else principal += amount;
        balance -= amount;
        from = row.date;
      }
      accrue(from, d, segments);
      // the residual at maturity; otherwise prepayment of what the schedule leaves (§3, §5)
      let extra = 0;
      if (last) extra = balance;
      else if (smm > 0) extra = balance * (1 - periodSurvival(smm, c.paymentMonths, a, d, asOf, k === 0));
      flows.push({ date: d, accrualStart: a, interest: interestOf(segments), principal: principal + extra, segments });
      balance -= extra;
    } else {
      accrue(a, d, segments);
      const interest = interestOf(segments);
      if (last) principal = balance;
      else if (c.amortization === 'linear') principal = balance / (n - k); // §3: N/n on the remaining payments
      else if (c.amortization === 'annuity') {
        // §3: a floating annuity recomputes its instalment after a reset from the remaining
        // balance, the remaining payments and the new rate (from the first payment after it)
        if (rateChanged) {
          instalment = annuityInstalment(balance, rate, c.paymentMonths, n - k);
          rateChanged = false;
        }
        principal = Math.max(0, Math.min(balance, instalment - interest));
      }
      if (smm > 0 && !last) {
        // §3 prepayment on top of the contractual amortisation; the instalment falls with the
        // balance prepaid (same rate, same remaining dates: engine convention "prepayment-timing")
        const survival = periodSurvival(smm, c.paymentMonths, a, d, asOf, k === 0);
        principal += (balance - principal) * (1 - survival);
        instalment *= survival;
      }
      flows.push({ date: d, accrualStart: a, interest, principal, segments });
      balance -= principal;
    }
    a = d;
  }
  return flows;
}
