import { coreFraction, type NmdPlan } from '../cashflows/nmd-flows.ts';
import { yearFraction } from '../daycount.ts';
import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import { rampFactor } from '../scenarios.ts';
import type { Horizon } from './horizon.ts';

/**
 * Interest of a non-maturing deposit balance (one category, one day count, one group) per month of
 * the horizon, accrued in that day count (§1.1: ACT/360, ACT/365, 30/360, ACT/ACT with its leap
 * years), evenly by calendar day over each stretch at one rate. Each portion reprices when it
 * leaves the NMD profile (overnight part the day after as_of, core slices at their run-off dates).
 * Constant balance sheet: from then on it pays its rate plus the scenario change of the currency's
 * overnight zero rate (full pass-through, README "nmd-nii"); runoff: it stops paying. `balance`
 * and `rateBalance` (Σ balance·rate) are signed.
 */
export function nmdInterest(
  plan: NmdPlan,
  slot: number,
  dayCount: number,
  balance: number,
  rateBalance: number,
  markets: readonly ScenarioMarket[],
  scenario: number,
  currency: number,
  horizon: Horizon,
  constant: boolean,
  out: Float64Array,
): void {
  const market = markets[scenario] as ScenarioMarket;
  const core = coreFraction(plan, slot, market.scenario.id);
  const on = 1 / 365;
  const shocked = market.discountCurve[currency]?.zero(on) ?? 0;
  const base = markets[0]?.discountCurve[currency]?.zero(on) ?? 0;
  const change = shocked - base;
  const portionDays: number[] = [1];
  const portionShares: number[] = [1 - core];
  const days = plan.runoffDays[slot];
  const fractions = plan.runoffFractions[slot];
  if (core > 0 && days !== undefined && fractions !== undefined) {
    for (let k = 0; k < days.length && (days[k] as number) < horizon.endOffset; k++) {
      portionDays.push(days[k] as number);
      portionShares.push(core * (fractions[k] as number));
    }
  }
  // accrual fraction per calendar day of each stretch at one rate, in the day count: the whole
  // horizon (the deposit's own rate) and each portion from its repricing day to the horizon end —
  // so the horizon accrues exactly τ(as_of, end) whatever the day count (30/360 month sums would
  // drop February's missing days), spread over the months by calendar days like contract accrual
  const asOf = horizon.asOf;
  const E = horizon.endOffset;
  const perDay = yearFraction(dayCount, asOf, asOf + E) / E;
  const portionPerDay = portionDays.map((d, k) => (portionShares[k] as number) * (E > d ? yearFraction(dayCount, asOf + d, asOf + E) / (E - d) : 0));
  for (let m = 0; m < horizon.months; m++) {
    const lo = horizon.start[m] as number;
    const hi = horizon.start[m + 1] as number;
    const month = perDay * (hi - lo);
    // share-weighted accrual of month m after each portion repriced
    let repriced = 0;
    for (let k = 0; k < portionDays.length; k++) {
      const overlap = hi - Math.max(lo, portionDays[k] as number);
      if (overlap > 0) repriced += (portionPerDay[k] as number) * overlap;
    }
    if (constant) {
      const phi = rampFactor(market.scenario, m + 0.5);
      out[m]! += rateBalance * month + balance * change * phi * repriced;
    } else {
      out[m]! += rateBalance * (month - repriced);
    }
  }
}
