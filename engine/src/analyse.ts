import { attributeDimension, baseDimension, breakdownBy, toRow, type BreakdownRow, type Dimension } from './breakdown.ts';
import { BUCKET_COUNT, BUCKET_LABELS } from './buckets.ts';
import { flowSpanDays } from './cashflows/behaviour-rate.ts';
import { nmdPlan, nmdSlot } from './cashflows/nmd-flows.ts';
import { buildScenarioMarkets, type ScenarioMarket } from './cashflows/scenario-market.ts';
import { indexSchedules } from './cashflows/schedule-index.ts';
import { ScheduleCache } from './cashflows/schedule-cache.ts';
import type { CurveSet } from './curve-set.ts';
import { evePass, type EveValues } from './eve/eve-pass.ts';
import { NiiAccumulator, type NiiValues } from './nii/nii-accumulator.ts';
import { gapRows, gapRowsByCurrency, gapSums, type CurrencyGapRow, type GapRow } from './gap.ts';
import { niiPass } from './nii/nii-pass.ts';
import { NMD_CATEGORIES, type PositionColumns, type ScheduleColumns } from './positions.ts';
import { localityOrder, reorderPositions } from './locality.ts';
import { assertValued } from './invariants.ts';
import { REGULATORY_SCENARIO_IDS, type Scenario } from './scenarios.ts';
import { resolveSettings, type AnalysisSettings, type ResolvedSettings } from './settings.ts';
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
  /** the gap of each currency's positions (19 rows per currency, in the positions' currency order) */
  gap_by_currency: CurrencyGapRow[];
  warnings: string[];
}

export interface AnalysisInput {
  positions: PositionColumns;
  schedules?: ScheduleColumns;
  curves: CurveSet;
  settings: AnalysisSettings;
  onProgress?: (phase: string, fraction: number) => void;
}

/** What every part of a run shares: resolved settings, dimensions, warnings; markets on demand. */
export interface RunContext {
  input: AnalysisInput;
  /** the input's positions in locality order (locality.ts), without ids: what the passes visit, ranges refer to */
  positions: PositionColumns;
  /** visiting position k is input position order[k] */
  order: Int32Array;
  /** the settings with every default filled in (settings.ts DEFAULTS): all a run reads of them */
  settings: ResolvedSettings;
  asOf: number;
  ids: string[];
  scenarios: Scenario[];
  tier1: number | undefined;
  plan: ReturnType<typeof nmdPlan>;
  schedules: ReturnType<typeof indexSchedules> | undefined;
  dims: Dimension[];
  span: number;
  warnings: string[];
}

/** Additive results of the positions [from, to): the partials of disjoint ranges sum to those of their union. */
export interface AnalysisPartial {
  from: number;
  to: number;
  /** evePass byGroup[d][s][g] and byBucket[s][ccy·19 + k] */
  eveByGroup: Float64Array[][];
  eveByBucket: Float64Array[];
  /** niiPass byGroup[d][s][g] and profile[s][m] */
  niiByGroup: Float64Array[][];
  niiProfile: Float64Array[];
  /** gapSums: by currency, side (assets, liabilities) and bucket */
  gap: Float64Array;
}

/** Settings checked (throws AnalysisInputError), NMD plan, dimensions and run-wide warnings. */
export function runContext(input: AnalysisInput): RunContext {
  const { curves } = input;
  // sums do not depend on the order; cache use does (contracts sharing aggregates and schedules in a row)
  const order = localityOrder(input.positions);
  const book = reorderPositions(input.positions, input.schedules, order, false);
  const p = book.positions;
  const resolved = resolveSettings(input.settings, p, curves);
  const plan = nmdPlan(resolved.asOf, resolved.nmd);
  const warnings = nmdWarnings(p, plan.assumption);
  const dims: Dimension[] = [baseDimension(p)];
  for (const column of resolved.breakdownBy) {
    const dim = attributeDimension(p, column);
    if (dim) dims.push(dim);
  }
  if (resolved.scenarios.some((s) => s.rampMonths > 0)) warnings.push('ramp scenarios apply their full shock to EVE; the ramp only shapes NII (§7)');
  if (resolved.tier1 === undefined) warnings.push('no Tier 1 capital given: the supervisory outlier tests are not evaluated');
  return {
    input,
    positions: p,
    order,
    settings: resolved,
    asOf: resolved.asOf,
    ids: resolved.scenarios.map((s) => s.id),
    scenarios: resolved.scenarios,
    tier1: resolved.tier1,
    plan,
    schedules: book.schedules ? indexSchedules(book.schedules, p.length) : undefined,
    dims,
    span: flowSpanDays(p, resolved.asOf, plan.maxMonths, resolved.niiHorizonMonths),
    warnings,
  };
}

/**
 * EVE, NII and gap of the positions [from, to) (methodology §6–§8), before any summary. Throws
 * UnvaluedPositionError (invariants.ts) naming the positions when a figure is not a number.
 */
export function computePartial(run: RunContext, from: number, to: number, progress: (phase: string, fraction: number) => void = () => undefined): AnalysisPartial {
  progress('market', 0);
  const markets = runMarkets(run);
  const partial = computeRange(run, markets, from, to, progress);
  const ids = run.input.positions.id;
  assertValued(partial, run.ids, (a, b) => computeRange(run, markets, a, b, () => undefined), (k) => ids[run.order[k] as number] ?? `at row ${(run.order[k] as number) + 1}`);
  return partial;
}

interface RunMarkets {
  markets: ScenarioMarket[];
  projectionMarkets: ScenarioMarket[];
}

/** Each scenario's market on the run's day grid; ramped projection curves when a scenario ramps. */
function runMarkets(run: RunContext): RunMarkets {
  const { curves } = run.input;
  const { positions: p, span, scenarios, settings } = run;
  const markets = buildScenarioMarkets(p, curves, scenarios, settings.floor, span, false);
  const ramped = scenarios.some((s) => s.rampMonths > 0);
  return { markets, projectionMarkets: ramped ? buildScenarioMarkets(p, curves, scenarios, settings.floor, span, true) : markets };
}

function computeRange(run: RunContext, { markets, projectionMarkets }: RunMarkets, from: number, to: number, progress: (phase: string, fraction: number) => void): AnalysisPartial {
  const { positions: p, asOf, plan, dims, span, schedules, settings } = run;
  const scheduleCache = new ScheduleCache(asOf, asOf + span - 1);
  const common = { positions: p, schedules, asOf, markets, dims, nmd: plan, span, scheduleCache, from, to };
  const niiInput = {
    ...common,
    horizonMonths: settings.niiHorizonMonths,
    projectionMarkets,
    balanceSheet: settings.balanceSheet,
  } as const;
  let nii: NiiValues;
  let eve: EveValues;
  if (settings.method === 'full') {
    // one projection per contract feeds both EVE and NII
    const accumulator = new NiiAccumulator(niiInput);
    eve = evePass({ ...common, method: 'full', nii: accumulator, onProgress: (f) => progress('eve', f) });
    nii = accumulator.finish();
  } else {
    eve = evePass({ ...common, method: settings.method, onProgress: (f) => progress('eve', f) });
    nii = niiPass({ ...niiInput, onProgress: (f) => progress('nii', f) });
  }
  progress('gap', 0);
  const gap = gapSums(p, schedules, asOf, plan, scheduleCache, from, to);
  return { from, to, eveByGroup: eve.byGroup, eveByBucket: eve.byBucket, niiByGroup: nii.byGroup, niiProfile: nii.profile, gap };
}

/**
 * One IRRBB run (methodology §6–§8): EVE by the chosen method, NII over the horizon, the repricing
 * gap and the supervisory outlier tests. Throws AnalysisInputError listing every settings problem.
 */
export function analyse(input: AnalysisInput): AnalysisResult {
  const progress = input.onProgress ?? (() => undefined);
  const run = runContext(input);
  const result = summarise(run, computePartial(run, 0, input.positions.length, progress));
  progress('done', 1);
  return result;
}

/** AnalysisResult from the partial of all positions (or partials merged by mergeAnalyses). */
export function summarise(run: RunContext, partial: AnalysisPartial): AnalysisResult {
  const { positions: p, ids, dims, settings } = run;
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
  const eveBreakdown = breakdowns(partial.eveByGroup);
  eveBreakdown['bucket'] = BUCKET_LABELS.map((label, k) => {
    const sums = partial.eveByBucket.map((values) => {
      let sum = 0;
      for (let c = 0; c < p.currency.values.length; c++) sum += values[c * BUCKET_COUNT + k] as number;
      return sum;
    });
    return toRow(label, ids, sums);
  });
  const eveResult = eveSummary(ids, partial.eveByGroup[0] as Float64Array[], dims[0] as Dimension, eveBreakdown);
  const niiResult = niiSummary(ids, settings.niiHorizonMonths, partial.niiByGroup[0] as Float64Array[], dims[0] as Dimension, breakdowns(partial.niiByGroup), partial.niiProfile);
  const sot = outlierTests(run.tier1, eveResult, niiResult, ids.filter((id) => (REGULATORY_SCENARIO_IDS as readonly string[]).includes(id)));
  return {
    as_of: run.input.settings.asOf,
    method: settings.method,
    floor: settings.floor,
    engine_version: ENGINE_VERSION,
    scenarios: ids,
    eve: eveResult,
    nii: niiResult,
    sot,
    gap: gapRows(partial.gap),
    gap_by_currency: gapRowsByCurrency(partial.gap, p.currency.values),
    warnings: [...run.warnings],
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
