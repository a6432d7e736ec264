import { describe, expect, it } from 'vitest';
import { parseTenor } from './tenor.ts';

const years = (token: string): number => {
  const r = parseTenor(token);
  if (!r.ok) throw new Error(r.reason);
  return r.years;
};

describe('parseTenor', () => {
  it('maps tokens to pillar times as in methodology §1.2', () => {
    expect(years('ON')).toBeCloseTo(1 / 365, 15);
    expect(years('on')).toBeCloseTo(1 / 365, 15);
    expect(years('10D')).toBeCloseTo(10 / 365, 15);
    expect(years(' 2w ')).toBeCloseTo(14 / 365, 15);
    expect(years('18M')).toBe(1.5);
    expect(years('12M')).toBe(1);
    expect(years('30Y')).toBe(30);
  });

  it('explains what a bad token should look like', () => {
    for (const bad of ['', '3', 'M3', '1.5Y', '0M', '-1Y', 'TN', '3Q']) {
      const r = parseTenor(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toContain(bad.trim() === '' ? '""' : bad);
    }
  });
});
