/**
 * Expected figures for tests, computed from the methodology's definitions without the engine's
 * curve, date or day-count code: calendar dates as JavaScript UTC dates, zero rates linear between
 * pillars and flat outside (§2), DF(t) = exp(−z(t)·t) with t = days/365, forwards
 * (DF(t1)/DF(t2) − 1)/τ, the EU post-shock lower bound (§4). Tests import nothing else to compute
 * what they expect.
 */

const DAY_MS = 86_400_000;

/** An ISO date as a whole day number (days since 1970-01-01). */
export function day(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

/** d + n calendar months, the day clamped to the month's end (as §3 rolls dates, unadjusted). */
export function plusMonths(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const months = y * 12 + (m - 1) + n;
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

export const days = (from: string, to: string): number => day(to) - day(from);

/** Pillar time of a tenor token (§1.2). */
function pillarYears(tenor: string): number {
  if (tenor === 'ON') return 1 / 365;
  const n = Number(tenor.slice(0, -1));
  const unit = tenor.slice(-1);
  if (unit === 'D') return n / 365;
  if (unit === 'W') return (7 * n) / 365;
  if (unit === 'M') return n / 12;
  return n;
}

/** A zero curve from (tenor, rate) pillars in increasing order. */
export class HandCurve {
  private readonly times: number[];
  private readonly rates: number[];

  constructor(pillars: readonly (readonly [string, number])[]) {
    this.times = pillars.map(([tenor]) => pillarYears(tenor));
    this.rates = pillars.map(([, rate]) => rate);
  }

  zero(t: number): number {
    const { times, rates } = this;
    if (t <= times[0]!) return rates[0]!;
    for (let k = 1; k < times.length; k++) {
      if (t <= times[k]!) return rates[k - 1]! + ((rates[k]! - rates[k - 1]!) * (t - times[k - 1]!)) / (times[k]! - times[k - 1]!);
    }
    return rates[rates.length - 1]!;
  }
}

/** A curve under a shock Δ(t) added to its zero rate, seen from an analysis date. */
export class HandMarket {
  constructor(
    readonly asOf: string,
    private readonly curve: HandCurve,
    private readonly shock: (t: number) => number = () => 0,
    /** EU lower bound min(0, −1.5% + 0.03%·t) on downward shocks (§4) */
    private readonly floored = true,
  ) {}

  /** The (shocked, floored) zero rate at t years. */
  zero(t: number): number {
    const base = this.curve.zero(t);
    const delta = this.shock(t);
    if (delta >= 0 || !this.floored) return base + delta;
    const floor = Math.min(0, -0.015 + 0.0003 * t);
    return Math.max(base + delta, Math.min(floor, base));
  }

  years(date: string): number {
    return days(this.asOf, date) / 365;
  }

  df(date: string): number {
    const t = this.years(date);
    return Math.exp(-this.zero(t) * t);
  }

  /** Simple forward over [from, to] with accrual fraction τ (the contract's day count). */
  forward(from: string, to: string, tau: number): number {
    return (this.df(from) / this.df(to) - 1) / tau;
  }
}

/** The reproduction curves (as-of 2025-06-12 books). */
export const ESTR_OIS = new HandCurve([
  ['ON', 0.019],
  ['3M', 0.0195],
  ['1Y', 0.0205],
  ['5Y', 0.024],
  ['30Y', 0.029],
]);
export const EURIBOR_3M = new HandCurve([
  ['ON', 0.0205],
  ['3M', 0.021],
  ['1Y', 0.022],
  ['5Y', 0.0255],
  ['30Y', 0.0305],
]);

/** The same curves as engine input rows. */
export const REPRODUCTION_CURVE_ROWS = [
  ...(['ON', '3M', '1Y', '5Y', '30Y'] as const).map((tenor, k) => ({ curve_id: 'EUR_ESTR_OIS', tenor, rate: [0.019, 0.0195, 0.0205, 0.024, 0.029][k]! })),
  ...(['ON', '3M', '1Y', '5Y', '30Y'] as const).map((tenor, k) => ({ curve_id: 'EUR_EURIBOR_3M', tenor, rate: [0.0205, 0.021, 0.022, 0.0255, 0.0305][k]! })),
];

/** Days of [from, to) inside [lo, hi). */
export function overlap(from: string, to: string, lo: string, hi: string): number {
  return Math.max(0, Math.min(day(to), day(hi)) - Math.max(day(from), day(lo)));
}
