import type { CurveSet } from './curve-set.ts';
import type { ZeroCurve } from './curve.ts';
import { shockedCurve, type FloorMode } from './lower-bound.ts';
import { shockSizes } from './shock-sizes.ts';
import { parseTenor } from './tenor.ts';

export const REGULATORY_SCENARIO_IDS = ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'] as const;
export type RegulatoryScenarioId = (typeof REGULATORY_SCENARIO_IDS)[number];

/**
 * Whose behaviour (§5) a scenario takes: the CPR and TDRR multipliers of a regulatory scenario
 * (behaviour.ts cprMultiplier, tdrrMultiplier), or `neutral` (×1, the contractual rates).
 */
export const BEHAVIOUR_IDS = [...REGULATORY_SCENARIO_IDS, 'neutral'] as const;
export type BehaviourId = (typeof BEHAVIOUR_IDS)[number];

/** Decimal shift of the zero rate at time t (years). */
export type ShockFunction = (t: number) => number;

export interface Scenario {
  id: string;
  label: string;
  shock(currency: string): ShockFunction;
  /** floored by the EU lower bound when the run's floor is 'eu' */
  floorable: boolean;
  /** NII ramp: months over which the shock builds linearly (0 = instant) */
  rampMonths: number;
  /**
   * The behavioural multipliers (§5) this scenario runs with, by the regulatory scenario they
   * belong to; absent: those of its own id (a regulatory, parallel_±N or ramp_±N id; any other id
   * is neutral). A custom scenario sets it (customScenario, a notebook's alm.scenario).
   */
  behaviour?: BehaviourId;
}

/** Thrown by a regulatory scenario's shock() for a currency outside the §4 table; the caller reports it. */
export class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
  constructor(readonly currency: string) {
    super(`no regulatory shock sizes for currency "${currency}"; the §4 table covers 27 currencies (EUR, USD, GBP, …)`);
  }
}

/** Thrown by customScenario for a tenor table that cannot be read. */
export class ScenarioDefinitionError extends Error {
  override readonly name = 'ScenarioDefinitionError';
}

const REGULATORY_LABELS: Record<RegulatoryScenarioId, string> = {
  parallel_up: 'Parallel up',
  parallel_down: 'Parallel down',
  steepener: 'Steepener',
  flattener: 'Flattener',
  short_up: 'Short rates up',
  short_down: 'Short rates down',
};

/** The six §4 shapes; e^(−t/4) is the short-rate decay of BCBS d368. */
function regulatoryShock(id: RegulatoryScenarioId, currency: string): ShockFunction {
  const sizes = shockSizes(currency);
  if (!sizes) throw new UnknownCurrencyError(currency);
  const { parallel: rPar, short: rShort, long: rLong } = sizes;
  switch (id) {
    case 'parallel_up':
      return () => rPar;
    case 'parallel_down':
      return () => -rPar;
    case 'short_up':
      return (t) => rShort * Math.exp(-t / 4);
    case 'short_down':
      return (t) => -rShort * Math.exp(-t / 4);
    case 'steepener':
      return (t) => -0.65 * rShort * Math.exp(-t / 4) + 0.9 * rLong * (1 - Math.exp(-t / 4));
    case 'flattener':
      return (t) => 0.8 * rShort * Math.exp(-t / 4) - 0.6 * rLong * (1 - Math.exp(-t / 4));
  }
}

export const BASE_SCENARIO: Scenario = { id: 'base', label: 'Base', shock: () => () => 0, floorable: false, rampMonths: 0 };

export function regulatoryScenarios(): Scenario[] {
  return REGULATORY_SCENARIO_IDS.map((id) => ({
    id,
    label: REGULATORY_LABELS[id],
    shock: (currency: string) => regulatoryShock(id, currency),
    floorable: true,
    rampMonths: 0,
  }));
}

function parallelShift(id: string, label: string, delta: number, rampMonths: number): Scenario {
  // market-conventions.md "floor-on-us-style": US-style shocks follow the run's floor setting like the regulatory ones.
  return { id, label, shock: () => () => delta, floorable: true, rampMonths };
}

function requirePositiveBps(bps: number[]): void {
  const bad = bps.find((bp) => !Number.isInteger(bp) || bp <= 0);
  if (bad !== undefined) throw new ScenarioDefinitionError(`shock sizes are whole positive bp (100 for 1%), got ${bad}`);
}

/** US-style instant parallel shocks, ids parallel_up_100 / parallel_down_100 … */
export function parallelScenarios(bps: number[] = [100, 200, 300, 400]): Scenario[] {
  requirePositiveBps(bps);
  return bps.flatMap((bp) => [
    parallelShift(`parallel_up_${bp}`, `Parallel +${bp}bp`, bp / 10_000, 0),
    parallelShift(`parallel_down_${bp}`, `Parallel −${bp}bp`, -bp / 10_000, 0),
  ]);
}

/** Parallel shocks that build linearly over `months` in NII (EVE takes the full shift), ids ramp_up_200 … */
export function rampScenarios(bps: number[] = [100, 200], months = 12): Scenario[] {
  requirePositiveBps(bps);
  if (!Number.isInteger(months) || months < 1) throw new ScenarioDefinitionError(`a ramp lasts a whole number of months ≥ 1, got ${months}`);
  return bps.flatMap((bp) => [
    parallelShift(`ramp_up_${bp}`, `Ramp +${bp}bp over ${months}M`, bp / 10_000, months),
    parallelShift(`ramp_down_${bp}`, `Ramp −${bp}bp over ${months}M`, -bp / 10_000, months),
  ]);
}

/** Share of a ramp scenario's shock in force `monthsElapsed` months after the analysis date. */
export function rampFactor(scenario: Scenario, monthsElapsed: number): number {
  if (scenario.rampMonths <= 0) return 1;
  return Math.min(1, Math.max(0, monthsElapsed / scenario.rampMonths));
}

/** A tenor → bp table as a shock: linear between tenor times, flat outside (like curve interpolation, §2). */
export function parseShockTable(table: Record<string, number>): { ok: true; shock: ShockFunction } | { ok: false; reason: string } {
  const points: { t: number; delta: number; tenor: string }[] = [];
  for (const [tenor, bp] of Object.entries(table)) {
    const parsed = parseTenor(tenor);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    if (typeof bp !== 'number' || !Number.isFinite(bp)) return { ok: false, reason: `shock at ${tenor} must be a finite number of bp, got ${String(bp)}` };
    const clash = points.find((p) => p.t === parsed.years);
    if (clash) return { ok: false, reason: `tenors ${clash.tenor} and ${tenor} are the same point; keep one` };
    points.push({ t: parsed.years, delta: bp / 10_000, tenor });
  }
  if (points.length === 0) return { ok: false, reason: 'a shock table needs at least one tenor → bp entry' };
  points.sort((a, b) => a.t - b.t);
  const times = points.map((p) => p.t);
  const deltas = points.map((p) => p.delta);
  return {
    ok: true,
    shock: (t) => {
      if (t <= (times[0] as number)) return deltas[0] as number;
      const last = times.length - 1;
      if (t >= (times[last] as number)) return deltas[last] as number;
      let i = 1;
      while ((times[i] as number) < t) i++;
      const t0 = times[i - 1] as number;
      const t1 = times[i] as number;
      const d0 = deltas[i - 1] as number;
      return d0 + (((deltas[i] as number) - d0) * (t - t0)) / (t1 - t0);
    },
  };
}

export function customScenario(
  id: string,
  label: string,
  shock: ShockFunction | Record<string, number>,
  options: { floorable?: boolean; rampMonths?: number; behaviour?: BehaviourId } = {},
): Scenario {
  let fn: ShockFunction;
  if (typeof shock === 'function') {
    fn = shock;
  } else {
    const parsed = parseShockTable(shock);
    if (!parsed.ok) throw new ScenarioDefinitionError(`scenario ${id}: ${parsed.reason}`);
    fn = parsed.shock;
  }
  if (options.behaviour !== undefined && !(BEHAVIOUR_IDS as readonly string[]).includes(options.behaviour)) {
    throw new ScenarioDefinitionError(`scenario ${id}: behaviour must be one of ${BEHAVIOUR_IDS.join(', ')}, got "${String(options.behaviour)}"`);
  }
  return {
    id,
    label,
    shock: () => fn,
    floorable: options.floorable ?? true,
    rampMonths: options.rampMonths ?? 0,
    ...(options.behaviour !== undefined ? { behaviour: options.behaviour } : {}),
  };
}

const SHIFT_ID = /^(parallel|ramp)_(up|down)_(\d+)$/;

/** base, the six regulatory ids, and any parallel_up_N / parallel_down_N / ramp_up_N / ramp_down_N (N in bp). */
export function scenarioById(id: string): Scenario | undefined {
  if (id === 'base') return BASE_SCENARIO;
  const regulatory = regulatoryScenarios().find((s) => s.id === id);
  if (regulatory) return regulatory;
  const match = SHIFT_ID.exec(id);
  if (!match) return undefined;
  const bp = Number(match[3]);
  if (bp <= 0) return undefined;
  const family = match[1] === 'parallel' ? parallelScenarios([bp]) : rampScenarios([bp]);
  return family.find((s) => s.id === id);
}

/** Every curve of a set moved by the scenario's shock for its currency (basis between curves kept, §4). */
export function scenarioCurveSet(curves: CurveSet, scenario: Scenario, floor: FloorMode): CurveSet {
  const mode: FloorMode = scenario.floorable ? floor : 'none';
  const shocked = new Map<string, ZeroCurve>();
  const shift = (curve: ZeroCurve): ZeroCurve => {
    let s = shocked.get(curve.id);
    if (!s) {
      s = shockedCurve(curve, scenario.shock(curve.currency), mode);
      shocked.set(curve.id, s);
    }
    return s;
  };
  return {
    get: (id) => {
      const curve = curves.get(id);
      return curve && shift(curve);
    },
    discountCurve: (ccy) => {
      const curve = curves.discountCurve(ccy);
      return curve && shift(curve);
    },
    ids: () => curves.ids(),
    currencies: () => curves.currencies(),
    discountCurveId: (ccy) => curves.discountCurveId(ccy),
  };
}
