/**
 * Supervisory outlier tests (methodology §6, §7; EU 2024/856) on the reference's book totals.
 */
import type { ScenarioId } from './market.ts';

export interface OutlierVerdict {
  /** the scenario with the lowest Δ among those the test reads, null when none was run */
  worstScenario: string | null;
  worstDelta: number;
  /** −limit × Tier 1; null without Tier 1 (then nothing is flagged) */
  threshold: number | null;
  flagged: boolean;
}

function verdict(values: Record<string, number>, read: readonly string[], limit: number, tier1: number | undefined): OutlierVerdict {
  let worstScenario: string | null = null;
  let worstDelta = 0;
  for (const id of read) {
    const value = values[id];
    if (value === undefined) continue;
    const delta = value - (values['base'] as number);
    if (worstScenario === null || delta < worstDelta) [worstScenario, worstDelta] = [id, delta];
  }
  const threshold = tier1 === undefined ? null : -limit * tier1;
  return { worstScenario, worstDelta, threshold, flagged: threshold !== null && worstDelta < threshold };
}

/** §6: worst ΔEVE over the regulatory scenarios below −15% of Tier 1. */
export function eveOutlierTest(eve: Record<string, number>, scenarios: readonly ScenarioId[], tier1: number | undefined): OutlierVerdict {
  return verdict(eve, scenarios.filter((s) => s !== 'base'), 0.15, tier1);
}

/** §7: ΔNII under parallel up or parallel down below −5% of Tier 1. */
export function niiOutlierTest(nii: Record<string, number>, tier1: number | undefined): OutlierVerdict {
  return verdict(nii, ['parallel_up', 'parallel_down'], 0.05, tier1);
}
