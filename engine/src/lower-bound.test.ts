import { describe, expect, it } from 'vitest';
import { zeroCurve } from './curve.ts';
import { lowerBound, shockedCurve, shockedZero } from './lower-bound.ts';

describe('lowerBound', () => {
  it('rises 3bp a year from −150bp and stops at zero', () => {
    expect(lowerBound(0)).toBeCloseTo(-0.015, 15);
    expect(lowerBound(1)).toBeCloseTo(-0.0147, 15);
    expect(lowerBound(25)).toBeCloseTo(-0.0075, 15);
    expect(lowerBound(50)).toBe(0);
    expect(lowerBound(60)).toBe(0);
  });
});

describe('shockedZero', () => {
  it('binds on a low-rate curve in a downward shock', () => {
    // base −0.5% at 1Y, −200bp: −2.5% is below the −1.47% floor.
    expect(shockedZero(-0.005, 1, -0.02, 'eu')).toBeCloseTo(-0.0147, 15);
    expect(shockedZero(-0.005, 1, -0.02, 'none')).toBeCloseTo(-0.025, 15);
  });

  it('leaves a base already below the floor where it is', () => {
    expect(shockedZero(-0.02, 1, -0.02, 'eu')).toBeCloseTo(-0.02, 15);
  });

  it('does not bind when the shocked rate stays above the floor', () => {
    expect(shockedZero(0.03, 1, -0.02, 'eu')).toBeCloseTo(0.01, 15);
    expect(shockedZero(0.005, 10, -0.02, 'eu')).toBeCloseTo(-0.012, 15);
  });

  it('never floors an upward move', () => {
    expect(shockedZero(-0.03, 1, 0.005, 'eu')).toBeCloseTo(-0.025, 15);
  });
});

describe('shockedCurve', () => {
  it('applies the shock after interpolation and keeps id and pillars', () => {
    const base = zeroCurve('EUR_ESTR_OIS', 'EUR', Float64Array.of(1, 10), Float64Array.of(-0.005, 0.01));
    const down = shockedCurve(base, (t) => -0.02 * Math.exp(-t / 4), 'eu');
    expect(down.id).toBe('EUR_ESTR_OIS');
    expect(Array.from(down.times)).toEqual([1, 10]);
    // t = 1: −0.005 − 0.02·e^(−0.25) = −0.02058 < floor −0.0147 → floor.
    expect(down.zero(1)).toBeCloseTo(-0.0147, 15);
    expect(down.rates[0]).toBeCloseTo(-0.0147, 15);
    // t = 10: 0.01 − 0.02·e^(−2.5) = 0.0083583 (above the floor).
    expect(down.zero(10)).toBeCloseTo(0.01 - 0.02 * Math.exp(-2.5), 15);
    // t = 5.5 lies between pillars: base 0.0025, shock −0.02·e^(−1.375).
    expect(down.zero(5.5)).toBeCloseTo(0.0025 - 0.02 * Math.exp(-1.375), 15);
    expect(down.discount(5.5)).toBeCloseTo(Math.exp(-(0.0025 - 0.02 * Math.exp(-1.375)) * 5.5), 15);
  });
});
