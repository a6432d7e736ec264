import { breakdownBy, type BreakdownRow, type Dimension } from '../breakdown.ts';

export interface ScenarioValue {
  value: number;
  delta: number;
}

export interface EveSummary {
  base: number;
  /** per scenario: EVE, ΔEVE = EVE_s − EVE_base, and the BCBS loss Σ_ccy max(0, −ΔEVE_ccy) */
  scenarios: Record<string, ScenarioValue & { loss: number }>;
  /** scenario with the most negative ΔEVE (null when only base was run) */
  worst: { scenario: string | null; delta: number };
  /** largest BCBS loss figure over the scenarios (§6) */
  loss: number;
  by_currency: BreakdownRow[];
  breakdown: Record<string, BreakdownRow[]>;
}

/** values[s][g]: EVE of base-dimension group g in scenario s (scenario 0 = base). */
export function eveSummary(ids: readonly string[], values: readonly Float64Array[], base: Dimension, breakdown: Record<string, BreakdownRow[]>): EveSummary {
  const byCurrency = breakdownBy(base, 'currency', ids, values);
  const total = (s: number): number => (values[s] ?? new Float64Array(0)).reduce((a, b) => a + b, 0);
  const baseValue = total(0);
  const scenarios: EveSummary['scenarios'] = {};
  let worst: EveSummary['worst'] = { scenario: null, delta: 0 };
  let loss = 0;
  for (let s = 1; s < ids.length; s++) {
    const id = ids[s] as string;
    const value = total(s);
    const delta = value - baseValue;
    const scenarioLoss = byCurrency.reduce((sum, row) => sum + Math.max(0, -(row.scenarios[id]?.delta ?? 0)), 0);
    scenarios[id] = { value, delta, loss: scenarioLoss };
    if (worst.scenario === null || delta < worst.delta) worst = { scenario: id, delta };
    loss = Math.max(loss, scenarioLoss);
  }
  return { base: baseValue, scenarios, worst, loss, by_currency: byCurrency, breakdown };
}
