/**
 * Turns the run's EVE / NII result tables into one line per scenario with Δ against base and
 * Δ as a share of Tier 1, plus the supervisory outlier tests (methodology §6, §7):
 * EVE flags when the worst ΔEVE < −15% of Tier 1; NII when ΔNII under parallel up or down < −5%.
 * Column names are read loosely (`eve` / `value`, `delta_eve` / `delta`), since a table may come
 * per currency: the lines are summed per scenario.
 */
import type { TableResult } from '../api/types.ts';

export interface ScenarioImpact {
  scenario: string;
  value: number;
  delta: number;
  deltaOfTier1: number | null;
}

export type Measure = 'eve' | 'nii';

export const EVE_OUTLIER_SHARE = -0.15;
export const NII_OUTLIER_SHARE = -0.05;

function numberOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function pickColumn(names: string[], candidates: string[]): string | null {
  for (const candidate of candidates) {
    const found = names.find((n) => n.toLowerCase() === candidate);
    if (found) return found;
  }
  return null;
}

export function scenarioImpacts(table: TableResult, measure: Measure, tier1: number | null): ScenarioImpact[] {
  const names = table.columns.map((c) => c.name);
  const scenarioCol = pickColumn(names, ['scenario', 'scenario_id']);
  const valueCol = pickColumn(names, [measure, `${measure}_value`, 'value', 'amount']);
  const deltaCol = pickColumn(names, [`delta_${measure}`, `${measure}_delta`, 'delta']);
  if (!scenarioCol || !valueCol) return [];

  const order: string[] = [];
  const sums = new Map<string, { value: number; delta: number | null }>();
  for (const row of table.rows) {
    const scenario = String(row[scenarioCol]);
    const value = numberOf(row[valueCol]) ?? 0;
    const delta = deltaCol ? numberOf(row[deltaCol]) : null;
    const current = sums.get(scenario);
    if (!current) {
      order.push(scenario);
      sums.set(scenario, { value, delta });
    } else {
      current.value += value;
      current.delta = current.delta === null || delta === null ? null : current.delta + delta;
    }
  }
  const base = sums.get('base')?.value ?? null;
  const useTier1 = tier1 !== null && tier1 > 0 ? tier1 : null;
  return order.map((scenario) => {
    const entry = sums.get(scenario)!;
    const delta = entry.delta ?? (base === null ? 0 : entry.value - base);
    return { scenario, value: entry.value, delta, deltaOfTier1: useTier1 === null ? null : delta / useTier1 };
  });
}

export interface OutlierVerdict {
  status: 'outlier' | 'pass' | 'unknown';
  worst: ScenarioImpact | null;
  threshold: number;
}

/** EVE: every shocked scenario counts. NII: only the parallel shocks do. */
export function outlierVerdict(impacts: ScenarioImpact[], measure: Measure): OutlierVerdict {
  const threshold = measure === 'eve' ? EVE_OUTLIER_SHARE : NII_OUTLIER_SHARE;
  const tested = impacts.filter((i) => i.scenario !== 'base' && (measure === 'eve' || i.scenario === 'parallel_up' || i.scenario === 'parallel_down'));
  if (tested.length === 0) return { status: 'unknown', worst: null, threshold };
  const worst = tested.reduce((a, b) => (b.delta < a.delta ? b : a));
  if (worst.deltaOfTier1 === null) return { status: 'unknown', worst, threshold };
  return { status: worst.deltaOfTier1 < threshold ? 'outlier' : 'pass', worst, threshold };
}
