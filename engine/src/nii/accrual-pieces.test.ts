import { describe, expect, it } from 'vitest';
import { analyse } from '../analyse.ts';
import { buildCurveSet } from '../curve-set.ts';
import { PositionsBuilder, SchedulesBuilder } from '../position-builder.ts';
import type { PositionRecord } from '../positions.ts';
import { defaultSettings, type AnalysisSettings } from '../settings.ts';
import { EURIBOR_3M, ESTR_OIS, HandMarket, REPRODUCTION_CURVE_ROWS, days, overlap, plusMonths } from '../testing/hand-market.ts';

// §7: interest accrued day by day at the rate in force on that day; a payment period holding a
// reset (or a scheduled repayment) accrues each segment at its own rate and balance, never its
// whole interest spread evenly over the period.

const AS_OF = '2025-06-12';
const END = plusMonths(AS_OF, 12);
const built = buildCurveSet(REPRODUCTION_CURVE_ROWS);
if (!built.ok) throw new Error(JSON.stringify(built.errors));
const curves = built.curves;

function run(record: PositionRecord, settings: Partial<AnalysisSettings> = {}, rows: [string, number][] = []) {
  const b = new PositionsBuilder();
  b.add(record);
  const positions = b.build();
  const s = new SchedulesBuilder(positions.id);
  for (const [date, amount] of rows) s.add(record.position_id, date, amount);
  return analyse({ positions, schedules: s.build(), curves, settings: { ...defaultSettings(AS_OF), scenarios: ['parallel_up', 'parallel_down'], ...settings } });
}

const market = {
  base: new HandMarket(AS_OF, EURIBOR_3M),
  parallel_up: new HandMarket(AS_OF, EURIBOR_3M, () => 0.02),
  parallel_down: new HandMarket(AS_OF, EURIBOR_3M, () => -0.02),
};
type ScenarioId = keyof typeof market;

/**
 * R1: paid every 6 months, reset every 2 months from 2025-07-12. The period 2025-03-12 → 09-12
 * straddles the analysis date and holds the reset of 07-12; the next, 09-12 → 2026-03-12, holds the
 * resets of 11-12 and 01-12. Matures 2026-03-12 and renews on the same 2-month fixings.
 */
const R1: PositionRecord = {
  position_id: 'R1', side: 'asset', product: 'corporate_loan', currency: 'EUR', notional: 1_000_000,
  start_date: '2025-03-12', maturity_date: '2026-03-12', amortization: 'bullet', rate_type: 'floating',
  rate: 0.03, index: 'EUR_EURIBOR_3M', spread: 0.002, payment_frequency_months: 6, reset_frequency_months: 2,
  next_reset_date: '2025-07-12', day_count: 'ACT/360',
};

/** R1 by hand: 3% until 07-12, then each 2-month fixing (forward + 0.2%, ACT/360) on its own days. */
function r1Nii(id: ScenarioId): number {
  let nii = (1_000_000 * 0.03 * overlap(AS_OF, '2025-07-12', AS_OF, END)) / 360;
  for (let n = 0; days(plusMonths('2025-07-12', 2 * n), END) > 0; n++) {
    const from = plusMonths('2025-07-12', 2 * n);
    const to = plusMonths('2025-07-12', 2 * (n + 1));
    const rate = market[id].forward(from, to, days(from, to) / 360) + 0.002;
    nii += (1_000_000 * rate * overlap(from, to, AS_OF, END)) / 360;
  }
  return nii;
}

/** The same interest spread evenly over each payment period (what day-by-day accrual replaces). */
function r1Spread(): number {
  const f = (from: string, to: string) => market.base.forward(from, to, days(from, to) / 360) + 0.002;
  const first = 1_000_000 * (0.03 * days('2025-03-12', '2025-07-12') + f('2025-07-12', '2025-09-12') * days('2025-07-12', '2025-09-12')) / 360;
  const second = (1_000_000 * (f('2025-09-12', '2025-11-12') * 61 + f('2025-11-12', '2026-01-12') * 61 + f('2026-01-12', '2026-03-12') * 59)) / 360;
  const renewal = (1_000_000 * (f('2026-03-12', '2026-05-12') * 61 + f('2026-05-12', '2026-07-12') * 31)) / 360;
  return (first * overlap('2025-03-12', '2025-09-12', AS_OF, END)) / 184 + second + renewal;
}

describe('NII accrual across resets inside a payment period', () => {
  it('R1: each segment accrues at its own fixing, in both methods and with an attribute breakdown', () => {
    expect(Math.abs(r1Nii('base') - r1Spread())).toBeGreaterThan(10); // the test tells the two apart
    const variants: Partial<AnalysisSettings>[] = [{ method: 'full' }, { method: 'standardised' }, { method: 'full', breakdownBy: ['desk'] }];
    for (const settings of variants) {
      const r = run({ ...R1, attributes: { desk: 'corporate' } }, settings);
      expect(r.nii.base, JSON.stringify(settings)).toBeCloseTo(r1Nii('base'), 6);
      expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(r1Nii('parallel_up'), 6);
      expect(r.nii.scenarios['parallel_down']!.value).toBeCloseTo(r1Nii('parallel_down'), 6);
    }
  });

  it('R1 month by month: the first month earns the current 3%, the second the 07-12 fixing', () => {
    const r = run(R1);
    expect(r.nii.profile[0]!.base).toBeCloseTo((1_000_000 * 0.03 * 30) / 360, 6);
    const fixing = market.base.forward('2025-07-12', '2025-09-12', 62 / 360) + 0.002;
    expect(r.nii.profile[1]!.base).toBeCloseTo((1_000_000 * fixing * 31) / 360, 6);
    // parallel up moves nothing before the first reset: month 1 has no ΔNII
    expect(r.nii.profile[0]!.scenarios['parallel_up']).toBeCloseTo(r.nii.profile[0]!.base, 9);
  });

  it('a floating linear loan with monthly resets inside quarterly payments (balance falling at each payment) accrues its segments too', () => {
    // ACT/360 floater paying quarterly from 2025-08-12, resetting monthly from 2025-06-20
    const record: PositionRecord = { ...R1, position_id: 'A1', amortization: 'linear', maturity_date: '2026-08-12', payment_frequency_months: 3, reset_frequency_months: 1, next_reset_date: '2025-06-20', start_date: '2025-05-12' };
    const byHand = (id: ScenarioId): number => {
      // linear: 5 payments from 2025-08-12 (the first period 05-12 → 08-12), balance 1,000,000·(5 − k)/5 over period k
      const payments = [0, 1, 2, 3, 4, 5].map((k) => plusMonths('2025-05-12', 3 * k));
      const resets = Array.from({ length: 16 }, (_, k) => plusMonths('2025-06-20', k));
      let nii = 0;
      for (let k = 0; k < 5; k++) {
        const balance = (1_000_000 * (5 - k)) / 5;
        const points = [payments[k]!, ...resets.filter((r) => r > payments[k]! && r < payments[k + 1]!), payments[k + 1]!];
        for (let j = 0; j + 1 < points.length; j++) {
          const from = points[j]!;
          const inForce = [...resets].reverse().find((r) => r <= from && r > AS_OF);
          const rate = inForce === undefined ? 0.03 : market[id].forward(inForce, plusMonths(inForce, 1), days(inForce, plusMonths(inForce, 1)) / 360) + 0.002;
          nii += (balance * rate * overlap(from, points[j + 1]!, AS_OF, END)) / 360;
        }
      }
      // the four repayments inside the horizon renew as the same floater: monthly fixings from their day
      for (let k = 1; k <= 4 && payments[k]! < END; k++) {
        for (let n = 0; days(plusMonths(payments[k]!, n), END) > 0; n++) {
          const from = plusMonths(payments[k]!, n);
          const to = plusMonths(payments[k]!, n + 1);
          nii += (200_000 * (market[id].forward(from, to, days(from, to) / 360) + 0.002) * overlap(from, to, AS_OF, END)) / 360;
        }
      }
      return nii;
    };
    for (const method of ['full', 'standardised'] as const) {
      const r = run(record, { method });
      expect(r.nii.base).toBeCloseTo(byHand('base'), 6);
      expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(byHand('parallel_up'), 6);
    }
  });
});

describe('NII accrual across scheduled repayments inside a payment period', () => {
  const rows: [string, number][] = [['2025-09-01', 400_000]];

  it('a fixed scheduled loan earns 4% on 1,000,000 until 09-01 and on 600,000 after; the 400,000 renews at 4% (constant balance sheet: 40,000)', () => {
    const record: PositionRecord = {
      position_id: 'FS', side: 'asset', product: 'project_loan', currency: 'EUR', notional: 1_000_000, start_date: '2024-12-20',
      maturity_date: '2027-12-20', amortization: 'scheduled', rate_type: 'fixed', rate: 0.04, payment_frequency_months: 12, day_count: 'ACT/365',
    };
    const r = run(record, {}, rows);
    const contract = (1_000_000 * 0.04 * days(AS_OF, '2025-09-01') + 600_000 * 0.04 * days('2025-09-01', END)) / 365;
    const renewed = (400_000 * 0.04 * days('2025-09-01', END)) / 365;
    expect(contract + renewed).toBeCloseTo(40_000, 6);
    expect(r.nii.base).toBeCloseTo(contract + renewed, 6);
    // the renewal re-prices at the shocked 3-year zero + margin: +2% on 400,000 from 09-01
    const up = new HandMarket(AS_OF, ESTR_OIS, () => 0.02);
    const base = new HandMarket(AS_OF, ESTR_OIS);
    expect(up.zero(3) - base.zero(3)).toBeCloseTo(0.02, 12);
    expect(r.nii.scenarios['parallel_up']!.delta).toBeCloseTo((400_000 * 0.02 * days('2025-09-01', END)) / 365, 6);
    expect(run(record, { balanceSheet: 'runoff' }, rows).nii.base).toBeCloseTo(contract, 6);
  });

  it('S1 (floating scheduled): 3% on each balance segment until the 2025-12-20 reset, the fixing after; the 400,000 renews as the same annual floater', () => {
    const S1: PositionRecord = {
      position_id: 'S1', side: 'asset', product: 'project_loan', currency: 'EUR', notional: 1_000_000, start_date: '2024-12-20',
      maturity_date: '2027-12-20', amortization: 'scheduled', rate_type: 'floating', rate: 0.03, index: 'EUR_EURIBOR_3M', spread: 0.01,
      payment_frequency_months: 12, reset_frequency_months: 12, next_reset_date: '2025-12-20', day_count: 'ACT/360',
    };
    const byHand = (id: ScenarioId): number => {
      const fixing = market[id].forward('2025-12-20', '2026-12-20', 365 / 360) + 0.01;
      const renewal = market[id].forward('2025-09-01', '2026-09-01', 365 / 360) + 0.01;
      return (
        (1_000_000 * 0.03 * days(AS_OF, '2025-09-01') + 600_000 * 0.03 * days('2025-09-01', '2025-12-20') + 600_000 * fixing * days('2025-12-20', END) + 400_000 * renewal * days('2025-09-01', END)) / 360
      );
    };
    const r = run(S1, {}, [...rows, ['2026-12-20', 300_000]]);
    expect(r.nii.base).toBeCloseTo(byHand('base'), 6);
    expect(r.nii.scenarios['parallel_up']!.value).toBeCloseTo(byHand('parallel_up'), 6);
    expect(r.nii.scenarios['parallel_down']!.value).toBeCloseTo(byHand('parallel_down'), 6);
  });
});
