/**
 * NII of one contract over the horizon (methodology §7), month by month: interest accrued (not
 * paid) day by day at the rate in force, and on a constant balance sheet every principal repaid
 * inside the horizon replaced at once by the same product.
 */
import { accrualFraction, addMonths, yearsFrom, type DayCountName } from './calendar.ts';
import type { Flow } from './cashflows.ts';
import type { NmdPortion } from './behaviour.ts';
import { baseZero, discountFactor, shockedZero, type Curve, type FloorSetting, type ScenarioId } from './market.ts';
import type { Contract } from './position.ts';

/** §7: monthly steps — month m runs from as_of + m months (day clamped) to as_of + m + 1 months. */
export class NiiMonths {
  readonly starts: number[];
  constructor(
    readonly asOf: number,
    readonly months: number,
  ) {
    this.starts = Array.from({ length: months + 1 }, (_, m) => addMonths(asOf, m, false));
  }

  get end(): number {
    return this.starts[this.months] as number;
  }

  /**
   * Adds `amount`, earned evenly on each day of [from, to), to the months those days fall in;
   * days outside [as_of, horizon end) earn nothing here.
   */
  spread(profile: number[], amount: number, from: number, to: number): void {
    if (to <= from || amount === 0) return;
    const perDay = amount / (to - from);
    let m = 0;
    while (m < this.months && (this.starts[m + 1] as number) <= from) m++;
    for (; m < this.months && (this.starts[m] as number) < to; m++) {
      const lo = Math.max(from, this.starts[m] as number);
      const hi = Math.min(to, this.starts[m + 1] as number);
      if (hi > lo) profile[m]! += perDay * (hi - lo);
    }
  }
}

export interface NiiMarket {
  asOf: number;
  scenario: ScenarioId;
  floor: FloorSetting;
  /** the currency's discount curve (renewal and pass-through rates) */
  discount: Curve;
  /** the contract's projection curve (floating renewals) */
  projection: Curve | undefined;
}

/**
 * §7 accrual: each segment of a period (one balance, one rate — a period holding a reset has one
 * segment per fixing) earns balance·rate·τ(from, to) in the contract's day count, evenly over its
 * calendar days; interest is never spread over a period whose rate changes.
 */
export function accrueFlows(c: Contract, flows: readonly Flow[], months: NiiMonths, profile: number[]): void {
  for (const f of flows) {
    for (const g of f.segments) months.spread(profile, c.sign * g.balance * g.rate * accrualFraction(c.dayCount, g.from, g.to), g.from, g.to);
  }
}

/** Engine convention "nii-renewal-daycount": replacements accrue days/360 for ACT/360 contracts, days/365 otherwise. */
function renewalBasis(dayCount: DayCountName): number {
  return dayCount === 'ACT/360' ? 360 : 365;
}

/**
 * §7 constant balance sheet: every principal repaid before the horizon end is replaced at once by
 * the same amount and product. Fixed: at the scenario curve's zero rate for the contract's original
 * term plus its margin over the base curve at that term (term in whole months, start → maturity or
 * as_of → maturity without a start; the rate holds to the horizon end — "nii-renewal").
 * Floating: re-fixed every reset period from the repayment date at the scenario forward + spread,
 * bounded by floor/cap.
 */
export function renewFlows(c: Contract, flows: readonly Flow[], months: NiiMonths, m: NiiMarket, profile: number[]): void {
  const basis = renewalBasis(c.dayCount);
  const end = months.end;
  for (const f of flows) {
    if (f.principal === 0 || f.date >= end) continue;
    const amount = c.sign * f.principal;
    if (!c.floating) {
      const rate = fixedRenewalRate(c, m);
      months.spread(profile, (amount * rate * (end - f.date)) / basis, f.date, end);
      continue;
    }
    const projection = m.projection as Curve;
    let from = f.date;
    for (let n = 1; from < end; n++) {
      const to = addMonths(f.date, n * c.resetMonths, false);
      const tau = (to - from) / basis;
      const df1 = discountFactor(projection, m.scenario, m.floor, yearsFrom(m.asOf, from));
      const df2 = discountFactor(projection, m.scenario, m.floor, yearsFrom(m.asOf, to));
      let rate = (df1 / df2 - 1) / tau + c.spread;
      if (c.floor !== undefined && rate < c.floor) rate = c.floor;
      if (c.cap !== undefined && rate > c.cap) rate = c.cap;
      const until = Math.min(to, end);
      months.spread(profile, (amount * rate * (until - from)) / basis, from, until);
      from = to;
    }
  }
}

/** Original term in whole months (1 … 1200), as the engine rounds it: days·12/365. */
function termMonths(c: Contract, asOf: number): number {
  const maturity = c.maturity as number;
  const from = c.start !== undefined && c.start < maturity ? c.start : asOf;
  return Math.min(1200, Math.max(1, Math.round(((maturity - from) * 12) / 365)));
}

function fixedRenewalRate(c: Contract, m: NiiMarket): number {
  const t = termMonths(c, m.asOf) / 12;
  const margin = c.rate - baseZero(m.discount, t);
  return shockedZero(m.discount, m.scenario, m.floor, t) + margin;
}

/**
 * §7 with §5: a non-maturing balance pays its own rate; a portion that reprices (the overnight
 * part the day after as_of, core slices at their run-off dates) pays from then on its rate plus the
 * scenario's change of the currency's overnight zero rate (full pass-through, no floor: engine
 * convention "nmd-nii"). Each stretch at one rate — the whole horizon at the own rate, each
 * portion's change from its repricing date — accrues in the contract's day count (§1.1), evenly
 * over its calendar days like any segment.
 */
export function nmdInterest(c: Contract, portions: readonly NmdPortion[], months: NiiMonths, m: NiiMarket, profile: number[]): void {
  const on = 1 / 365;
  const change = shockedZero(m.discount, m.scenario, m.floor, on) - baseZero(m.discount, on);
  const end = months.end;
  months.spread(profile, c.sign * c.notional * c.rate * accrualFraction(c.dayCount, months.asOf, end), months.asOf, end);
  for (const p of portions) {
    if (p.date >= end) continue;
    months.spread(profile, c.sign * c.notional * p.share * change * accrualFraction(c.dayCount, p.date, end), p.date, end);
  }
}
