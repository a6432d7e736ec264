import { describe, expect, it } from 'vitest';
import { buildCurveSet, type CurveRow } from './curve-set.ts';

const rows: CurveRow[] = [
  { curve_id: 'EUR_EURIBOR_3M', tenor: '1Y', rate: 0.03 },
  { curve_id: 'EUR_EURIBOR_3M', tenor: '3M', rate: 0.028 },
  { curve_id: 'EUR_ESTR_OIS', tenor: 'ON', rate: 0.024 },
  { curve_id: 'EUR_ESTR_OIS', tenor: '10Y', rate: 0.027 },
  { curve_id: 'USD-SOFR-3M', tenor: '6M', rate: 0.045 },
  { curve_id: 'USD-SOFR-3M', tenor: '5Y', rate: 0.04 },
];

describe('buildCurveSet', () => {
  it('groups rows into sorted curves and picks discount curves by §1.2', () => {
    const r = buildCurveSet(rows);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.curves.ids()).toEqual(['EUR_EURIBOR_3M', 'EUR_ESTR_OIS', 'USD-SOFR-3M']);
    expect(r.curves.currencies()).toEqual(['EUR', 'USD']);
    expect(r.curves.discountCurveId('EUR')).toBe('EUR_ESTR_OIS');
    expect(r.curves.discountCurveId('USD')).toBe('USD-SOFR-3M'); // no OIS curve: first USD curve
    expect(r.curves.discountCurveId('GBP')).toBeUndefined();
    const euribor = r.curves.get('EUR_EURIBOR_3M');
    expect(Array.from(euribor?.times ?? [])).toEqual([0.25, 1]);
    expect(euribor?.zero(0.625)).toBeCloseTo(0.029, 15);
    expect(r.curves.discountCurve('EUR')?.zero(0)).toBe(0.024);
  });

  it('honours a configured discount curve', () => {
    const r = buildCurveSet(rows, { discountCurves: { EUR: 'EUR_EURIBOR_3M' } });
    expect(r.ok && r.curves.discountCurveId('EUR')).toBe('EUR_EURIBOR_3M');
  });

  it('reports every bad row with its 1-based row number', () => {
    const r = buildCurveSet([
      { curve_id: 'EUR_ESTR_OIS', tenor: '12M', rate: 0.02 },
      { curve_id: 'EUR_ESTR_OIS', tenor: '3X', rate: 0.02 },
      { curve_id: 'EUR_ESTR_OIS', tenor: '1Y', rate: 0.021 },
      { curve_id: 'EUR_ESTR_OIS', tenor: '2Y', rate: Number.NaN },
      { curve_id: 'euribor3m', tenor: '1Y', rate: 0.02 },
      { curve_id: 'euribor3m', tenor: '2Y', rate: 0.02 },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.row, e.column, e.value])).toEqual([
      [2, 'tenor', '3X'],
      [3, 'tenor', '1Y'],
      [4, 'rate', 'NaN'],
      [5, 'curve_id', 'euribor3m'],
    ]);
    expect(r.errors[1]?.reason).toContain('12M');
  });

  it('refuses a discount curve that is missing or of another currency', () => {
    const r = buildCurveSet(rows, { discountCurves: { EUR: 'EUR_MISSING', USD: 'EUR_ESTR_OIS' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.value)).toEqual(['EUR=EUR_MISSING', 'USD=EUR_ESTR_OIS']);
    expect(r.errors[0]?.reason).toContain('not among the curves');
  });
});
