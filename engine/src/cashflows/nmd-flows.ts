import { nmdCoreFraction, nmdCoreRunoff, type NmdAssumption, type NmdRunoffProfile } from '../behaviour.ts';
import { addMonths } from '../dates.ts';
import { NMD_CATEGORIES } from '../positions.ts';

/**
 * Non-maturing deposits (methodology §5), projected per category rather than per contract:
 * the balance splits into an overnight part (non-stable and non-core) repaid the day after as_of
 * and a core part repaid on the run-off profile. NMD flows carry principal only (README "nmd-interest").
 * Slot 0 holds positions without a usable category; slots 1..3 follow NMD_CATEGORIES.
 */
export interface NmdPlan {
  assumption: (NmdAssumption | undefined)[];
  /** run-off days (from as_of) and fractions of the core balance per slot */
  runoffDays: (Int32Array | undefined)[];
  runoffMonths: (Int32Array | undefined)[];
  runoffFractions: (Float64Array | undefined)[];
  maxMonths: number;
}

export const NMD_SLOTS = NMD_CATEGORIES.length + 1;

export function nmdPlan(asOf: number, assumptions: readonly NmdAssumption[] | undefined, profile: NmdRunoffProfile = 'linear'): NmdPlan {
  const plan: NmdPlan = {
    assumption: new Array(NMD_SLOTS).fill(undefined),
    runoffDays: new Array(NMD_SLOTS).fill(undefined),
    runoffMonths: new Array(NMD_SLOTS).fill(undefined),
    runoffFractions: new Array(NMD_SLOTS).fill(undefined),
    maxMonths: 0,
  };
  for (const a of assumptions ?? []) {
    const slot = NMD_CATEGORIES.indexOf(a.category) + 1;
    if (slot <= 0) continue;
    const runoff = nmdCoreRunoff(a.averageMaturityYears, profile);
    plan.assumption[slot] = a;
    plan.runoffMonths[slot] = runoff.months;
    plan.runoffFractions[slot] = runoff.fractions;
    plan.runoffDays[slot] = Int32Array.from(runoff.months, (m) => addMonths(asOf, m, false) - asOf);
    plan.maxMonths = Math.max(plan.maxMonths, runoff.months[runoff.months.length - 1] ?? 0);
  }
  return plan;
}

/** Slot of a position's nmd_category (−1 → 0). */
export function nmdSlot(category: number): number {
  return category < 0 ? 0 : category + 1;
}

/** Core share of the balance in a scenario; 0 (all overnight) without an assumption. */
export function coreFraction(plan: NmdPlan, slot: number, scenarioId: string): number {
  const a = plan.assumption[slot];
  return a === undefined ? 0 : nmdCoreFraction(a, scenarioId);
}

/**
 * Calls emit(dayOffset, amount) for a balance of one category in one scenario: the overnight part at
 * day offset 1, core slices at the end of each run-off month.
 */
export function nmdFlows(plan: NmdPlan, slot: number, balance: number, scenarioId: string, emit: (dayOffset: number, amount: number) => void): void {
  const core = coreFraction(plan, slot, scenarioId);
  emit(1, balance * (1 - core));
  const days = plan.runoffDays[slot];
  const fractions = plan.runoffFractions[slot];
  if (core === 0 || days === undefined || fractions === undefined) return;
  for (let k = 0; k < days.length; k++) emit(days[k] as number, balance * core * (fractions[k] as number));
}
