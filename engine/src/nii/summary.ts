import { breakdownBy, type BreakdownRow, type Dimension } from '../breakdown.ts';

export interface NiiSummary {
  base: number;
  horizon_months: number;
  scenarios: Record<string, { value: number; delta: number }>;
  worst: { scenario: string | null; delta: number };
  /** month 1..H: NII of that month in base and each scenario */
  profile: { month: number; base: number; scenarios: Record<string, number> }[];
  by_currency: BreakdownRow[];
  breakdown: Record<string, BreakdownRow[]>;
}

export function niiSummary(
  ids: readonly string[],
  horizonMonths: number,
  values: readonly Float64Array[],
  base: Dimension,
  breakdown: Record<string, BreakdownRow[]>,
  profile: readonly Float64Array[],
): NiiSummary {
  const total = (s: number): number => (values[s] ?? new Float64Array(0)).reduce((a, b) => a + b, 0);
  const baseValue = total(0);
  const scenarios: NiiSummary['scenarios'] = {};
  let worst: NiiSummary['worst'] = { scenario: null, delta: 0 };
  for (let s = 1; s < ids.length; s++) {
    const id = ids[s] as string;
    const value = total(s);
    scenarios[id] = { value, delta: value - baseValue };
    if (worst.scenario === null || value - baseValue < worst.delta) worst = { scenario: id, delta: value - baseValue };
  }
  const months = Array.from({ length: horizonMonths }, (_, m) => {
    const byScenario: Record<string, number> = {};
    for (let s = 1; s < ids.length; s++) byScenario[ids[s] as string] = profile[s]?.[m] ?? 0;
    return { month: m + 1, base: profile[0]?.[m] ?? 0, scenarios: byScenario };
  });
  return {
    base: baseValue,
    horizon_months: horizonMonths,
    scenarios,
    worst,
    profile: months,
    by_currency: breakdownBy(base, 'currency', ids, values),
    breakdown,
  };
}
