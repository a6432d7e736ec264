import { describe, expect, it } from 'vitest';
import { analyse } from '../analyse.ts';
import type { NmdAssumption } from '../behaviour.ts';
import { buildCurveSet } from '../curve-set.ts';
import { PositionsBuilder } from '../position-builder.ts';
import type { DayCount, PositionRecord } from '../positions.ts';
import { defaultSettings, type AnalysisSettings } from '../settings.ts';
import { ESTR_OIS, HandMarket, REPRODUCTION_CURVE_ROWS, days, plusMonths } from '../testing/hand-market.ts';

// §1.1: day_count is the accrual basis of every position, non-maturing deposits included.

const built = buildCurveSet(REPRODUCTION_CURVE_ROWS);
if (!built.ok) throw new Error(JSON.stringify(built.errors));
const curves = built.curves;

const deposit = (id: string, dayCount: DayCount, notional = 1_000_000): PositionRecord => ({
  position_id: id, side: 'liability', product: 'sight_deposit', currency: 'EUR', notional,
  amortization: 'non_maturing', rate_type: 'fixed', rate: 0.01, day_count: dayCount,
});

function run(asOf: string, records: PositionRecord[], settings: Partial<AnalysisSettings> = {}) {
  const b = new PositionsBuilder();
  records.forEach((r) => b.add(r));
  return analyse({ positions: b.build(), curves, settings: { ...defaultSettings(asOf), scenarios: ['parallel_up', 'parallel_down'], ...settings } });
}

/** Accrual fraction of [from, to) by the definitions of §2. */
function fraction(dayCount: DayCount, from: string, to: string): number {
  if (dayCount === 'ACT/360') return days(from, to) / 360;
  if (dayCount === 'ACT/365') return days(from, to) / 365;
  const [y1, m1, d1] = from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = to.split('-').map(Number) as [number, number, number];
  if (dayCount === '30/360') {
    // US (NASD): the February-end rules, then D2 = 31 with D1 ≥ 30 → 30, D1 = 31 → 30
    const februaryEnd = (y: number, m: number, d: number) => m === 2 && d === days(`${y}-02-01`, `${y}-03-01`);
    let a = d1;
    let b = d2;
    if (februaryEnd(y1, m1, d1) && februaryEnd(y2, m2, d2)) b = 30;
    if (februaryEnd(y1, m1, d1)) a = 30;
    if (b === 31 && a >= 30) b = 30;
    if (a === 31) a = 30;
    return (360 * (y2 - y1) + 30 * (m2 - m1) + (b - a)) / 360;
  }
  // ACT/ACT ISDA: the days in each calendar year over that year's length
  let total = 0;
  for (let y = y1; y <= y2; y++) {
    const lo = y === y1 ? from : `${y}-01-01`;
    const hi = y === y2 ? to : `${y + 1}-01-01`;
    total += days(lo, hi) / days(`${y}-01-01`, `${y + 1}-01-01`);
  }
  return total;
}

/**
 * NII of a 1,000,000 liability at 1% repricing overnight (no assumption: all of it the day after
 * as_of) over 12 months: its rate on the whole horizon, plus the scenario change of the overnight
 * zero rate from the day after as_of.
 */
function overnightNii(asOf: string, dayCount: DayCount, shift: number): number {
  const end = plusMonths(asOf, 12);
  const base = new HandMarket(asOf, ESTR_OIS);
  const shocked = new HandMarket(asOf, ESTR_OIS, () => shift);
  const change = shocked.zero(1 / 365) - base.zero(1 / 365);
  const dayAfter = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return -1_000_000 * (0.01 * fraction(dayCount, asOf, end) + change * fraction(dayCount, dayAfter, end));
}

describe('NMD interest in the position day count', () => {
  it('D1 (ACT/360): NII base −10,138.89, parallel up −30,361.11', () => {
    const r = run('2025-06-12', [deposit('D1', 'ACT/360')]);
    expect(overnightNii('2025-06-12', 'ACT/360', 0)).toBeCloseTo(-10_138.89, 2);
    expect(overnightNii('2025-06-12', 'ACT/360', 0.02)).toBeCloseTo(-30_361.11, 2);
    expect(r.nii.base).toBeCloseTo(overnightNii('2025-06-12', 'ACT/360', 0), 6);
    expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(overnightNii('2025-06-12', 'ACT/360', 0.02), 6);
    expect(r.nii.scenarios['parallel_down']!.value).toBeCloseTo(overnightNii('2025-06-12', 'ACT/360', -0.02), 6);
    // the monthly profile accrues 1% on 30 or 31 days over 360
    expect(r.nii.profile[0]!.base).toBeCloseTo((-1_000_000 * 0.01 * 30) / 360, 6);
  });

  const cases: [DayCount, string][] = [
    ['ACT/365', '2025-06-12'],
    ['30/360', '2025-06-12'],
    ['ACT/ACT', '2025-06-12'],
    ['ACT/ACT', '2027-06-12'], // the horizon holds 29 February 2028: 203/365 + 163/366
    ['ACT/360', '2027-06-12'],
    ['30/360', '2025-06-30'], // month ends: the horizon accrues 360/360, not the 358 of its month-by-month pieces
    ['30/360', '2027-08-31'], // the horizon holds 29 February 2028
  ];
  for (const [dayCount, asOf] of cases) {
    it(`${dayCount} from ${asOf}: base and parallel up as the day count accrues them`, () => {
      const r = run(asOf, [deposit('D', dayCount)]);
      expect(r.nii.base).toBeCloseTo(overnightNii(asOf, dayCount, 0), 6);
      expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(overnightNii(asOf, dayCount, 0.02), 6);
    });
  }

  it('ACT/ACT across 29 February differs from ACT/365 by the leap day', () => {
    const leap = run('2027-06-12', [deposit('D', 'ACT/ACT')]).nii.base;
    const act365 = run('2027-06-12', [deposit('D', 'ACT/365')]).nii.base;
    expect(leap).toBeCloseTo(-1_000_000 * 0.01 * (203 / 365 + 163 / 366), 6);
    expect(act365).toBeCloseTo(-1_000_000 * 0.01 * (366 / 365), 6);
  });

  it('deposits of one category in different day counts each accrue in their own (both methods, runoff too)', () => {
    const book = [deposit('A', 'ACT/360'), deposit('B', '30/360', 2_000_000), deposit('C', 'ACT/ACT', 3_000_000)];
    const expected = (shift: number) => overnightNii('2025-06-12', 'ACT/360', shift) + 2 * overnightNii('2025-06-12', '30/360', shift) + 3 * overnightNii('2025-06-12', 'ACT/ACT', shift);
    for (const method of ['full', 'standardised'] as const) {
      const r = run('2025-06-12', book, { method });
      expect(r.nii.base).toBeCloseTo(expected(0), 6);
      expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(expected(0.02), 6);
    }
    // run-off balance sheet: the overnight balances leave the day after as_of, one day of interest each
    const runoff = run('2025-06-12', book, { balanceSheet: 'runoff' });
    expect(runoff.nii.base).toBeCloseTo(-0.01 * (1_000_000 / 360 + (2_000_000 * 1) / 360 + (3_000_000 * 1) / 365), 6);
  });

  it('core run-off slices reprice at their month in the day count (ACT/360, core 40% over 23 months)', () => {
    // average maturity 1 year: 23 equal monthly slices (linear profile, 2·12 − 1 months), core = 0.8 × 0.5
    const nmd: NmdAssumption[] = [{ category: 'retail_transactional', stableShare: 0.8, coreShare: 0.5, averageMaturityYears: 1 }];
    const asOf = '2025-06-12';
    const end = plusMonths(asOf, 12);
    const r = run(asOf, [{ ...deposit('D', 'ACT/360'), nmd_category: 'retail_transactional' }], { nmd });
    let repriced = 0.6 * fraction('ACT/360', '2025-06-13', end);
    for (let k = 1; k < 12; k++) repriced += (0.4 / 23) * fraction('ACT/360', plusMonths(asOf, k), end);
    const change = new HandMarket(asOf, ESTR_OIS, () => 0.02).zero(1 / 365) - new HandMarket(asOf, ESTR_OIS).zero(1 / 365);
    expect(r.nii.base).toBeCloseTo(-1_000_000 * 0.01 * (365 / 360), 6);
    expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(-1_000_000 * (0.01 * (365 / 360) + change * repriced), 6);
  });
});
