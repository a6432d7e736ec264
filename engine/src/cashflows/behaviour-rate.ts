import { applyMultiplier } from '../behaviour.ts';
import { addMonths } from '../dates.ts';
import { NO_DATE, type PositionColumns } from '../positions.ts';
import type { ScenarioMarket } from './scenario-market.ts';

/**
 * Annual behavioural rate of position i in a scenario (§5): CPR for loans (assets), TDRR for term
 * deposits (liabilities), times the scenario multiplier, capped at 1. No rate given → 0.
 */
export function behaviourRate(p: PositionColumns, i: number, market: Pick<ScenarioMarket, 'cprMultiplier' | 'tdrrMultiplier'>): number {
  const asset = (p.side[i] as number) > 0;
  const annual = asset ? (p.cpr[i] as number) : (p.tdrr[i] as number);
  if (!(annual > 0)) return 0;
  return applyMultiplier(annual, asset ? market.cprMultiplier : market.tdrrMultiplier);
}

/**
 * Days from asOf that day-indexed grids must cover: the last maturity, one reset period beyond it
 * (the last floating fixing looks that far) and the longest NMD run-off.
 */
export function flowSpanDays(p: PositionColumns, asOf: number, nmdMonths: number): number {
  let last = asOf;
  let resetMonths = 0;
  for (let i = 0; i < p.length; i++) {
    const m = p.maturityDate[i] as number;
    if (m !== NO_DATE && m > last) last = m;
    const r = p.resetFrequencyMonths[i] as number;
    if (r > resetMonths) resetMonths = r;
  }
  const beyond = addMonths(last, Math.max(resetMonths, 1) + 1, false);
  const nmd = addMonths(asOf, nmdMonths + 1, false);
  return Math.max(beyond, nmd) - asOf + 2;
}
