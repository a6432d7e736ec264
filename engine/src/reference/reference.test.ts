import { describe, expect, it } from 'vitest';
import type { PositionRecord } from '../positions.ts';
import type { AnalysisSettings } from '../settings.ts';
import { REGULATORY_SCENARIO_IDS } from '../scenarios.ts';
import { syntheticBalanceSheet } from '../synthetic.ts';
import { recordsOf } from './columns-to-records.ts';
import { compareBook, describeDifference, type Book } from './compare.ts';
import { REPRODUCTION_CURVES, manyResetsPerPeriod, nmdEveryDayCount, scheduledFloaters, shortFloaters } from './issue-cases.ts';
import { mulberry32, randomBook, randomCurves, randomNmdAssumptions } from './random-book.ts';

// analyse() against the reference engine, position by position and for the whole book, every
// figure to 1e-9 relative: EVE full and standardised and NII (total and each month) in base and
// the six scenarios, and the repricing gap's 2 × 19 buckets; for each book also the outlier tests'
// worst deltas and verdicts.

const asOf = '2025-06-12';

function settings(asOf: string, horizon: number, floor: 'eu' | 'none', nmd?: AnalysisSettings['nmd']): AnalysisSettings {
  return { asOf, method: 'full', floor, scenarios: [...REGULATORY_SCENARIO_IDS], niiHorizonMonths: horizon, balanceSheet: 'constant', ...(nmd ? { nmd } : {}) };
}

function expectSame(book: Book): void {
  const found = compareBook(book);
  expect(found.length, found[0] && describeDifference(found[0], found.length)).toBe(0);
}

describe('analyse() equals the reference on seeded random books', () => {
  // as_of on a 29 February, a month end, the 28th before a leap day, mid-month; horizons 12–120
  // months; markets from low (the EU floor binds at the short end) to high; both floors
  const cases = [
    { seed: 11, tier1Share: 0.02, asOf: '2024-02-29', horizon: 12, floor: 'eu', level: 0.002, nmd: true },
    { seed: 12, tier1Share: 0.2, asOf: '2025-06-12', horizon: 24, floor: 'none', level: 0.025, nmd: false },
    { seed: 13, tier1Share: 0.05, asOf: '2025-01-31', horizon: 60, floor: 'eu', level: -0.004, nmd: true },
    { seed: 14, tier1Share: 0.5, asOf: '2024-02-28', horizon: 120, floor: 'eu', level: 0.03, nmd: true },
    { seed: 15, tier1Share: 0.1, asOf: '2025-12-31', horizon: 36, floor: 'none', level: 0.001, nmd: false },
  ] as const;
  for (const c of cases) {
    // 120 months cost the engine ~0.1 s a position on its own (its renewal tables span the horizon)
    const count = c.horizon > 60 ? 16 : 32;
    it(`seed ${c.seed}: ${count} positions, as of ${c.asOf}, NII ${c.horizon} months, floor ${c.floor}`, () => {
      const r = mulberry32(c.seed);
      const book = randomBook(r, { asOf: c.asOf, count }, `R${c.seed}-`);
      // Tier 1 as a share of the book's notional: some books breach a limit, others pass
      const tier1 = c.tier1Share * book.positions.reduce((sum, p) => sum + p.notional, 0);
      expectSame({ ...book, curves: randomCurves(r, c.level), settings: { ...settings(c.asOf, c.horizon, c.floor, c.nmd ? randomNmdAssumptions(r) : undefined), tier1 } });
    });
  }
});

describe('analyse() equals the reference on the cases of the independent check', () => {
  it('non-maturing deposits in every day count and category, with and without assumptions, 12 and 60 months', () => {
    const r = mulberry32(21);
    const positions = nmdEveryDayCount(r);
    const curves = randomCurves(r, 0.02);
    expectSame({ positions, schedules: [], curves, settings: settings(asOf, 12, 'eu') });
    expectSame({ positions, schedules: [], curves, settings: settings('2024-02-29', 60, 'eu', randomNmdAssumptions(r)) });
  });

  for (const horizon of [12, 24, 48, 84, 120]) {
    it(`short floaters renewing past their maturity, NII ${horizon} months`, () => {
      const r = mulberry32(30 + horizon);
      expectSame({ positions: shortFloaters(r, asOf, 12), schedules: [], curves: randomCurves(r, 0.02), settings: settings(asOf, horizon, 'eu') });
    });
  }

  it('floating scheduled contracts with schedule rows before the next reset', () => {
    const r = mulberry32(41);
    expectSame({ ...scheduledFloaters(r, asOf, 12), curves: REPRODUCTION_CURVES, settings: settings(asOf, 24, 'eu') });
  });

  it('payment periods holding several resets, 12 and 36 months', () => {
    const r = mulberry32(51);
    const positions = manyResetsPerPeriod(r, asOf, 16);
    const curves = randomCurves(r, 0.02);
    expectSame({ positions, schedules: [], curves, settings: settings(asOf, 12, 'eu') });
    expectSame({ positions, schedules: [], curves, settings: settings('2024-02-29', 36, 'none') });
  });
});

describe('analyse() equals the reference on the bench book', () => {
  it('the synthetic bank: 60 positions holding all 14 products (seed 6), EUR and USD, with NMD assumptions', () => {
    const bank = syntheticBalanceSheet({ positions: 60, asOf: '2025-03-31', seed: 6 });
    const book = recordsOf(bank.positions, bank.schedules);
    const tier1 = 0.05 * book.positions.reduce((sum, p) => sum + p.notional, 0);
    expectSame({ ...book, curves: bank.curves, settings: { ...settings('2025-03-31', 12, 'eu', randomNmdAssumptions(mulberry32(71))), tier1 } });
  });
});

describe('differences the reference found, fixed', () => {
  // Standardised EVE (FlowGenerator.run's truncation at the next reset) cut a forward-starting
  // floater whose next_reset_date falls before its start_date at that reset with the coupon
  // balance·rate·τ(start, reset) — a negative τ, so a negative coupon (−1,000,000 × 3% × 30/360
  // here: EVE standardised base 996,706.72 against the reference's 999,204.73). The coupon now
  // accrues over [start, reset] only when the reset is after the start, as the reference does.
  // The random books draw forward starts whose next reset is on or after the start, so this case
  // is kept here on its own.
  it('a forward-starting floater whose next reset falls before its start', () => {
    const fs: PositionRecord = {
      position_id: 'FS', side: 'asset', product: 'loan', currency: 'EUR', notional: 1_000_000, start_date: '2025-07-24',
      maturity_date: '2027-07-24', amortization: 'bullet', rate_type: 'floating', rate: 0.03, index: 'EUR_EURIBOR_3M', spread: 0.01,
      payment_frequency_months: 3, reset_frequency_months: 3, next_reset_date: '2025-06-24', day_count: 'ACT/360',
    };
    const found = compareBook({ positions: [fs], schedules: [], curves: REPRODUCTION_CURVES, settings: settings(asOf, 12, 'eu') });
    expect(found, found[0] && describeDifference(found[0], found.length)).toEqual([]);
  });
});

describe('the comparison fails when a figure differs', () => {
  it('names the one position whose rate the engine sees differently, with both figures', () => {
    const r = mulberry32(61);
    const book: Book = { ...randomBook(r, { asOf, count: 6, amortizations: ['bullet'], floating: 0 }, 'C'), curves: randomCurves(r, 0.02), settings: settings('2025-06-12', 12, 'eu') };
    const changed = { ...book, positions: book.positions.map((p, k) => (k === 3 ? { ...p, rate: p.rate + 0.001 } : p)) };
    // the engine reads `changed`, the reference `book`: compare the two by swapping one position in
    const found = compareBook(changed, 1e-9, book.positions);
    const positions = new Set(found.map((d) => (d.position === 'book' ? 'book' : d.position.position_id)));
    expect([...positions].sort()).toEqual(['C3', 'book']);
    const first = found.find((d) => d.figure === 'EVE full base' && d.position !== 'book');
    expect(first).toBeDefined();
    expect(first!.engine).not.toBeCloseTo(first!.reference, 2);
    expect(describeDifference(first!, found.length)).toContain('"position_id":"C3"');
  });
});
