import { describe, expect, it } from 'vitest';
import { addPoint, bpAtRate, clampBp, flatPoints, pointsFromPreview, removePoint, setBp, STANDARD_TENORS, tenorLabel } from './scenarioPoints.ts';

describe('scenario points', () => {
  it('start flat at the standard tenors; set, add in order, refuse a tenor twice, remove', () => {
    const flat = flatPoints();
    expect(flat.map((p) => p.tenorYears)).toEqual([...STANDARD_TENORS]);
    expect(flat.every((p) => p.bp === 0)).toBe(true);
    const set = setBp(flat, 5, 50);
    expect(set[5]).toEqual({ tenorYears: 5, bp: 50 });
    expect(flat[5]!.bp).toBe(0);
    const added = addPoint(set, { tenorYears: 4, bp: 10 })!;
    expect(added.map((p) => p.tenorYears).slice(4, 7)).toEqual([3, 4, 5]);
    expect(addPoint(added, { tenorYears: 4, bp: 99 })).toBeNull();
    expect(removePoint(added, 0)[0]!.tenorYears).toBe(0.5);
  });

  it('a drag gives whole bp against the base rate, within the route\'s ±5000', () => {
    expect(bpAtRate(0.0275, 0.02)).toBe(75);
    expect(bpAtRate(0.01996, 0.02)).toBe(0);
    expect(clampBp(7000)).toBe(5000);
    expect(clampBp(-7000)).toBe(-5000);
    expect(clampBp(12)).toBe(12);
  });

  it('copies a built-in shape from a preview (shocked − base, 0.1 bp)', () => {
    const preview = [{ tenorYears: 1, base: 0.02, shocked: 0.0225 }, { tenorYears: 5, base: 0.025, shocked: 0.02312345 }];
    expect(pointsFromPreview([{ tenorYears: 1, bp: 0 }, { tenorYears: 5, bp: 0 }, { tenorYears: 8, bp: 3 }], preview))
      .toEqual([{ tenorYears: 1, bp: 25 }, { tenorYears: 5, bp: -18.8 }, { tenorYears: 8, bp: 3 }]);
  });
});

describe('tenorLabel', () => {
  it('days, months below two years, else years', () => {
    expect([1 / 365, 7 / 365, 1 / 12, 0.25, 0.75, 1, 1.5, 2, 7, 30, 4.5].map(tenorLabel)).toEqual(['1D', '7D', '1M', '3M', '9M', '1Y', '18M', '2Y', '7Y', '30Y', '4.5Y']);
  });
});
