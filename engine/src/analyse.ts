import { attributeDimension, baseDimension, breakdownBy, toRow, type BreakdownRow, type Dimension } from './breakdown.ts';
import { BUCKET_COUNT, BUCKET_LABELS } from './buckets.ts';
import { flowSpanDays } from './cashflows/behaviour-rate.ts';
import { nmdPlan, nmdSlot } from './cashflows/nmd-flows.ts';
import { buildScenarioMarkets } from './cashflows/scenario-market.ts';
import { indexSchedules } from './cashflows/schedule-index.ts';
import { ScheduleCache } from './cashflows/schedule-cache.ts';
import type { CurveSet } from './curve-set.ts';
import { evePass } from './eve/eve-pass.ts';
import { repricingGap, type GapRow } from './gap.ts';
import { niiPass } from './nii/nii-pass.ts';
import { NMD_CATEGORIES, type PositionColumns, type ScheduleColumns } from './positions.ts';
import { REGULATORY_SCENARIO_IDS } from './scenarios.ts';
import { resolveSettings, type AnalysisSettings } from './settings.ts';
import { outlierTests, type OutlierTests } from './eve/outlier-tests.ts';
import { eveSummary, type EveSummary } from './eve/summary.ts';
import { niiSummary, type NiiSummary } from './nii/summary.ts';

export const ENGINE_VERSION = '0.1.0';

export interface AnalysisResult {
  as_of: string;
  method: 'full' | 'standardised';
  floor: 'eu' | 'none';
  engine_version: string;
  scenarios: string[];
  eve: EveSummary;
  nii: NiiSummary;
  sot: OutlierTests;
  gap: GapRow[];
  warnings: string[];
}

export interface AnalysisInput {
  positions: PositionColumns;
  schedules?: ScheduleColumns;
  curves: CurveSet;
  settings: AnalysisSettings;
  onProgress?: (phase: string, fraction: number) => void;
}

/**
 * One IRRBB run (methodology §6–§8): EVE by the chosen method, NII over the horizon, the repricing
 * gap and the supervisory outlier tests. Throws AnalysisInputError listing every settings problem.
 */
export function analyse(input: AnalysisInput): AnalysisResult {
  const { positions: p, curves, settings } = input;
  const progress = input.onProgress ?? (() => undefined);
  const resolved = resolveSettings(settings, p, curves);
  const { asOf, scenarios } = resolved;
  const warnings: string[] = [];
  const plan = nmdPlan(asOf, settings.nmd);
  warnings.push(...nmdWarnings(p, plan.assumption));

  const schedules = input.schedules ? indexSchedules(input.schedules, p.length) : undefined;
  const dims: Dimension[] = [baseDimension(p)];
  for (const column of resolved.breakdownBy) {
    const dim = attributeDimension(p, column);
    if (dim) dims.push(dim);
  }
  const span = flowSpanDays(p, asOf, plan.maxMonths);
  progress('market', 0);
  const markets = buildScenarioMarkets(p, curves, scenarios, settings.floor, span, false);
  const ramped = scenarios.some((s) => s.rampMonths > 0);
  const projectionMarkets = ramped ? buildScenarioMarkets(p, curves, scenarios, settings.floor, span, true) : markets;
  if (ramped) warnings.push('ramp scenarios apply their full shock to EVE; the ramp only shapes NII (§7)');

  const ids = scenarios.map((s) => s.id);
  const scheduleCache = new ScheduleCache(asOf, asOf + span - 1);
  const eve = evePass({ positions: p, schedules, asOf, method: settings.method, markets, dims, nmd: plan, span, scheduleCache, onProgress: (f) => progress('eve', f) });
  const nii = niiPass({
    positions: p,
    schedules,
    asOf,
    horizonMonths: settings.niiHorizonMonths,
    markets,
    projectionMarkets,
    dims,
    nmd: plan,
    span,
    scheduleCache,
    balanceSheet: settings.balanceSheet ?? 'constant',
    onProgress: (f) => progress('nii', f),
  });
  progress('gap', 0);
  const gap = repricingGap(p, schedules, asOf, plan, scheduleCache);

  const breakdowns = (values: Float64Array[][]): Record<string, BreakdownRow[]> => {
    const base = dims[0] as Dimension;
    const out: Record<string, BreakdownRow[]> = {
      currency: breakdownBy(base, 'currency', ids, values[0] as Float64Array[]),
      side: breakdownBy(base, 'side', ids, values[0] as Float64Array[]),
      product: breakdownBy(base, 'product', ids, values[0] as Float64Array[]),
    };
    dims.slice(1).forEach((dim, k) => {
      out[dim.name] = breakdownBy(dim, dim.name, ids, values[k + 1] as Float64Array[]);
    });
    return out;
  };
  const eveBreakdown = breakdowns(eve.byGroup);
  eveBreakdown['bucket'] = BUCKET_LABELS.map((label, k) => {
    const sums = eve.byBucket.map((values) => {
      let sum = 0;
      for (let c = 0; c < p.currency.values.length; c++) sum += values[c * BUCKET_COUNT + k] as number;
      return sum;
    });
    return toRow(label, ids, sums);
  });
  const eveResult = eveSummary(ids, eve.byGroup[0] as Float64Array[], dims[0] as Dimension, eveBreakdown);
  const niiResult = niiSummary(ids, settings.niiHorizonMonths, nii.byGroup[0] as Float64Array[], dims[0] as Dimension, breakdowns(nii.byGroup), nii.profile);
  const sot = outlierTests(resolved.tier1, eveResult, niiResult, ids.filter((id) => (REGULATORY_SCENARIO_IDS as readonly string[]).includes(id)));
  if (resolved.tier1 === undefined) warnings.push('no Tier 1 capital given: the supervisory outlier tests are not evaluated');
  progress('done', 1);
  return {
    as_of: settings.asOf,
    method: settings.method,
    floor: settings.floor,
    engine_version: ENGINE_VERSION,
    scenarios: ids,
    eve: eveResult,
    nii: niiResult,
    sot,
    gap,
    warnings,
  };
}

function nmdWarnings(p: PositionColumns, assumption: readonly unknown[]): string[] {
  const missing = new Map<string, number>();
  for (let i = 0; i < p.length; i++) {
    if (p.amortization[i] !== 4) continue;
    const slot = nmdSlot(p.nmdCategory[i] as number);
    if (assumption[slot] !== undefined) continue;
    const name = slot === 0 ? 'without category' : (NMD_CATEGORIES[slot - 1] as string);
    missing.set(name, (missing.get(name) ?? 0) + 1);
  }
  return [...missing].map(
    ([name, count]) => `${count} non-maturing position(s) (${name}) have no behavioural assumption and reprice overnight (§5, conservative reading)`,
  );
}
