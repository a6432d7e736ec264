import { validateNmdAssumptions, type NmdAssumption } from './behaviour.ts';
import type { CurveSet } from './curve-set.ts';
import { parseIsoDate } from './dates.ts';
import type { FloorMode } from './lower-bound.ts';
import type { PositionColumns } from './positions.ts';
import { BASE_SCENARIO, REGULATORY_SCENARIO_IDS, UnknownCurrencyError, scenarioById, type Scenario } from './scenarios.ts';

/** What one analysis run computes (methodology §1.3); a field left out takes its DEFAULTS value. */
export interface AnalysisSettings {
  /** analysis date, yyyy-mm-dd */
  asOf: string;
  /** default 'full' */
  method?: 'full' | 'standardised';
  /** post-shock lower bound: EU preset 'eu' (default) or BCBS 'none' (§4) */
  floor?: FloorMode;
  /** scenario ids besides base; default the six regulatory ones (any scenarioById id or a custom scenario id); [] = base only */
  scenarios?: string[];
  customScenarios?: Scenario[];
  /** Tier 1 capital (total, in the reporting currency); without it the outlier tests are not evaluated */
  tier1?: number;
  /** default 12 */
  niiHorizonMonths?: number;
  nmd?: NmdAssumption[];
  /** NII balance sheet (§7): 'constant' (default) replaces what repays, 'runoff' does not */
  balanceSheet?: 'constant' | 'runoff';
  /** attribute columns to break EVE and NII down by (currency, side, product and bucket always are) */
  breakdownBy?: string[];
}

/**
 * Every default of the engine, in this one place: the run settings (§1.3) and the position fields a
 * dataset may leave empty (0 in the frequency columns, §1.1). defaultSettings, resolveSettings and
 * the per-position paymentMonths/resetMonths read them; nothing else writes a default down.
 */
export const DEFAULTS = Object.freeze({
  method: 'full',
  floor: 'eu',
  scenarios: REGULATORY_SCENARIO_IDS,
  niiHorizonMonths: 12,
  balanceSheet: 'constant',
  /** day count of a position that gives none */
  dayCount: 'ACT/365',
  /** payment frequency of a bullet that gives none: yearly */
  bulletPaymentMonths: 12,
  /** payment frequency of an amortising contract (linear, annuity, scheduled) that gives none: monthly */
  amortisingPaymentMonths: 1,
} as const);

/** AMORTIZATIONS code of a bullet (positions.ts: AMORTIZATIONS[0] = 'bullet'). */
const BULLET_CODE = 0;

/**
 * Payment frequency in months of a position (§1.1): its column value, or DEFAULTS' when the dataset
 * left it empty (0). The cash-flow generator, the work split and every NII path read it from here.
 */
export function paymentMonths(amortization: number, stored: number): number {
  return stored || (amortization === BULLET_CODE ? DEFAULTS.bulletPaymentMonths : DEFAULTS.amortisingPaymentMonths);
}

/**
 * Reset frequency in months of a floating position (§1.1, §3): its column value, else its payment
 * frequency (paymentMonths). The generator's reset dates, the NII renewal chains (§7) and the day
 * grid's span all use this one value.
 */
export function resetMonths(amortization: number, storedReset: number, storedPayment: number): number {
  return storedReset || paymentMonths(amortization, storedPayment);
}

export function defaultSettings(asOf: string): AnalysisSettings {
  return {
    asOf,
    method: DEFAULTS.method,
    floor: DEFAULTS.floor,
    scenarios: [...DEFAULTS.scenarios],
    niiHorizonMonths: DEFAULTS.niiHorizonMonths,
    balanceSheet: DEFAULTS.balanceSheet,
  };
}

/** Settings or inputs that cannot be analysed; `messages` say what to fix, one per problem. */
export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError';
  constructor(readonly messages: string[]) {
    super(`analysis settings cannot be used:\n- ${messages.join('\n- ')}`);
  }
}

/**
 * Settings checked against the data, every default filled in: what a run reads (analyse.ts never
 * reads AnalysisSettings itself). Parsed date, scenario objects (base first).
 */
export interface ResolvedSettings {
  asOf: number;
  method: 'full' | 'standardised';
  floor: FloorMode;
  scenarios: Scenario[];
  niiHorizonMonths: number;
  balanceSheet: 'constant' | 'runoff';
  nmd: NmdAssumption[] | undefined;
  breakdownBy: string[];
  tier1: number | undefined;
}

/**
 * Every problem at once (settings errors are thrown by analyse() as one AnalysisInputError):
 * unknown scenario ids, currencies without shock sizes or discount curve, floating contracts without
 * a projection curve, NMD assumptions above the caps, unknown breakdown columns.
 */
export function resolveSettings(settings: AnalysisSettings, positions: PositionColumns, curves: CurveSet): ResolvedSettings {
  const errors: string[] = [];
  const asOf = typeof settings.asOf === 'string' ? parseIsoDate(settings.asOf) : undefined;
  if (asOf === undefined) errors.push(`asOf must be an ISO date yyyy-mm-dd, got "${String(settings.asOf)}"`);
  const method = settings.method ?? DEFAULTS.method;
  const floor = settings.floor ?? DEFAULTS.floor;
  const niiHorizonMonths = settings.niiHorizonMonths ?? DEFAULTS.niiHorizonMonths;
  const balanceSheet = settings.balanceSheet ?? DEFAULTS.balanceSheet;
  if (method !== 'full' && method !== 'standardised') errors.push(`method must be "full" or "standardised", got "${String(method)}"`);
  if (floor !== 'eu' && floor !== 'none') errors.push(`floor must be "eu" or "none", got "${String(floor)}"`);
  if (!Number.isInteger(niiHorizonMonths) || niiHorizonMonths < 1 || niiHorizonMonths > 120) {
    errors.push(`niiHorizonMonths must be a whole number of months between 1 and 120, got ${String(niiHorizonMonths)}`);
  }
  if (balanceSheet !== 'constant' && balanceSheet !== 'runoff') {
    errors.push(`balanceSheet must be "constant" or "runoff", got "${String(balanceSheet)}"`);
  }
  if (settings.tier1 !== undefined && !(Number.isFinite(settings.tier1) && settings.tier1 > 0)) {
    errors.push(`tier1 must be a positive amount, got ${String(settings.tier1)}`);
  }

  const scenarios: Scenario[] = [BASE_SCENARIO];
  const custom = new Map((settings.customScenarios ?? []).map((s) => [s.id, s]));
  for (const id of settings.scenarios ?? DEFAULTS.scenarios) {
    if (id === 'base') continue;
    const scenario = custom.get(id) ?? scenarioById(id);
    if (scenario === undefined) {
      errors.push(`unknown scenario "${id}"; use base, ${REGULATORY_SCENARIO_IDS.join(', ')}, parallel_up_N, parallel_down_N, ramp_up_N, ramp_down_N or a custom scenario id`);
    } else if (scenarios.some((s) => s.id === id)) errors.push(`scenario "${id}" is listed twice`);
    else scenarios.push(scenario);
  }

  for (const ccy of positions.currency.values) {
    if (curves.discountCurve(ccy) === undefined) errors.push(`no discount curve for currency ${ccy}; add a curve named ${ccy}_..._OIS (or any ${ccy}_ curve)`);
    for (const scenario of scenarios) {
      try {
        scenario.shock(ccy);
      } catch (e) {
        if (!(e instanceof UnknownCurrencyError)) throw e;
        errors.push(`scenario ${scenario.id} has no shock sizes for currency ${ccy}; drop the scenario or supply a custom one`);
      }
    }
  }
  const usedIndexes = new Set<number>();
  let floatingWithoutIndex = 0;
  for (let i = 0; i < positions.length; i++) {
    if (positions.rateType[i] !== 1) continue;
    const code = positions.index.codes[i] as number;
    if (code < 0) floatingWithoutIndex++;
    else usedIndexes.add(code);
  }
  if (floatingWithoutIndex > 0) errors.push(`${floatingWithoutIndex} floating position(s) have no index curve; fill the index column`);
  for (const code of usedIndexes) {
    const id = positions.index.values[code] as string;
    if (curves.get(id) === undefined) errors.push(`floating positions use index ${id} but no curve of that id was loaded`);
  }

  if (settings.nmd !== undefined) {
    const check = validateNmdAssumptions(settings.nmd);
    if (!check.ok) errors.push(...check.errors);
  }
  const breakdownBy = settings.breakdownBy ?? [];
  for (const column of breakdownBy) {
    if (['currency', 'side', 'product', 'bucket'].includes(column)) continue;
    if (positions.attributes[column] === undefined) {
      errors.push(`cannot break down by "${column}": no such attribute column (have: ${Object.keys(positions.attributes).join(', ') || 'none'})`);
    }
  }
  if (errors.length > 0 || asOf === undefined) throw new AnalysisInputError(errors);
  return {
    asOf,
    method,
    floor,
    scenarios,
    niiHorizonMonths,
    balanceSheet,
    nmd: settings.nmd,
    breakdownBy,
    tier1: settings.tier1,
  };
}
