import { describe, expect, it } from 'vitest';
import { baseDimension } from './breakdown.ts';
import { flowSpanDays } from './cashflows/behaviour-rate.ts';
import { nmdPlan } from './cashflows/nmd-flows.ts';
import { buildScenarioMarkets } from './cashflows/scenario-market.ts';
import { indexSchedules } from './cashflows/schedule-index.ts';
import { buildCurveSet } from './curve-set.ts';
import { parseIsoDate } from './dates.ts';
import { evePass } from './eve/eve-pass.ts';
import { PositionsBuilder } from './position-builder.ts';
import type { PositionColumns, ScheduleColumns } from './positions.ts';
import { defaultSettings, resolveSettings } from './settings.ts';
import { syntheticBalanceSheet } from './synthetic.ts';
import { balancedCut, positionWork, reorderBook, workOfParts } from './work-split.ts';

const AS_OF = '2025-06-30';
const asOf = parseIsoDate(AS_OF) as number;

/** `deposits` current accounts, then `loans` fixed bullet loans with 10 annual payments left. */
function nmdThenLoans(deposits: number, loans: number, loansFirst = false): PositionColumns {
  const b = new PositionsBuilder();
  const deposit = (k: number) => b.add({ position_id: `d${k}`, side: 'liability', product: 'current_account', currency: 'EUR', notional: 1e4, amortization: 'non_maturing', rate_type: 'fixed', rate: 0, nmd_category: 'retail_transactional' });
  // 2034-12-30 is 9.5 years (~114 months) away: 10 annual payments remain
  const loan = (k: number) => b.add({ position_id: `l${k}`, side: 'asset', product: 'loan', currency: 'EUR', notional: 1e5, start_date: '2024-12-30', maturity_date: '2034-12-30', amortization: 'bullet', rate_type: 'fixed', rate: 0.03 });
  if (loansFirst) for (let k = 0; k < loans; k++) loan(k);
  for (let k = 0; k < deposits; k++) deposit(k);
  if (!loansFirst) for (let k = 0; k < loans; k++) loan(k);
  return b.build();
}

/** The synthetic book sorted by product code (stable), as a bank extract often is. */
function byProduct(n: number, seed: number): { positions: PositionColumns; schedules: ScheduleColumns } {
  const data = syntheticBalanceSheet({ positions: n, asOf: AS_OF, seed });
  const codes = data.positions.product.codes;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (codes[a] as number) - (codes[b] as number));
  return reorderBook(data.positions, data.schedules, order);
}

describe('positionWork', () => {
  it('prices a deposit, a fixed loan, a behavioural loan and a floating loan by payments × lanes', () => {
    const p = nmdThenLoans(1, 1);
    expect(positionWork(p, asOf, 0, { pass: 'eve' })).toBe(0.01);
    expect(positionWork(p, asOf, 0)).toBe(0.02);
    // EVE: 1 + 0.013 × 10 payments; NII: 0.6 + 0.065 × 1 payment inside 12 months
    expect(positionWork(p, asOf, 1, { pass: 'eve' })).toBeCloseTo(1.13, 12);
    expect(positionWork(p, asOf, 1, { pass: 'nii' })).toBeCloseTo(0.665, 12);
    expect(positionWork(p, asOf, 1)).toBeCloseTo(1.795, 12);
    p.cpr[1] = 0.05; // three behaviour variants
    expect(positionWork(p, asOf, 1, { pass: 'eve' })).toBeCloseTo(1 + 0.013 * 30, 12);
    p.rateType[1] = 1; // floating: one lane per scenario
    expect(positionWork(p, asOf, 1, { pass: 'eve', scenarios: 7 })).toBeCloseTo(1 + 0.013 * 70, 12);
    expect(positionWork(p, asOf, 1, { pass: 'nii', scenarios: 3 })).toBeCloseTo(0.6 + 0.065 * 3, 12);
    expect(positionWork(p, asOf, 1, { pass: 'nii', horizonMonths: 36 })).toBeCloseTo(0.6 + 0.065 * 3 * 7, 12);
    p.maturityDate[1] = asOf; // matured: nothing to project
    expect(positionWork(p, asOf, 1)).toBe(0.02);
  });
});

describe('balancedCut', () => {
  it('cuts deposits-then-loans where the estimated EVE work halves, not at half the count', () => {
    // 600 × 0.01 + 400 × 1.13 = 458; half = 229 = 6 + 197.3 loans → the 197th loan's midpoint
    // (6 + 196 × 1.13 + 0.565 = 228.0) lies below 229, the 198th's above
    expect(balancedCut(nmdThenLoans(600, 400), asOf, 2, { pass: 'eve' })).toEqual([0, 797, 1000]);
    // loans first: 229 / 1.13 = 202.7 → 203 loans
    expect(balancedCut(nmdThenLoans(600, 400, true), asOf, 2, { pass: 'eve' })).toEqual([0, 203, 1000]);
    // three parts: 152.7 and 305.3 → 6 + 130 loans, 6 + 265 loans
    expect(balancedCut(nmdThenLoans(600, 400), asOf, 3, { pass: 'eve' })).toEqual([0, 730, 865, 1000]);
  });

  it('balances a product-sorted synthetic book to 0.1% where a count split is lopsided', () => {
    const { positions: p } = byProduct(20_000, 11);
    for (const pass of ['eve', 'nii', 'run'] as const) {
      const cuts = balancedCut(p, asOf, 2, { pass });
      const [a, b] = workOfParts(p, asOf, cuts, { pass }) as [number, number];
      expect(Math.abs(a - b) / (a + b)).toBeLessThan(1e-3);
      const [c, d] = workOfParts(p, asOf, [0, 10_000, 20_000], { pass }) as [number, number];
      expect(c / d).toBeGreaterThan(1.5); // mortgages and floating loans come first
      expect(cuts[1]).toBeLessThan(8_000);
    }
    // EVE weighs the 30-year mortgages more than NII (12 months) does: its cut comes earlier
    expect(balancedCut(p, asOf, 2, { pass: 'eve' })[1]).toBeLessThan(balancedCut(p, asOf, 2, { pass: 'nii' })[1] as number);
  });

  it('returns parts + 1 non-decreasing boundaries from 0 to n, and rejects a bad part count', () => {
    const { positions: p } = byProduct(3_000, 2);
    const largest = Math.max(...Array.from({ length: 3_000 }, (_, i) => positionWork(p, asOf, i)));
    for (const parts of [1, 3, 4, 7]) {
      const cuts = balancedCut(p, asOf, parts);
      expect(cuts).toHaveLength(parts + 1);
      expect(cuts[0]).toBe(0);
      expect(cuts[parts]).toBe(3_000);
      for (let k = 1; k <= parts; k++) expect(cuts[k]).toBeGreaterThanOrEqual(cuts[k - 1] as number);
      const work = workOfParts(p, asOf, cuts);
      const mean = work.reduce((x, y) => x + y, 0) / parts;
      // each boundary sits within half a position of its target: a part is off by at most one position's work
      for (const w of work) expect(Math.abs(w - mean)).toBeLessThanOrEqual(largest);
      for (const w of work) expect(Math.abs(w - mean) / mean).toBeLessThan(0.02);
    }
    expect(balancedCut(nmdThenLoans(0, 0), asOf, 3)).toEqual([0, 0, 0, 0]);
    expect(() => balancedCut(p, asOf, 0)).toThrow(/parts must be a whole number ≥ 1, got 0/);
    expect(() => balancedCut(p, asOf, 1.5)).toThrow(RangeError);
  });
});

describe('reorderBook', () => {
  it('gives the same EVE per scenario in any order, with the schedules following their positions', () => {
    const data = syntheticBalanceSheet({ positions: 4_000, asOf: AS_OF, seed: 5 });
    const reversed = reorderBook(data.positions, data.schedules, Array.from({ length: 4_000 }, (_, k) => 3_999 - k));
    expect(reversed.positions.id[0]).toBe(data.positions.id[3_999]);
    expect(reversed.positions.notional[1]).toBe(data.positions.notional[3_998]);
    expect(reversed.schedules.length).toBe(data.schedules.length);
    const first = data.schedules.positionIndex[0] as number;
    expect(reversed.schedules.positionIndex[reversed.schedules.length - 1]).toBe(3_999 - first);
    const built = buildCurveSet(data.curves);
    if (!built.ok) throw new Error('synthetic curves rejected');
    const eve = ({ positions: p, schedules: s }: { positions: PositionColumns; schedules: ScheduleColumns }): number[] => {
      const settings = resolveSettings(defaultSettings(AS_OF), p, built.curves);
      const plan = nmdPlan(asOf, []);
      const span = flowSpanDays(p, asOf, plan.maxMonths, 12);
      const markets = buildScenarioMarkets(p, built.curves, settings.scenarios, 'eu', span, false);
      const dims = [baseDimension(p)];
      const values = evePass({ positions: p, schedules: indexSchedules(s, p.length), asOf, method: 'full', markets, dims, nmd: plan, span });
      return (values.byGroup[0] as Float64Array[]).map((byGroup) => byGroup.reduce((x, y) => x + y, 0));
    };
    const original = eve(data);
    const again = eve(reversed);
    expect(original).toHaveLength(7);
    expect(Math.abs(original[0] as number)).toBeGreaterThan(1e6);
    original.forEach((value, s) => expect(Math.abs((again[s] as number) - value) / Math.abs(value)).toBeLessThan(1e-9));
  });

  it('rejects an order that is not a permutation', () => {
    const data = syntheticBalanceSheet({ positions: 10, asOf: AS_OF, seed: 1 });
    expect(() => reorderBook(data.positions, data.schedules, [0, 1, 2])).toThrow(/order has 3 entries for 10 positions/);
    expect(() => reorderBook(data.positions, data.schedules, [0, 1, 2, 3, 4, 5, 6, 7, 8, 8])).toThrow(/not a permutation of 0..9 \(entry 9: 8\)/);
  });
});
