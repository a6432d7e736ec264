import { FLOATING, NON_MATURING } from './cashflows/generate.ts';
import { reorderPositions } from './locality.ts';
import { NO_DATE, type PositionColumns, type ScheduleColumns } from './positions.ts';
import { DEFAULTS, paymentMonths } from './settings.ts';

/**
 * Splitting one book over threads (partition.ts) by estimated WORK, not by position count: bank
 * extracts are usually sorted by product, and a 30-year floating mortgage costs the EVE pass ~10×
 * a term deposit and ~1000× a current account, so equal counts leave one thread idle for most of
 * the pass. One cheap pass over a few columns estimates each position's cost; the cut points
 * divide the running sum evenly.
 */

export interface WorkOptions {
  /** which pass the estimate is for ('run' = EVE full + NII, what analysePartial does); default 'run' */
  pass?: 'eve' | 'nii' | 'run';
  /** scenario count including base (default 7): floating contracts are projected once per scenario */
  scenarios?: number;
  /** NII horizon (default 12): only payments inside it are projected */
  horizonMonths?: number;
}

// Behavioural contracts are summed per behaviour variant (×0.8, ×1, ×1.2: cashflows/variants.ts).
const VARIANTS = 3;
const DAYS_PER_MONTH = 30.44;

/**
 * Estimated cost of position i in microseconds of one core, fitted on the 1M synthetic book sorted
 * by product (the order where a count split goes wrong; only the ratios matter for a cut).
 * EVE full ≈ 1.0 + 0.013 per (remaining payment × lane), lanes = scenarios for floating contracts,
 * behaviour variants for fixed ones with CPR/TDRR, else 1. NII ≈ 0.6 + 0.065 per (payment inside
 * the horizon × lane). Non-maturing deposits and matured contracts are summed by group or skipped:
 * ~0.01. The per-lane terms come from each product timed alone; the bases from where whole passes
 * over [0, c) and [c, n) cost the same (EVE c ≈ 194–198k, NII c ≈ 224k of 1M, each side's share
 * measured to ±0.05; a count split at 500k leaves 0.87–0.91 of the EVE work on one side) — in a
 * pass over the whole book every contract costs more than alone (family schedules and sum rows
 * out of cache).
 */
export function positionWork(p: PositionColumns, asOf: number, i: number, options: WorkOptions = {}): number {
  const pass = options.pass ?? 'run';
  const amortization = p.amortization[i] as number;
  const maturity = p.maturityDate[i] as number;
  if (amortization === NON_MATURING || maturity === NO_DATE || maturity <= asOf) return pass === 'run' ? 0.02 : 0.01;
  const frequency = paymentMonths(amortization, p.paymentFrequencyMonths[i] as number);
  const months = (maturity - asOf) / DAYS_PER_MONTH;
  const payments = Math.ceil(months / frequency);
  const floating = p.rateType[i] === FLOATING;
  const behaves = ((p.side[i] as number) > 0 ? (p.cpr[i] as number) : (p.tdrr[i] as number)) > 0;
  const lanes = floating ? (options.scenarios ?? 7) : behaves ? VARIANTS : 1;
  let work = 0;
  if (pass !== 'nii') work += 1.0 + 0.013 * payments * lanes;
  if (pass !== 'eve') work += 0.6 + 0.065 * Math.min(payments, Math.ceil((options.horizonMonths ?? DEFAULTS.niiHorizonMonths) / frequency)) * lanes;
  return work;
}

/**
 * Boundaries [0, c1, …, n] (length parts + 1, non-decreasing) of `parts` contiguous ranges with
 * about equal estimated work (positionWork): part k is [cuts[k], cuts[k+1]). A position goes to the
 * part where the midpoint of its work falls. One pass over the positions (~25 ms at 1,000,000).
 */
export function balancedCut(p: PositionColumns, asOf: number, parts: number, options: WorkOptions = {}): number[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be a whole number ≥ 1, got ${parts}`);
  const n = p.length;
  // running work at each position's midpoint: non-decreasing, so every cut is a binary search
  const midpoints = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const work = positionWork(p, asOf, i, options);
    midpoints[i] = total + work / 2;
    total += work;
  }
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    const target = (total * k) / parts;
    let lo = cuts[k - 1] as number;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((midpoints[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    cuts.push(lo);
  }
  cuts.push(n);
  return cuts;
}

/** Estimated work of each part given by balancedCut-style boundaries. */
export function workOfParts(p: PositionColumns, asOf: number, cuts: readonly number[], options: WorkOptions = {}): number[] {
  const sums: number[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    let sum = 0;
    for (let i = cuts[k] as number; i < (cuts[k + 1] as number); i++) sum += positionWork(p, asOf, i, options);
    sums.push(sum);
  }
  return sums;
}

/**
 * The book in another order: position k of the result is position order[k] of `p`; schedule rows
 * follow their positions (locality.ts reorderPositions, ids kept). For tests and benchmarks of
 * ordered books; throws when order is not a permutation of 0..n−1.
 */
export function reorderBook(p: PositionColumns, s: ScheduleColumns, order: ArrayLike<number>): { positions: PositionColumns; schedules: ScheduleColumns } {
  const n = p.length;
  if (order.length !== n) throw new RangeError(`order has ${order.length} entries for ${n} positions`);
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const from = order[k] as number;
    if (!(Number.isInteger(from) && from >= 0 && from < n) || seen[from] === 1) throw new RangeError(`order is not a permutation of 0..${n - 1} (entry ${k}: ${from})`);
    seen[from] = 1;
  }
  const book = reorderPositions(p, s, Int32Array.from(order));
  return { positions: book.positions, schedules: book.schedules as ScheduleColumns };
}
