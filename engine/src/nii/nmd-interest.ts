import { coreFraction, type NmdPlan } from '../cashflows/nmd-flows.ts';
import { yearFraction } from '../daycount.ts';
import type { ScenarioMarket } from '../cashflows/scenario-market.ts';
import { rampFactor } from '../scenarios.ts';
import type { Horizon } from './horizon.ts';

/**
 * Interest of a non-maturing deposit balance (one category, one day count, one group) per month of
 * the horizon, accrued in that day count (§1.1: ACT/360, ACT/365, 30/360, ACT/ACT with its leap
 * years). Each portion reprices when it leaves the NMD profile (overnight part the day after
 * as_of, core slices at their run-off dates). Constant balance sheet: from then on it pays its rate
 * plus the scenario change of the currency's overnight zero rate (full pass-through, README
 * "nmd-nii"); runoff: it stops paying. `balance` and `rateBalance` (Σ balance·rate) are signed.
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
  const asOf = horizon.asOf;
  for (let m = 0; m < horizon.months; m++) {
    const lo = horizon.start[m] as number;
    const hi = horizon.start[m + 1] as number;
    const month = yearFraction(dayCount, asOf + lo, asOf + hi);
    // share-weighted accrual fraction of month m after each portion repriced
    let repriced = 0;
    for (let k = 0; k < portionDays.length; k++) {
      const from = Math.max(lo, portionDays[k] as number);
      if (hi > from) repriced += (portionShares[k] as number) * yearFraction(dayCount, asOf + from, asOf + hi);
    }
    if (constant) {
      const phi = rampFactor(market.scenario, m + 0.5);
      out[m]! += rateBalance * month + balance * change * phi * repriced;
    } else {
      out[m]! += rateBalance * (month - repriced);
    }
  }
}
