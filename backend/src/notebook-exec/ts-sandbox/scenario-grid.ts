/**
 * A quant's shock function lives in the sandbox, the engine on the host: the sandbox samples the
 * function at every time the engine evaluates a shock, and the host rebuilds an engine
 * ShockFunction from the samples. At those times it returns the cell's own values exactly, so a
 * rebuilt built-in scenario gives the engine's own answer; between them it is linear (flat outside).
 */
import { BUCKET_MIDPOINTS, interpolateLinearFlat, type BehaviourId, type ShockFunction } from '@almready/engine';

/** Renewal pricing reads the curve at whole-month terms up to 100 years (nii/renewal-rates.ts). */
const RENEWAL_TERM_MONTHS = 1200;

/**
 * Where the engine reads shocked curves (methodology §2, §6, §7): every day offset d/365 up to the
 * flow horizon (discount and projection grids), the 19 bucket midpoints (standardised EVE), whole
 * months m/12 (renewal terms) and one day (NMD overnight rate). Sorted, without duplicates.
 */
export function engineShockTimes(horizonDays: number): number[] {
  const times = new Set<number>();
  for (let d = 0; d <= horizonDays; d++) times.add(d / 365);
  for (const t of BUCKET_MIDPOINTS) times.add(t);
  for (let m = 1; m <= RENEWAL_TERM_MONTHS; m++) times.add(m / 12);
  times.add(1 / 365);
  return [...times].sort((a, b) => a - b);
}

/** The samples as a ShockFunction: exact at the sampled times, linear between, flat outside. */
export function sampledShock(times: readonly number[], shifts: readonly number[]): ShockFunction {
  if (times.length === 0 || times.length !== shifts.length) throw new RangeError('a sampled shock needs one shift per time, at least one');
  for (let i = 1; i < times.length; i++) {
    if (!((times[i] as number) > (times[i - 1] as number))) throw new RangeError('sampled shock times must increase strictly');
  }
  // the engine's own linear interpolation, flat outside (curve.ts): exact at the sampled times
  const at = Float64Array.from(times);
  const values = Float64Array.from(shifts);
  return (t) => interpolateLinearFlat(at, values, t);
}

/** The short and the long end a custom shock's behaviour is read at: overnight and the last bucket's midpoint (25 years). */
export const SHORT_END_YEARS = 1 / 365;
export const LONG_END_YEARS = BUCKET_MIDPOINTS[BUCKET_MIDPOINTS.length - 1] as number;
/** A shift smaller than this (decimal, 1e-8 bp) counts as no move. */
const NO_MOVE = 1e-12;

/**
 * The behaviour (§5) a regulator expects of a custom shock, from the direction it moves the short
 * and the long end (summed over the currencies it was sampled for): the regulatory multipliers
 * follow those two ends — prepayment (CPR) falls when long rates rise, term-deposit redemption
 * (TDRR) rises when short rates rise — so both ends up is parallel_up's behaviour (×0.8 CPR, ×1.2
 * TDRR; short_up's is the same), both down parallel_down's, short down and long up the steepener's,
 * short up and long down the flattener's; an end that does not move takes the other's direction;
 * a shock that moves neither is neutral.
 */
export function derivedBehaviour(times: readonly number[], shifts: Readonly<Record<string, readonly number[]>>): BehaviourId {
  let short = 0;
  let long = 0;
  for (const values of Object.values(shifts)) {
    const shock = sampledShock(times, values);
    short += shock(SHORT_END_YEARS);
    long += shock(LONG_END_YEARS);
  }
  const s = Math.abs(short) < NO_MOVE ? 0 : Math.sign(short);
  const l = Math.abs(long) < NO_MOVE ? 0 : Math.sign(long);
  if (s === 0 && l === 0) return 'neutral';
  if (s >= 0 && l >= 0) return 'parallel_up';
  if (s <= 0 && l <= 0) return 'parallel_down';
  return s < 0 ? 'steepener' : 'flattener';
}
