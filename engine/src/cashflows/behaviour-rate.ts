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
 * Days from asOf that day-indexed grids (discount and projection factors, reset rolls) must
 * cover: the last maturity and one reset period beyond it (the last fixing looks that far), the
 * longest NMD run-off, and the NII horizon plus one renewal period beyond it — a floating contract
 * repaid inside the horizon renews at forwards over periods of its reset (else payment) frequency
 * that run past the horizon end (§7), however short the contract itself. A read past the grid would
 * give NaN; analyse() fails a run in which any figure is not a number (invariants.ts).
 * niiHorizonMonths 0: no NII on these grids (the repricing gap).
 */
export function flowSpanDays(p: PositionColumns, asOf: number, nmdMonths: number, niiHorizonMonths: number): number {
  let last = asOf;
  let resetMonths = 0;
  let renewalMonths = 1;
  for (let i = 0; i < p.length; i++) {
    const m = p.maturityDate[i] as number;
    if (m !== NO_DATE && m > last) last = m;
    const r = p.resetFrequencyMonths[i] as number;
    if (r > resetMonths) resetMonths = r;
    // a floating renewal's period (nii/floating-nii.ts): the reset frequency, else the payment one
    const renewal = p.rateType[i] === 1 ? r || (p.paymentFrequencyMonths[i] as number) : 0;
    if (renewal > renewalMonths) renewalMonths = renewal;
  }
  const beyond = addMonths(last, Math.max(resetMonths, 1) + 1, false);
  const nmd = addMonths(asOf, nmdMonths + 1, false);
  const renewals = niiHorizonMonths > 0 ? addMonths(asOf, niiHorizonMonths + renewalMonths + 1, false) : asOf;
  return Math.max(beyond, nmd, renewals) - asOf + 2;
}
