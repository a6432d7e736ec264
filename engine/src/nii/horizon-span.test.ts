import { describe, expect, it } from 'vitest';
import { analyse } from '../analyse.ts';
import { buildCurveSet } from '../curve-set.ts';
import { UnvaluedPositionError } from '../invariants.ts';
import { PositionsBuilder } from '../position-builder.ts';
import type { PositionRecord } from '../positions.ts';
import { defaultSettings, type AnalysisSettings } from '../settings.ts';
import { EURIBOR_3M, HandMarket, REPRODUCTION_CURVE_ROWS, days, overlap, plusMonths } from '../testing/hand-market.ts';

// Short floaters renewing past their maturity (§7 constant balance sheet): the day grids must
// reach the NII horizon plus a renewal period, and no figure may leave a run as NaN/null.

const AS_OF = '2025-06-12';
const built = buildCurveSet(REPRODUCTION_CURVE_ROWS);
if (!built.ok) throw new Error(JSON.stringify(built.errors));
const curves = built.curves;

function run(records: PositionRecord[], settings: Partial<AnalysisSettings> = {}) {
  const b = new PositionsBuilder();
  records.forEach((r) => b.add(r));
  return analyse({ positions: b.build(), curves, settings: { ...defaultSettings(AS_OF), ...settings } });
}

/** X1 of the issue: a 4-month interbank floater, ACT/360, renewed quarterly at forwards + spread. */
const X1: PositionRecord = {
  position_id: 'X1',
  side: 'asset',
  product: 'interbank_loan',
  currency: 'EUR',
  notional: 1_000_000,
  start_date: '2025-03-12',
  maturity_date: '2025-07-12',
  amortization: 'bullet',
  rate_type: 'floating',
  rate: 0.025,
  index: 'EUR_EURIBOR_3M',
  spread: 0.001,
  payment_frequency_months: 3,
  reset_frequency_months: 3,
  next_reset_date: '2025-07-12',
  day_count: 'ACT/360',
};

/**
 * NII of 1,000,000 (ACT/360, spread 0.1%) paying `rate0` until `firstReset` and from then on
 * re-fixed every `months` months (from that anchor) at the EURIBOR 3M forward + spread — the
 * contract's own resets and its renewals after maturity follow the same roll — accrued day by
 * day over the horizon.
 */
function quarterlyChainNii(market: HandMarket, rate0: number, firstReset: string, months: number, horizonMonths: number): number {
  const end = plusMonths(AS_OF, horizonMonths);
  let nii = (1_000_000 * rate0 * overlap(AS_OF, firstReset, AS_OF, end)) / 360;
  for (let n = 0; ; n++) {
    const from = plusMonths(firstReset, n * months);
    if (days(from, end) <= 0) break;
    const to = plusMonths(firstReset, (n + 1) * months);
    const rate = market.forward(from, to, days(from, to) / 360) + 0.001;
    nii += (1_000_000 * rate * overlap(from, to, AS_OF, end)) / 360;
  }
  return nii;
}

const base = new HandMarket(AS_OF, EURIBOR_3M);
const down = new HandMarket(AS_OF, EURIBOR_3M, () => -0.02);

describe('NII of floaters renewing past the day grid (issue X1)', () => {
  it('X1: NII base 23,362.97 (30 days at 2.5%, then quarterly renewals at forwards + 0.1%), every NII figure a number', () => {
    const expected = quarterlyChainNii(base, 0.025, '2025-07-12', 3, 12);
    expect(expected).toBeCloseTo(23_362.97, 2);
    const r = run([X1]);
    expect(r.nii.base).toBeCloseTo(expected, 6);
    expect(r.nii.profile).toHaveLength(12);
    for (const month of r.nii.profile) {
      expect(Number.isFinite(month.base)).toBe(true);
      for (const value of Object.values(month.scenarios)) expect(Number.isFinite(value)).toBe(true);
    }
    expect(r.nii.profile.reduce((s, m) => s + m.base, 0)).toBeCloseTo(expected, 6);
    for (const s of Object.values(r.nii.scenarios)) expect(Number.isFinite(s.delta)).toBe(true);
    expect(r.nii.by_currency[0]!.base).toBeCloseTo(expected, 6);
    expect(Number.isFinite(r.nii.worst.delta)).toBe(true);
  });

  it('X1 with Tier 1 1,000: ΔNII parallel down −18,411.84 breaches −5% of Tier 1 and is flagged', () => {
    const delta = quarterlyChainNii(down, 0.025, '2025-07-12', 3, 12) - quarterlyChainNii(base, 0.025, '2025-07-12', 3, 12);
    expect(delta).toBeCloseTo(-18_411.84, 2);
    const r = run([X1], { tier1: 1000 });
    expect(r.nii.scenarios['parallel_down']!.delta).toBeCloseTo(delta, 6);
    expect(r.sot.nii).toEqual({ threshold: -50, worst_scenario: 'parallel_down', worst_delta: r.nii.scenarios['parallel_down']!.delta, ratio: r.nii.scenarios['parallel_down']!.delta / 1000, flagged: true });
    // and the JSON a report reads carries the number, not null
    expect(JSON.parse(JSON.stringify(r.sot.nii)).worst_delta).toBeCloseTo(delta, 6);
  });

  it('a 3-year quarterly floater at NII horizons 12 to 120 months: contract fixings then renewals, every horizon a number', () => {
    const floater: PositionRecord = { ...X1, position_id: 'F3', start_date: '2025-03-12', maturity_date: '2028-06-12', next_reset_date: '2025-09-12', rate: 0.024 };
    for (let horizon = 12; horizon <= 120; horizon += 12) {
      const expected = quarterlyChainNii(base, 0.024, '2025-09-12', 3, horizon);
      for (const method of ['full', 'standardised'] as const) {
        const r = run([floater], { niiHorizonMonths: horizon, method });
        expect(r.nii.base, `horizon ${horizon}, ${method}`).toBeCloseTo(expected, 5);
        expect(r.nii.scenarios['parallel_down']!.value, `horizon ${horizon}, ${method}`).toBeCloseTo(quarterlyChainNii(down, 0.024, '2025-09-12', 3, horizon), 5);
      }
    }
  });
});

describe('no figure leaves a run as NaN', () => {
  it('a position the engine cannot value fails the run with its id (not a null that a limit test reads as a pass)', () => {
    const bond = (id: string, maturity: string): PositionRecord => ({
      position_id: id, side: 'asset', product: 'bond', currency: 'EUR', notional: 1_000_000, maturity_date: maturity,
      amortization: 'bullet', rate_type: 'fixed', rate: 0.03, day_count: 'ACT/365',
    });
    // a user scenario whose shock is undefined beyond 20 years: only the 25-year bond meets it
    const broken = { id: 'broken_tail', label: 'broken tail', shock: () => (t: number) => (t > 20 ? Number.NaN : 0.01), floorable: false, rampMonths: 0 };
    const records = [bond('short-1', '2027-06-12'), bond('long-25y', '2050-06-12'), bond('short-2', '2030-06-12')];
    const settings = { scenarios: ['parallel_up', 'broken_tail'], customScenarios: [broken], tier1: 1000 };
    let error: unknown;
    try {
      run(records, settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnvaluedPositionError);
    const unvalued = error as UnvaluedPositionError;
    expect(unvalued.positionIds).toEqual(['long-25y']);
    expect(unvalued.messages).toHaveLength(1);
    expect(unvalued.messages[0]).toMatch(/^position long-25y cannot be valued: its EVE \(broken_tail\) is not a number/);
    // the same book without the broken scenario runs
    expect(Number.isFinite(run(records, { scenarios: ['parallel_up'] }).eve.base)).toBe(true);
  });
});
