import { describe, expect, it } from 'vitest';
import { forwardRate, zeroCurve } from './curve.ts';

const curve = zeroCurve('EUR_ESTR_OIS', 'EUR', Float64Array.of(0.25, 1, 5, 10), Float64Array.of(0.02, 0.025, 0.03, 0.032));

describe('zeroCurve', () => {
  it('interpolates linearly in the zero rate between pillars', () => {
    expect(curve.zero(1)).toBe(0.025);
    expect(curve.zero(3)).toBeCloseTo(0.0275, 15); // halfway 1Y→5Y
    expect(curve.zero(0.625)).toBeCloseTo(0.0225, 15);
    expect(curve.zero(7.5)).toBeCloseTo(0.031, 15);
  });

  it('extrapolates flat at both ends', () => {
    expect(curve.zero(0)).toBe(0.02);
    expect(curve.zero(0.01)).toBe(0.02);
    expect(curve.zero(50)).toBe(0.032);
  });

  it('discounts with exp(−z·t)', () => {
    expect(curve.discount(0)).toBe(1);
    expect(curve.discount(3)).toBeCloseTo(Math.exp(-0.0275 * 3), 15);
    expect(curve.discount(30)).toBeCloseTo(Math.exp(-0.032 * 30), 15);
  });

  it('gives simple forwards consistent with discount factors', () => {
    const f = forwardRate(curve, 1, 1.25, 0.25);
    expect(f).toBeCloseTo((Math.exp(-0.025 * 1) / Math.exp(-0.0253125 * 1.25) - 1) / 0.25, 14);
    // DF(t1)·1/(1 + f·τ) reproduces DF(t2).
    expect(curve.discount(1) / (1 + f * 0.25)).toBeCloseTo(curve.discount(1.25), 15);
    // On a flat curve the simple forward over τ is (e^{zτ} − 1)/τ.
    const flat = zeroCurve('USD_SOFR_OIS', 'USD', Float64Array.of(1), Float64Array.of(0.04));
    expect(forwardRate(flat, 2, 2.5, 0.5)).toBeCloseTo((Math.exp(0.04 * 0.5) - 1) / 0.5, 14);
  });

  it('refuses unordered or empty pillars', () => {
    expect(() => zeroCurve('X', 'EUR', Float64Array.of(1, 1), Float64Array.of(0.01, 0.02))).toThrow(/strictly increasing/);
    expect(() => zeroCurve('X', 'EUR', new Float64Array(0), new Float64Array(0))).toThrow(/no pillars/);
    expect(() => zeroCurve('X', 'EUR', Float64Array.of(1), Float64Array.of(0.01, 0.02))).toThrow(/1 pillar times but 2 rates/);
  });
});
