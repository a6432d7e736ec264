/**
 * Behavioural assumptions for the reference engine (methodology §5): prepayment and early
 * redemption rates per scenario, and the split of a non-maturing balance into an overnight part
 * and a core run-off.
 */
import type { NmdAssumption } from '../behaviour.ts';
import { addMonths } from './calendar.ts';
import type { ScenarioId } from './market.ts';
import type { Contract } from './position.ts';

/**
 * §5: CPR ×0.8 in parallel up, steepener, short up; ×1.2 in parallel down, flattener, short down.
 * TDRR ×1.2 in parallel up, flattener, short up; ×0.8 in parallel down, steepener, short down.
 * Both capped at 1. CPR applies to loans (assets), TDRR to term deposits (liabilities).
 */
export function scenarioBehaviourRate(c: Contract, scenario: ScenarioId): number {
  const cpr: Record<ScenarioId, number> = { base: 1, parallel_up: 0.8, steepener: 0.8, short_up: 0.8, parallel_down: 1.2, flattener: 1.2, short_down: 1.2 };
  const tdrr: Record<ScenarioId, number> = { base: 1, parallel_up: 1.2, flattener: 1.2, short_up: 1.2, parallel_down: 0.8, steepener: 0.8, short_down: 0.8 };
  const multiplier = c.sign > 0 ? cpr[scenario] : tdrr[scenario];
  return Math.min(1, c.behaviourRate * multiplier);
}

/** §3: monthly SMM = 1 − (1 − CPR)^(1/12). */
export function singleMonthlyMortality(annual: number): number {
  return 1 - Math.pow(1 - annual, 1 / 12);
}

/**
 * Survival of a payment period under a monthly SMM, settled at its payment date (engine
 * convention "prepayment-timing"): (1 − SMM)^f for a period of f months; the first remaining
 * period [start, date] counts only the share of it left after as_of, f·(date − max(start, as_of))/(date − start).
 */
export function periodSurvival(smm: number, paymentMonths: number, start: number, date: number, asOf: number, first: boolean): number {
  const months = first ? (paymentMonths * (date - Math.max(start, asOf))) / (date - start) : paymentMonths;
  return Math.pow(1 - smm, months);
}

/** A share of a non-maturing balance leaving (repricing) on a date. */
export interface NmdPortion {
  date: number;
  share: number;
}

/**
 * §5: stable share × core share of the stable part runs off on the core profile; the rest
 * (non-stable, non-core) goes overnight — the day after as_of. Without an assumption for the
 * category everything goes overnight (the conservative reading, with a warning in the engine).
 * The core run-off is the engine's linear profile (market conventions "nmd-runoff"): equal
 * monthly slices at the end of each month whose end-of-month average is the average maturity.
 */
export function nmdPortions(c: Contract, assumptions: readonly NmdAssumption[] | undefined, scenario: ScenarioId, asOf: number): NmdPortion[] {
  const a = assumptions?.find((x) => x.category === c.nmdCategory);
  const core = a === undefined ? 0 : a.stableShare * (a.coreShareByScenario?.[scenario] ?? a.coreShare);
  const portions: NmdPortion[] = [{ date: asOf + 1, share: 1 - core }];
  if (a === undefined || core === 0) return portions;
  linearRunoff(a.averageMaturityYears * 12).forEach((fraction, k) => portions.push({ date: addMonths(asOf, k + 1, false), share: core * fraction }));
  return portions;
}

/**
 * Fractions of the core balance repaid at the end of months 1, 2, …: T equal slices with a
 * partial last slice so that Σ fraction·month = M months exactly (M ≤ 1: all in month 1).
 */
function linearRunoff(averageMonths: number): number[] {
  if (averageMonths <= 1) return [1];
  // n whole slices of weight 1/T and a slice r/T in month n + 1, T = n + r, with
  // [n(n + 1)/2 + (n + 1)·r]/T = M
  const n = Math.floor(2 * averageMonths - 1 + 1e-9);
  const r = Math.max(0, (n * (averageMonths - (n + 1) / 2)) / (n + 1 - averageMonths));
  const slices = Array.from({ length: n }, () => 1 / (n + r));
  if (r > 1e-12) slices.push(r / (n + r));
  return slices;
}
