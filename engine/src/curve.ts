/**
 * Zero curves, methodology §2: continuously compounded zero rates, linear in the zero rate between
 * pillars, flat before the first and after the last pillar, DF(t) = exp(−z(t)·t).
 */
export interface ZeroCurve {
  readonly id: string;
  readonly currency: string;
  readonly times: Float64Array;
  readonly rates: Float64Array;
  zero(t: number): number;
  discount(t: number): number;
}

/** Linear interpolation with flat ends; binary search keeps 50+ pillar curves cheap. */
export function interpolateLinearFlat(times: Float64Array, rates: Float64Array, t: number): number {
  const n = times.length;
  const first = times[0] as number;
  if (t <= first || n === 1) return rates[0] as number;
  const lastTime = times[n - 1] as number;
  if (t >= lastTime) return rates[n - 1] as number;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid;
  }
  const t0 = times[lo] as number;
  const t1 = times[hi] as number;
  const z0 = rates[lo] as number;
  const z1 = rates[hi] as number;
  return z0 + ((z1 - z0) * (t - t0)) / (t1 - t0);
}

export function zeroCurve(id: string, currency: string, times: Float64Array, rates: Float64Array): ZeroCurve {
  if (times.length === 0) throw new RangeError(`curve ${id} has no pillars`);
  if (times.length !== rates.length) {
    throw new RangeError(`curve ${id}: ${times.length} pillar times but ${rates.length} rates`);
  }
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(rates[i] as number)) {
      throw new RangeError(`curve ${id}: pillar ${i + 1} has a non-finite time or rate`);
    }
    if (i > 0 && t <= (times[i - 1] as number)) {
      throw new RangeError(`curve ${id}: pillar times must be strictly increasing (pillar ${i + 1})`);
    }
  }
  const ownTimes = Float64Array.from(times);
  const ownRates = Float64Array.from(rates);
  const zero = (t: number): number => interpolateLinearFlat(ownTimes, ownRates, t);
  return {
    id,
    currency,
    times: ownTimes,
    rates: ownRates,
    zero,
    discount: (t: number): number => Math.exp(-zero(t) * t),
  };
}

/** Simple forward over [t1, t2], methodology §2: (DF(t1)/DF(t2) − 1)/τ, τ in the contract's day count. */
export function forwardRate(curve: ZeroCurve, t1: number, t2: number, accrual: number): number {
  return (curve.discount(t1) / curve.discount(t2) - 1) / accrual;
}
