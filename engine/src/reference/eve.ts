/**
 * EVE of one contract (methodology §6): the full method discounts every flow on its own date;
 * the standardised method slots flows into the 19 buckets and discounts at the bucket midpoints.
 */
import { yearsFrom } from './calendar.ts';
import type { Flow } from './cashflows.ts';
import type { NmdPortion } from './behaviour.ts';
import { discountFactor, shockedZero, type Curve, type FloorSetting, type ScenarioId } from './market.ts';

/** §6 bucket midpoints in years, used exactly as these decimals. */
export const BUCKET_MIDPOINTS = [0.0028, 0.0417, 0.1667, 0.375, 0.625, 0.875, 1.25, 1.75, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 12.5, 17.5, 25];
/** §6 upper bounds (inclusive): O/N, 1M, 3M, 6M, 9M, 1Y, 1.5Y, 2Y, 3Y … 10Y, 15Y, 20Y, then open. */
const BUCKET_UPPER = [1 / 365, 1 / 12, 3 / 12, 6 / 12, 9 / 12, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, Number.POSITIVE_INFINITY];

/** §6: the bucket of a time t in years, upper bounds inclusive (1e-12 absorbs 365/365 rounding). */
export function bucketOf(t: number): number {
  let k = 0;
  while (k < BUCKET_UPPER.length - 1 && t > (BUCKET_UPPER[k] as number) + 1e-12) k++;
  return k;
}

export interface Market {
  asOf: number;
  scenario: ScenarioId;
  floor: FloorSetting;
  discount: Curve;
}

/** §6 full: EVE = Σ sign·CF·DF over all flows, CF = interest + principal. */
export function eveFull(sign: number, flows: readonly Flow[], m: Market): number {
  return flows.reduce((pv, f) => pv + sign * (f.interest + f.principal) * discountFactor(m.discount, m.scenario, m.floor, yearsFrom(m.asOf, f.date)), 0);
}

/** §5/§6: a non-maturing balance's flows are its portions, principal only (engine convention "nmd-interest"). */
export function nmdEveFull(sign: number, notional: number, portions: readonly NmdPortion[], m: Market): number {
  return portions.reduce((pv, p) => pv + sign * notional * p.share * discountFactor(m.discount, m.scenario, m.floor, yearsFrom(m.asOf, p.date)), 0);
}

/** §6 standardised: signed amounts by bucket, each bucket discounted at exp(−R(t_k)·t_k). */
export function eveStandardised(amounts: readonly { date: number; amount: number }[], m: Market): number {
  const byBucket = new Array<number>(BUCKET_MIDPOINTS.length).fill(0);
  for (const a of amounts) byBucket[bucketOf(yearsFrom(m.asOf, a.date))]! += a.amount;
  return byBucket.reduce((pv, cf, k) => {
    const t = BUCKET_MIDPOINTS[k] as number;
    return pv + cf * Math.exp(-shockedZero(m.discount, m.scenario, m.floor, t) * t);
  }, 0);
}
