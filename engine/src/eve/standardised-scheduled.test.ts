import { describe, expect, it } from 'vitest';
import { analyse } from '../analyse.ts';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { FlowGenerator, flowOptions } from '../cashflows/generate.ts';
import { indexSchedules } from '../cashflows/schedule-index.ts';
import { buildCurveSet } from '../curve-set.ts';
import { PositionsBuilder, SchedulesBuilder } from '../position-builder.ts';
import type { PositionRecord } from '../positions.ts';
import { defaultSettings } from '../settings.ts';
import { ESTR_OIS, HandMarket, REPRODUCTION_CURVE_ROWS, day, days } from '../testing/hand-market.ts';

// §3 scheduled, §6 standardised (a floating contract contributes its principal and the known
// coupon at its next reset), §8 gap: schedule rows before the next reset repay on their own dates.

const AS_OF = '2025-06-12';
const built = buildCurveSet(REPRODUCTION_CURVE_ROWS);
if (!built.ok) throw new Error(JSON.stringify(built.errors));
const curves = built.curves;

/** S1 of the issue: a 3-year project loan, annual payments and resets, next reset 2025-12-20. */
const S1: PositionRecord = {
  position_id: 'S1', side: 'asset', product: 'project_loan', currency: 'EUR', notional: 1_000_000,
  start_date: '2024-12-20', maturity_date: '2027-12-20', amortization: 'scheduled', rate_type: 'floating',
  rate: 0.03, index: 'EUR_EURIBOR_3M', spread: 0.01, payment_frequency_months: 12, reset_frequency_months: 12,
  next_reset_date: '2025-12-20', day_count: 'ACT/360',
};

function book(record: PositionRecord, rows: [string, number][]) {
  const b = new PositionsBuilder();
  b.add(record);
  const positions = b.build();
  const s = new SchedulesBuilder(positions.id);
  for (const [date, amount] of rows) s.add(record.position_id, date, amount);
  return { positions, schedules: s.build() };
}

/** Net flow of bucket k discounted at exp(−R(t_k)·t_k) on the midpoint (§6), R from the curve in the test. */
const pv = (market: HandMarket, amount: number, midpoint: number): number => amount * Math.exp(-market.zero(midpoint) * midpoint);

describe('standardised EVE and gap of a floating scheduled contract with rows before its next reset (issue S1)', () => {
  const rows: [string, number][] = [
    ['2025-09-01', 400_000],
    ['2026-12-20', 300_000],
  ];
  // 400,000 repaid on 2025-09-01 (bucket 1M–3M); at the reset 2025-12-20 (6M–9M) the 600,000 left
  // and the coupon known since 2024-12-20: 3% on 1,000,000 until 2025-09-01, then on 600,000
  const coupon = (1_000_000 * 0.03 * days('2024-12-20', '2025-09-01')) / 360 + (600_000 * 0.03 * days('2025-09-01', '2025-12-20')) / 360;
  const atReset = 600_000 + coupon;

  it('the truncated flows: the row on its date, then balance and the coupon of each balance segment at the reset', () => {
    const { positions, schedules } = book(S1, rows);
    const asOf = day(AS_OF);
    const generator = new FlowGenerator(positions, indexSchedules(schedules, 1), asOf, asOf + 2_000);
    const out = new FlowBuffer(4);
    generator.generate(0, flowOptions(asOf, true, Number.POSITIVE_INFINITY), out);
    expect(out.count).toBe(2);
    expect([out.day[0], out.principal[0], out.interest[0]]).toEqual([day('2025-09-01'), 400_000, 0]);
    expect(out.day[1]).toBe(day('2025-12-20'));
    expect(out.principal[1]).toBeCloseTo(600_000, 9);
    expect(out.interest[1]).toBeCloseTo(coupon, 9);
    expect(coupon).toBeCloseTo(26_750, 9);
  });

  it('S1: EVE standardised base 1,017,677.43 (398,713.05 in 1M–3M, 618,964.39 in 6M–9M), parallel up 1,008,661.44, gap 400,000 / 600,000', () => {
    const base = new HandMarket(AS_OF, ESTR_OIS);
    const up = new HandMarket(AS_OF, ESTR_OIS, () => 0.02);
    const down = new HandMarket(AS_OF, ESTR_OIS, () => -0.02);
    const early = pv(base, 400_000, 0.1667);
    const late = pv(base, atReset, 0.625);
    expect(early).toBeCloseTo(398_713.05, 2);
    expect(late).toBeCloseTo(618_964.39, 2);
    expect(early + late).toBeCloseTo(1_017_677.43, 2);
    expect(pv(up, 400_000, 0.1667) + pv(up, atReset, 0.625)).toBeCloseTo(1_008_661.44, 2);

    const r = analyse({ ...book(S1, rows), curves, settings: { ...defaultSettings(AS_OF), method: 'standardised' } });
    expect(r.eve.base).toBeCloseTo(early + late, 6);
    const buckets = r.eve.breakdown['bucket']!;
    expect(buckets.find((b) => b.key === '1M-3M')!.base).toBeCloseTo(early, 6);
    expect(buckets.find((b) => b.key === '6M-9M')!.base).toBeCloseTo(late, 6);
    expect(buckets.filter((b) => b.base !== 0).map((b) => b.key)).toEqual(['1M-3M', '6M-9M']);
    expect(r.eve.scenarios['parallel_up']!.value).toBeCloseTo(pv(up, 400_000, 0.1667) + pv(up, atReset, 0.625), 6);
    expect(r.eve.scenarios['parallel_down']!.value).toBeCloseTo(pv(down, 400_000, 0.1667) + pv(down, atReset, 0.625), 6);
    const gap = r.gap.filter((g) => g.assets !== 0).map((g) => [g.bucket, g.assets]);
    expect(gap).toEqual([
      ['1M-3M', 400_000],
      ['6M-9M', 600_000],
    ]);
  });

  it('a row on the reset date repays with the balance there; rows after the reset are not read', () => {
    const r = analyse({
      ...book(S1, [['2025-12-20', 250_000], ['2026-06-20', 100_000]]),
      curves,
      settings: { ...defaultSettings(AS_OF), method: 'standardised' },
    });
    const base = new HandMarket(AS_OF, ESTR_OIS);
    const known = (1_000_000 * 0.03 * days('2024-12-20', '2025-12-20')) / 360;
    expect(r.eve.base).toBeCloseTo(pv(base, 1_000_000 + known, 0.625), 6);
    expect(r.gap.filter((g) => g.assets !== 0).map((g) => [g.bucket, g.assets])).toEqual([['6M-9M', 1_000_000]]);
  });
});
