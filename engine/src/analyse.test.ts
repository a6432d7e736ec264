import { describe, expect, it } from 'vitest';
import { analyse } from './analyse.ts';
import { buildCurveSet, type CurveRow } from './curve-set.ts';
import { parseIsoDate } from './dates.ts';
import { PositionsBuilder } from './position-builder.ts';
import type { PositionRecord } from './positions.ts';
import { AnalysisInputError, defaultSettings, type AnalysisSettings } from './settings.ts';
import { syntheticBalanceSheet } from './synthetic.ts';

const flat = (id: string, rate: number): CurveRow[] => [
  { curve_id: id, tenor: '1M', rate },
  { curve_id: id, tenor: '30Y', rate },
];
function curves(rows: CurveRow[]) {
  const built = buildCurveSet(rows);
  if (!built.ok) throw new Error(JSON.stringify(built.errors));
  return built.curves;
}
function positions(records: PositionRecord[]) {
  const b = new PositionsBuilder();
  records.forEach((r) => b.add(r));
  return b.build();
}
const bond: PositionRecord = {
  position_id: 'bond',
  side: 'asset',
  product: 'bond',
  currency: 'EUR',
  notional: 100,
  maturity_date: '2029-12-31',
  amortization: 'bullet',
  rate_type: 'fixed',
  rate: 0.04,
  day_count: '30/360',
};

describe('EVE standardised', () => {
  it('5-year 4% annual bond on a flat 3% curve: EVE 105.870510, ΔEVE parallel up −8.443359', () => {
    // flows 4,4,4,4,104 at t ≈ 0.99, 1.99, 2.99, 3.99, 4.99 → buckets 9M-1Y, 1.5-2Y, 2-3Y, 3-4Y, 4-5Y
    const settings: AnalysisSettings = { ...defaultSettings('2025-01-02'), method: 'standardised' };
    const r = analyse({ positions: positions([bond]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings });
    const mid = [0.875, 1.75, 2.5, 3.5, 4.5];
    const pv = (z: number) => mid.reduce((s, t, k) => s + (k === 4 ? 104 : 4) * Math.exp(-z * t), 0);
    expect(pv(0.03)).toBeCloseTo(105.87051, 5);
    expect(r.eve.base).toBeCloseTo(105.87051, 6);
    expect(r.eve.scenarios['parallel_up']!.delta).toBeCloseTo(-8.443359, 6);
    expect(r.eve.scenarios['parallel_up']!.delta).toBeCloseTo(pv(0.05) - pv(0.03), 9);
    const buckets = r.eve.breakdown['bucket']!;
    expect(buckets.find((b) => b.key === '9M-1Y')!.base).toBeCloseTo(4 * Math.exp(-0.03 * 0.875), 9);
    expect(buckets.find((b) => b.key === '4Y-5Y')!.base).toBeCloseTo(104 * Math.exp(-0.03 * 4.5), 9);
  });
});

describe('EVE full', () => {
  it('a floating note on its own curve with zero spread is worth (N + known coupon)·DF(next reset) in every scenario', () => {
    const rows: CurveRow[] = [
      { curve_id: 'EUR_ESTR_OIS', tenor: '3M', rate: 0.02 },
      { curve_id: 'EUR_ESTR_OIS', tenor: '2Y', rate: 0.025 },
      { curve_id: 'EUR_ESTR_OIS', tenor: '10Y', rate: 0.03 },
    ];
    const note: PositionRecord = {
      ...bond,
      position_id: 'frn',
      notional: 1_000_000,
      rate_type: 'floating',
      index: 'EUR_ESTR_OIS',
      rate: 0.031,
      spread: 0,
      maturity_date: '2030-02-15',
      payment_frequency_months: 3,
      reset_frequency_months: 3,
      next_reset_date: '2025-05-15',
      day_count: 'ACT/360',
    };
    const settings = defaultSettings('2025-03-01');
    const set = curves(rows);
    const r = analyse({ positions: positions([note]), curves: set, settings });
    const asOf = parseIsoDate('2025-03-01') as number;
    const reset = parseIsoDate('2025-05-15') as number;
    const coupon = (1_000_000 * 0.031 * (reset - (parseIsoDate('2025-02-15') as number))) / 360;
    const t = (reset - asOf) / 365;
    const zBase = set.discountCurve('EUR')!.zero(t);
    expect(r.eve.base).toBeCloseTo((1_000_000 + coupon) * Math.exp(-zBase * t), 4);
    // parallel up: +200bp on the zero rate at t (EUR shock sizes)
    expect(r.eve.scenarios['parallel_up']!.value).toBeCloseTo((1_000_000 + coupon) * Math.exp(-(zBase + 0.02) * t), 4);
    // short up: +250bp·e^(−t/4)
    const shortUp = zBase + 0.025 * Math.exp(-t / 4);
    expect(r.eve.scenarios['short_up']!.value).toBeCloseTo((1_000_000 + coupon) * Math.exp(-shortUp * t), 4);
  });

  it("a zero-coupon position's ΔEVE is N·(e^{−(z+Δ)t} − e^{−zt})", () => {
    const zero: PositionRecord = { ...bond, position_id: 'zc', notional: 5_000_000, rate: 0, maturity_date: '2032-07-01', day_count: 'ACT/365' };
    const r = analyse({ positions: positions([zero]), curves: curves(flat('EUR_ESTR_OIS', 0.027)), settings: defaultSettings('2025-07-01') });
    const t = ((parseIsoDate('2032-07-01') as number) - (parseIsoDate('2025-07-01') as number)) / 365;
    const N = 5_000_000;
    expect(r.eve.base).toBeCloseTo(N * Math.exp(-0.027 * t), 4);
    expect(r.eve.scenarios['parallel_up']!.delta).toBeCloseTo(N * (Math.exp(-(0.027 + 0.02) * t) - Math.exp(-0.027 * t)), 4);
    // parallel down −200bp is floored by the EU lower bound min(0, −1.5% + 0.03%·t) … here not binding (0.7% > floor)
    expect(r.eve.scenarios['parallel_down']!.delta).toBeCloseTo(N * (Math.exp(-(0.027 - 0.02) * t) - Math.exp(-0.027 * t)), 4);
    expect(r.eve.worst).toEqual({ scenario: 'parallel_up', delta: r.eve.scenarios['parallel_up']!.delta });
    expect(r.eve.loss).toBeCloseTo(-r.eve.scenarios['parallel_up']!.delta, 6);
  });

  it('breakdowns by product and side add up to the total, liabilities negative', () => {
    const deposit: PositionRecord = { ...bond, position_id: 'td', side: 'liability', product: 'term_deposit', notional: 50, rate: 0.02, maturity_date: '2026-06-30', attributes: { branch: 'Madrid' } };
    const r = analyse({
      positions: positions([{ ...bond, attributes: { branch: 'Paris' } }, deposit]),
      curves: curves(flat('EUR_ESTR_OIS', 0.03)),
      settings: { ...defaultSettings('2025-01-02'), breakdownBy: ['branch'] },
    });
    const products = r.eve.breakdown['product']!;
    expect(products.map((p) => p.key)).toEqual(['bond', 'term_deposit']);
    expect(products[0]!.base + products[1]!.base).toBeCloseTo(r.eve.base, 9);
    expect(products[1]!.base).toBeLessThan(0);
    const branches = r.eve.breakdown['branch']!;
    expect(branches.find((b) => b.key === 'Paris')!.base).toBeCloseTo(products[0]!.base, 9);
    expect(r.eve.breakdown['side']!.find((s) => s.key === 'liability')!.scenarios['parallel_up']!.delta).toBeGreaterThan(0);
  });
});

describe('NII', () => {
  it('a 1-year fixed loan maturing inside the horizon is rolled at the scenario rate + its margin', () => {
    // started 2024-07-01, matures 2025-07-01; margin = 5% − z(1Y) = 2%; renewal for the remaining 184 days
    const loan: PositionRecord = { ...bond, position_id: 'loan', notional: 1_000_000, rate: 0.05, start_date: '2024-07-01', maturity_date: '2025-07-01', payment_frequency_months: 12, day_count: 'ACT/365' };
    const r = analyse({ positions: positions([loan]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: defaultSettings('2025-01-01') });
    const before = 181; // 2025-01-01 → 2025-07-01
    const after = 184; // 2025-07-01 → 2026-01-01
    expect(r.nii.base).toBeCloseTo((1_000_000 * 0.05 * (before + after)) / 365, 6);
    expect(r.nii.scenarios['parallel_up']!.delta).toBeCloseTo((1_000_000 * 0.02 * after) / 365, 6);
    expect(r.nii.scenarios['parallel_down']!.delta).toBeCloseTo((-1_000_000 * 0.02 * after) / 365, 6);
    // monthly profile: January accrues 31 days at 5%; months add up to the total
    expect(r.nii.profile[0]!.base).toBeCloseTo((1_000_000 * 0.05 * 31) / 365, 6);
    expect(r.nii.profile.reduce((s, m) => s + m.scenarios['parallel_up']!, 0)).toBeCloseTo(r.nii.scenarios['parallel_up']!.value, 6);

    // a 12-month ramp of +200bp has built 181/365 of the way when the loan renews on 2025-07-01
    const ramp = analyse({ positions: positions([loan]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: { ...defaultSettings('2025-01-01'), scenarios: ['ramp_up_200'] } });
    expect(ramp.nii.scenarios['ramp_up_200']!.delta).toBeCloseTo((1_000_000 * 0.02 * (181 / 365) * after) / 365, 6);

    const runoff = analyse({ positions: positions([loan]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: { ...defaultSettings('2025-01-01'), balanceSheet: 'runoff' } });
    expect(runoff.nii.base).toBeCloseTo((1_000_000 * 0.05 * before) / 365, 6);
    expect(runoff.nii.scenarios['parallel_up']!.delta).toBeCloseTo(0, 9);
  });
});

describe('NII of a floating note', () => {
  it('reprices at each reset to the scenario forward + spread: ΔNII = Σ N·(e^{(z+Δ)Δt} − e^{zΔt}) over the periods after the first reset', () => {
    const frn: PositionRecord = {
      ...bond,
      position_id: 'frn',
      notional: 1_000_000,
      rate_type: 'floating',
      index: 'EUR_ESTR_OIS',
      rate: 0.04,
      spread: 0,
      maturity_date: '2027-01-01',
      payment_frequency_months: 3,
      reset_frequency_months: 3,
      next_reset_date: '2025-04-01',
      day_count: 'ACT/360',
    };
    const r = analyse({ positions: positions([frn]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: defaultSettings('2025-01-01') });
    const periods = [91, 92, 92]; // 1 Apr → 1 Jul → 1 Oct → 1 Jan 2026 (the horizon end)
    const N = 1_000_000;
    const known = (N * 0.04 * 90) / 360; // 1 Jan → 1 Apr at the current coupon
    const projected = (z: number) => periods.reduce((s, d) => s + N * (Math.exp((z * d) / 365) - 1), 0);
    expect(r.nii.base).toBeCloseTo(known + projected(0.03), 6);
    expect(r.nii.scenarios['parallel_up']!.delta).toBeCloseTo(projected(0.05) - projected(0.03), 6);
    expect(r.nii.scenarios['parallel_down']!.delta).toBeCloseTo(projected(0.01) - projected(0.03), 6);
  });
});

describe('non-maturing deposits and the repricing gap', () => {
  const nmd: PositionRecord = { ...bond, position_id: 'ca', side: 'liability', product: 'current_account', notional: 1000, amortization: 'non_maturing', maturity_date: undefined, rate: 0, nmd_category: 'retail_transactional' };

  it('splits the balance into overnight (non-core + non-stable) and a core run-off', () => {
    const settings: AnalysisSettings = {
      ...defaultSettings('2025-01-02'),
      nmd: [{ category: 'retail_transactional', stableShare: 0.8, coreShare: 0.5, averageMaturityYears: 2 }],
    };
    const r = analyse({ positions: positions([bond, nmd]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings });
    const on = r.gap.find((g) => g.bucket === 'O/N')!;
    expect(on.liabilities).toBeCloseTo(1000 * (1 - 0.8 * 0.5), 9);
    expect(r.gap.reduce((s, g) => s + g.liabilities, 0)).toBeCloseTo(1000, 9);
    expect(r.gap.reduce((s, g) => s + g.assets, 0)).toBeCloseTo(100, 9);
    const last = r.gap[r.gap.length - 1]!;
    expect(last.cumulative_gap).toBeCloseTo(100 - 1000, 9);
    expect(r.gap.find((g) => g.bucket === '9M-1Y')!.assets).toBe(0); // a fixed bond's principal sits at maturity only
    expect(r.gap.find((g) => g.bucket === '4Y-5Y')!.assets).toBe(100);
    expect(r.warnings.some((w) => w.includes('behavioural assumption'))).toBe(false);
  });

  it('without assumptions everything reprices overnight and the result says so', () => {
    const r = analyse({ positions: positions([nmd]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: defaultSettings('2025-01-02') });
    expect(r.gap.find((g) => g.bucket === 'O/N')!.liabilities).toBe(1000);
    expect(r.warnings.some((w) => w.includes('reprice overnight'))).toBe(true);
    expect(r.eve.base).toBeCloseTo(-1000 * Math.exp(-0.03 / 365), 9);
  });
});

describe('repricing gap by currency', () => {
  it('each currency\'s 19 rows are the gap of that currency\'s positions alone, and they add up to the total gap', () => {
    const usdBond: PositionRecord = { ...bond, position_id: 'usd', currency: 'USD', notional: 250, maturity_date: '2027-06-30' };
    const eurDeposit: PositionRecord = { ...bond, position_id: 'dep', side: 'liability', product: 'term_deposit', notional: 80, maturity_date: '2026-01-15' };
    const market = curves([...flat('EUR_ESTR_OIS', 0.03), ...flat('USD_SOFR_OIS', 0.04)]);
    const settings = defaultSettings('2025-01-02');
    const both = analyse({ positions: positions([bond, usdBond, eurDeposit]), curves: market, settings });
    const alone = (records: PositionRecord[]) => analyse({ positions: positions(records), curves: market, settings }).gap;
    expect(both.gap_by_currency.map((r) => r.currency)).toEqual([...Array(19).fill('EUR'), ...Array(19).fill('USD')]);
    expect(both.gap_by_currency.filter((r) => r.currency === 'EUR').map(({ currency: _, ...row }) => row)).toEqual(alone([bond, eurDeposit]));
    expect(both.gap_by_currency.filter((r) => r.currency === 'USD').map(({ currency: _, ...row }) => row)).toEqual(alone([usdBond]));
    const usd = both.gap_by_currency.filter((r) => r.currency === 'USD');
    expect(usd.find((r) => r.bucket === '2Y-3Y')!.assets).toBe(250);
    expect(usd.at(-1)!.cumulative_gap).toBe(250);
    both.gap.forEach((row, k) => {
      expect(row.assets).toBe(both.gap_by_currency[k]!.assets + both.gap_by_currency[19 + k]!.assets);
      expect(row.liabilities).toBe(both.gap_by_currency[k]!.liabilities + both.gap_by_currency[19 + k]!.liabilities);
    });
  });
});

describe('outlier tests', () => {
  const zero: PositionRecord = { ...bond, position_id: 'zc', notional: 1_000_000, rate: 0, maturity_date: '2035-01-02', day_count: 'ACT/365' };
  const run = (tier1: number) => analyse({ positions: positions([zero]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: { ...defaultSettings('2025-01-02'), tier1 } });

  it('flags EVE when the worst ΔEVE is below −15% of Tier 1, not at or above it', () => {
    const worst = run(1e9).sot.eve.worst_delta;
    expect(worst).toBeLessThan(0);
    const atLimit = -worst / 0.15;
    expect(run(atLimit * 1.001).sot.eve.flagged).toBe(false);
    const flagged = run(atLimit * 0.999).sot.eve;
    expect(flagged.flagged).toBe(true);
    expect(flagged.threshold).toBeCloseTo(-0.15 * atLimit * 0.999, 6);
    expect(flagged.ratio).toBeCloseTo(worst / (atLimit * 0.999), 9);
  });

  it('flags NII when ΔNII under parallel up or down is below −5% of Tier 1', () => {
    const deposit: PositionRecord = { ...zero, side: 'liability', rate: 0.01, maturity_date: '2025-04-02', start_date: '2025-01-02', payment_frequency_months: 3 };
    const at = (tier1: number) =>
      analyse({ positions: positions([deposit]), curves: curves(flat('EUR_ESTR_OIS', 0.03)), settings: { ...defaultSettings('2025-01-02'), tier1 } }).sot.nii;
    const worst = at(1e12);
    expect(worst.worst_scenario).toBe('parallel_up'); // a rolled deposit costs more when rates rise
    const limit = -worst.worst_delta / 0.05;
    expect(at(limit * 1.001).flagged).toBe(false);
    expect(at(limit * 0.999).flagged).toBe(true);
  });
});

describe('settings errors', () => {
  it('lists every problem at once in an AnalysisInputError', () => {
    const floating: PositionRecord = { ...bond, position_id: 'f', currency: 'XXX', rate_type: 'floating', index: 'XXX_IBOR_3M', next_reset_date: '2025-06-30' };
    const call = () =>
      analyse({
        positions: positions([bond, floating]),
        curves: curves(flat('EUR_ESTR_OIS', 0.03)),
        settings: {
          ...defaultSettings('2025-01-02'),
          scenarios: ['parallel_up', 'sideways'],
          nmd: [{ category: 'wholesale', stableShare: 0.5, coreShare: 0.6, averageMaturityYears: 3 }],
        },
      });
    expect(call).toThrow(AnalysisInputError);
    try {
      call();
    } catch (e) {
      const messages = (e as AnalysisInputError).messages;
      expect(messages.some((m) => m.includes('unknown scenario "sideways"'))).toBe(true);
      expect(messages.some((m) => m.includes('no discount curve for currency XXX'))).toBe(true);
      expect(messages.some((m) => m.includes('no shock sizes for currency XXX'))).toBe(true);
      expect(messages.some((m) => m.includes('index XXX_IBOR_3M'))).toBe(true);
      expect(messages.some((m) => m.includes('wholesale core share 60% exceeds the regulatory cap of 50%'))).toBe(true);
    }
  });
});

describe('synthetic bank end to end', () => {
  it('gap sums to the notional per side, breakdowns add up, every option runs', () => {
    const bank = syntheticBalanceSheet({ positions: 3000, asOf: '2025-06-30', seed: 11 });
    const set = curves(bank.curves);
    let assets = 0;
    let liabilities = 0;
    for (let i = 0; i < bank.positions.length; i++) {
      if (bank.positions.side[i] === 1) assets += bank.positions.notional[i]!;
      else liabilities += bank.positions.notional[i]!;
    }
    const nmd: AnalysisSettings['nmd'] = [
      { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.7, averageMaturityYears: 4 },
      { category: 'retail_non_transactional', stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 3.5, coreShareByScenario: { parallel_up: 0.5 } },
      { category: 'wholesale', stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 2 },
    ];
    for (const method of ['full', 'standardised'] as const) {
      const r = analyse({
        positions: bank.positions,
        schedules: bank.schedules,
        curves: set,
        settings: { ...defaultSettings('2025-06-30'), method, nmd, tier1: 1e9, breakdownBy: ['segment'], scenarios: ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down', 'ramp_up_200'] },
      });
      expect(r.gap.reduce((s, g) => s + g.assets, 0)).toBeCloseTo(assets, 2);
      expect(r.gap.reduce((s, g) => s + g.liabilities, 0)).toBeCloseTo(liabilities, 2);
      for (const [name, rows] of Object.entries(r.eve.breakdown)) {
        expect(rows.reduce((s, row) => s + row.base, 0), name).toBeCloseTo(r.eve.base, 0);
        expect(rows.reduce((s, row) => s + row.scenarios['steepener']!.delta, 0), name).toBeCloseTo(r.eve.scenarios['steepener']!.delta, 0);
      }
      for (const rows of Object.values(r.nii.breakdown)) expect(rows.reduce((s, row) => s + row.base, 0)).toBeCloseTo(r.nii.base, 0);
      expect(r.nii.profile.reduce((s, m) => s + m.base, 0)).toBeCloseTo(r.nii.base, 0);
      expect(Number.isFinite(r.eve.base) && Number.isFinite(r.nii.base)).toBe(true);
      expect(Object.values(r.eve.scenarios).every((x) => Number.isFinite(x.value))).toBe(true);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain JSON
      // a bank funded by deposits with long fixed mortgages loses EVE when rates rise
      expect(r.eve.scenarios['parallel_up']!.delta).toBeLessThan(0);
    }
  });
});
