import type { NiiSummary } from '../nii/summary.ts';
import type { EveSummary } from './summary.ts';

export interface OutlierTest {
  /** the limit as an amount (−15% or −5% of Tier 1), null without Tier 1 */
  threshold: number | null;
  worst_scenario: string | null;
  worst_delta: number;
  /** worst delta / Tier 1, null without Tier 1 */
  ratio: number | null;
  flagged: boolean;
}

export interface OutlierTests {
  tier1: number | null;
  eve: OutlierTest;
  nii: OutlierTest;
}

export const EVE_OUTLIER_LIMIT = 0.15;
export const NII_OUTLIER_LIMIT = 0.05;
/** The NII test (EU 2024/856) counts the parallel shocks only, whatever else a run holds. */
export const NII_OUTLIER_SCENARIOS = ['parallel_up', 'parallel_down'] as const;

function test(tier1: number | undefined, limit: number, worst: { scenario: string | null; delta: number }): OutlierTest {
  if (tier1 === undefined) return { threshold: null, worst_scenario: worst.scenario, worst_delta: worst.delta, ratio: null, flagged: false };
  const threshold = -limit * tier1;
  return { threshold, worst_scenario: worst.scenario, worst_delta: worst.delta, ratio: worst.delta / tier1, flagged: worst.delta < threshold };
}

/**
 * Supervisory outlier tests (EU 2024/856, methodology §6–§7): EVE flags when the worst ΔEVE over the
 * six regulatory scenarios run (all scenarios when none is) is below −15% of Tier 1; NII flags when
 * ΔNII under parallel up or down is below −5% of Tier 1.
 */
export function outlierTests(tier1: number | undefined, eve: EveSummary, nii: NiiSummary, regulatoryIds: readonly string[]): OutlierTests {
  const eveIds = regulatoryIds.length > 0 ? regulatoryIds : Object.keys(eve.scenarios);
  let eveWorst: { scenario: string | null; delta: number } = { scenario: null, delta: 0 };
  for (const id of eveIds) {
    const delta = eve.scenarios[id]?.delta;
    if (delta !== undefined && (eveWorst.scenario === null || delta < eveWorst.delta)) eveWorst = { scenario: id, delta };
  }
  let niiWorst: { scenario: string | null; delta: number } = { scenario: null, delta: 0 };
  for (const id of NII_OUTLIER_SCENARIOS) {
    const delta = nii.scenarios[id]?.delta;
    if (delta !== undefined && (niiWorst.scenario === null || delta < niiWorst.delta)) niiWorst = { scenario: id, delta };
  }
  return { tier1: tier1 ?? null, eve: test(tier1, EVE_OUTLIER_LIMIT, eveWorst), nii: test(tier1, NII_OUTLIER_LIMIT, niiWorst) };
}
