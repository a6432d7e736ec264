/**
 * A quant's shock function lives in the sandbox, the engine on the host: the sandbox samples the
 * function at every time the engine evaluates a shock, and the host rebuilds an engine
 * ShockFunction from the samples. At those times it returns the cell's own values exactly, so a
 * rebuilt built-in scenario gives the engine's own answer; between them it is linear (flat outside).
 */
import { BUCKET_MIDPOINTS, interpolateLinearFlat, type ShockFunction } from '@almready/engine';

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
