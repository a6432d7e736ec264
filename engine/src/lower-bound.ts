import type { ZeroCurve } from './curve.ts';

/** EU post-shock lower bound, methodology §4: floor(t) = min(0, −1.50% + 0.03%·t). */
export function lowerBound(t: number): number {
  return Math.min(0, -0.015 + 0.0003 * t);
}

export type FloorMode = 'eu' | 'none';

/**
 * Methodology §4: shocked = max(base + Δ, min(floor(t), base)) for downward moves under the EU preset:
 * a base already below the floor is its own floor, so the shock can never push it further down but
 * never lifts it either. Upward moves are never floored.
 */
export function shockedZero(base: number, t: number, delta: number, floor: FloorMode): number {
  const shocked = base + delta;
  if (floor === 'none' || delta >= 0) return shocked;
  return Math.max(shocked, Math.min(lowerBound(t), base));
}

/**
 * A curve whose zero rate at every t is the (floored) shocked base rate — the shock is applied after
 * interpolation (§4), so between pillars it follows Δ(t) exactly rather than a line through shocked
 * pillars. `times`/`rates` report the shocked rates at the base pillars, for display only.
 */
export function shockedCurve(curve: ZeroCurve, shock: (t: number) => number, floor: FloorMode): ZeroCurve {
  const zero = (t: number): number => shockedZero(curve.zero(t), t, shock(t), floor);
  const rates = Float64Array.from(curve.times, (t) => zero(t));
  return {
    id: curve.id,
    currency: curve.currency,
    times: curve.times,
    rates,
    zero,
    discount: (t: number): number => Math.exp(-zero(t) * t),
  };
}
