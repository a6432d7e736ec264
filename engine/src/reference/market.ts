/**
 * Curves and scenarios for the reference engine (methodology §1.2, §2, §4): zero rates read from
 * the long curve rows, interpolated, shocked and floored one date at a time.
 */
import type { CurveRow } from '../curve-set.ts';

export interface Pillar {
  time: number;
  rate: number;
}

export interface Curve {
  id: string;
  currency: string;
  pillars: Pillar[];
}

/** §1.2: ON = 1/365, nD = n/365, nW = 7n/365, nM = n/12, nY = n years. */
export function tenorYears(tenor: string): number {
  const token = tenor.trim().toUpperCase();
  if (token === 'ON') return 1 / 365;
  const m = /^(\d+)([DWMY])$/.exec(token);
  if (!m) throw new RangeError(`unknown tenor "${tenor}"`);
  const n = Number(m[1]);
  switch (m[2]) {
    case 'D':
      return n / 365;
    case 'W':
      return (7 * n) / 365;
    case 'M':
      return n / 12;
    default:
      return n;
  }
}

export function curvesFromRows(rows: readonly CurveRow[]): Map<string, Curve> {
  const curves = new Map<string, Curve>();
  for (const row of rows) {
    let curve = curves.get(row.curve_id);
    if (curve === undefined) {
      curve = { id: row.curve_id, currency: row.curve_id.split(/[_-]/)[0] as string, pillars: [] };
      curves.set(row.curve_id, curve);
    }
    curve.pillars.push({ time: tenorYears(row.tenor), rate: row.rate });
  }
  for (const curve of curves.values()) curve.pillars.sort((a, b) => a.time - b.time);
  return curves;
}

/** §1.2: the currency's discount curve is the one named <CCY>_…_OIS, else its first curve. */
export function discountCurveOf(curves: Map<string, Curve>, currency: string): Curve {
  const own = [...curves.values()].filter((c) => c.currency === currency);
  const ois = own.find((c) => c.id.split(/[_-]/).at(-1) === 'OIS');
  const curve = ois ?? own[0];
  if (curve === undefined) throw new RangeError(`no curve for currency ${currency}`);
  return curve;
}

/** §2: linear in the zero rate between pillars, flat before the first and after the last. */
export function baseZero(curve: Curve, t: number): number {
  const p = curve.pillars;
  const first = p[0] as Pillar;
  const last = p[p.length - 1] as Pillar;
  if (t <= first.time) return first.rate;
  if (t >= last.time) return last.rate;
  let k = 0;
  while ((p[k + 1] as Pillar).time <= t) k++;
  const a = p[k] as Pillar;
  const b = p[k + 1] as Pillar;
  return a.rate + ((b.rate - a.rate) * (t - a.time)) / (b.time - a.time);
}

/** §4 shock sizes R_par / R_short / R_long in bp (EU 2024/856 Annex Part A). */
const SHOCK_BP: Record<string, [number, number, number]> = {
  ARS: [400, 500, 300], AUD: [300, 450, 200], BGN: [250, 350, 150], BRL: [400, 500, 300],
  CAD: [200, 300, 150], CHF: [100, 150, 100], CNY: [250, 300, 150], CZK: [200, 250, 100],
  DKK: [200, 250, 150], EUR: [200, 250, 100], GBP: [250, 300, 150], HKD: [200, 250, 100],
  HUF: [300, 450, 200], IDR: [400, 500, 350], INR: [400, 500, 300], JPY: [100, 100, 100],
  KRW: [300, 400, 200], MXN: [400, 500, 300], PLN: [250, 350, 150], RON: [350, 500, 250],
  RUB: [400, 500, 300], SAR: [200, 300, 150], SEK: [200, 300, 150], SGD: [150, 200, 100],
  TRY: [400, 500, 300], USD: [200, 300, 150], ZAR: [400, 500, 300],
};

export const REFERENCE_SCENARIOS = ['base', 'parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'] as const;
export type ScenarioId = (typeof REFERENCE_SCENARIOS)[number];

/** §4: the shock Δ(t) of a scenario in a currency, added to the zero rate after interpolation. */
export function shock(scenario: ScenarioId, currency: string, t: number): number {
  if (scenario === 'base') return 0;
  const sizes = SHOCK_BP[currency];
  if (sizes === undefined) throw new RangeError(`no §4 shock sizes for currency ${currency}`);
  const [par, short, long] = sizes.map((bp) => bp / 10_000) as [number, number, number];
  const decay = Math.exp(-t / 4);
  switch (scenario) {
    case 'parallel_up':
      return par;
    case 'parallel_down':
      return -par;
    case 'short_up':
      return short * decay;
    case 'short_down':
      return -short * decay;
    case 'steepener':
      return -0.65 * short * decay + 0.9 * long * (1 - decay);
    case 'flattener':
      return 0.8 * short * decay - 0.6 * long * (1 - decay);
  }
}

export type FloorSetting = 'eu' | 'none';

/**
 * §4 post-shock lower bound (EU preset): floor(t) = min(0, −1.50% + 0.03%·t); shocked =
 * max(base + Δ, min(floor(t), base)). Upward shocks are never floored; 'none' floors nothing.
 */
export function shockedZero(curve: Curve, scenario: ScenarioId, floor: FloorSetting, t: number): number {
  const base = baseZero(curve, t);
  const delta = shock(scenario, curve.currency, t);
  if (floor === 'none' || delta >= 0) return base + delta;
  const lowerBound = Math.min(0, -0.015 + 0.0003 * t);
  return Math.max(base + delta, Math.min(lowerBound, base));
}

/** §2: DF(t) = exp(−z(t)·t) on the scenario's curve. */
export function discountFactor(curve: Curve, scenario: ScenarioId, floor: FloorSetting, t: number): number {
  return Math.exp(-shockedZero(curve, scenario, floor, t) * t);
}

