/**
 * The Runs page's view model: the run's result tables and the engine's verdicts, shown as sent.
 * Nothing here recomputes a figure the engine answers (ΔEVE, ΔNII, the cumulative gap, the
 * outlier tests); the only arithmetic is Δ as a share of the run's Tier 1, for display.
 */
import {
  EVE_OUTLIER_LIMIT, NII_OUTLIER_LIMIT, NII_OUTLIER_SCENARIOS, REGULATORY_SCENARIO_IDS,
  type EveTable, type GapTable, type NiiTable, type OutlierTest, type RunSummary,
} from '@almready/contracts';

export type Measure = 'eve' | 'nii';

export interface ScenarioImpact {
  scenario: string;
  value: number;
  delta: number;
  deltaOfTier1: number | null;
}

/** One line per scenario of the `eve` or `nii` result table, in the engine's order. */
export function scenarioImpacts(table: EveTable | NiiTable, tier1: number | null): ScenarioImpact[] {
  const share = tier1 !== null && tier1 > 0 ? tier1 : null;
  return table.rows.map((row) => {
    const [value, delta] = 'eve' in row ? [row.eve, row.delta_eve] : [row.nii, row.delta_nii];
    return { scenario: row.scenario, value, delta, deltaOfTier1: share === null ? null : delta / share };
  });
}

export interface Verdict {
  status: 'outlier' | 'pass' | 'unknown';
  /** the limit as a (negative) share of Tier 1 */
  limit: number;
  worstScenario: string | null;
  /** worst Δ / Tier 1 as the engine computed it; null without Tier 1 */
  ratio: number | null;
  /** what the test counts, when that is not every shock on the page */
  scope: string | null;
}

/**
 * The engine's verdict for one measure. EVE counts the regulatory shocks run (every shock when
 * none of them is); NII counts the parallel shocks only (EU 2024/856), which the page says.
 */
export function verdict(summary: RunSummary, measure: Measure, scenarios: readonly string[]): Verdict {
  const test: OutlierTest = summary.outlierTests[measure];
  const limit = -(measure === 'eve' ? EVE_OUTLIER_LIMIT : NII_OUTLIER_LIMIT);
  const shocks = scenarios.filter((s) => s !== 'base');
  const counted: readonly string[] = measure === 'nii'
    ? NII_OUTLIER_SCENARIOS
    : shocks.some((s) => (REGULATORY_SCENARIO_IDS as readonly string[]).includes(s)) ? REGULATORY_SCENARIO_IDS : shocks;
  const outside = shocks.filter((s) => !counted.includes(s));
  const scope = measure === 'nii'
    ? `EU NII test: counts ${NII_OUTLIER_SCENARIOS.join(' and ')} only${outside.length > 0 ? `, not ${outside.join(', ')}` : ''}`
    : outside.length > 0 ? `EVE test: counts the regulatory shocks only, not ${outside.join(', ')}` : null;
  const status = summary.outlierTests.tier1 === null ? 'unknown' : test.flagged ? 'outlier' : 'pass';
  return { status, limit, worstScenario: test.worst_scenario, ratio: test.ratio, scope };
}

export interface GapPoint { bucket: string; gap: number; cumulative: number }

/** The repricing gap per bucket with the engine's cumulative gap (methodology §8). */
export function gapPoints(table: GapTable): GapPoint[] {
  return table.rows.map((row) => ({ bucket: row.bucket, gap: row.gap, cumulative: row.cumulative_gap }));
}

/** A result table as the API sends it (the long-format breakdowns and the NII profile). */
export interface LongTable { columns: { name: string; type: string }[]; rows: Record<string, string | number | boolean | null>[] }

/**
 * The currency every total of the run is stated in. One currency: its code. Several: the engine
 * adds their amounts without FX conversion, and the page says so next to each total.
 */
export function totalsCurrency(currencies: readonly string[] | undefined): { label: string; mixed: boolean } {
  if (!currencies || currencies.length === 0) return { label: 'currency not recorded for this run', mixed: false };
  if (currencies.length === 1) return { label: currencies[0] as string, mixed: false };
  return { label: `${currencies.join(' + ')}, summed without FX conversion`, mixed: true };
}

export interface CurrencyLine { currency: string; base: number; deltas: Record<string, number> }

/** EVE or NII per currency: the base value and each scenario's Δ, as the by-currency table sends them. */
export function currencyLines(table: LongTable, measure: Measure): CurrencyLine[] {
  const delta = measure === 'eve' ? 'delta_eve' : 'delta_nii';
  const lines = new Map<string, CurrencyLine>();
  for (const row of table.rows) {
    const currency = String(row.currency);
    const line = lines.get(currency) ?? { currency, base: 0, deltas: {} };
    if (row.scenario === 'base') line.base = row[measure] as number;
    else line.deltas[String(row.scenario)] = row[delta] as number;
    lines.set(currency, line);
  }
  return [...lines.values()];
}

/** The NII monthly profile pivoted for a line chart: one point per month, one key per scenario. */
export function niiProfilePoints(table: LongTable): { points: Record<string, number>[]; scenarios: string[] } {
  const byMonth = new Map<number, Record<string, number>>();
  const scenarios: string[] = [];
  for (const row of table.rows) {
    const month = row.month as number;
    const scenario = String(row.scenario);
    if (!scenarios.includes(scenario)) scenarios.push(scenario);
    const point = byMonth.get(month) ?? { month };
    point[scenario] = row.nii as number;
    byMonth.set(month, point);
  }
  return { points: [...byMonth.values()].sort((a, b) => (a.month as number) - (b.month as number)), scenarios };
}
