import { describe, expect, it } from 'vitest';
import type { PositionRecord } from '../positions.ts';
import { REGULATORY_SCENARIO_IDS } from '../scenarios.ts';
import type { AnalysisSettings } from '../settings.ts';
import { referenceAnalyse } from './analyse.ts';
import { accrualFraction, parseDay } from './calendar.ts';
import { projectFlows } from './cashflows.ts';
import { REPRODUCTION_CURVES } from './issue-cases.ts';
import { contractOf } from './position.ts';

// The reference against figures worked out by hand or published with the reproductions of the
// independent check (as of 2025-06-12, EU floor, the reproductions' curves).

const settings: AnalysisSettings = { asOf: '2025-06-12', method: 'full', floor: 'eu', scenarios: [...REGULATORY_SCENARIO_IDS], niiHorizonMonths: 12, balanceSheet: 'constant' };
const record = (r: Partial<PositionRecord> & Pick<PositionRecord, 'position_id' | 'amortization' | 'rate_type' | 'rate'>): PositionRecord => ({
  side: 'asset',
  product: 'case',
  currency: 'EUR',
  notional: 1_000_000,
  ...r,
});

describe('reference figures', () => {
  it('a 4-month floater renewed quarterly at forwards + spread: NII base 23,362.97, parallel down −18,411.84', () => {
    const x1 = record({ position_id: 'X1', start_date: '2025-03-12', maturity_date: '2025-07-12', amortization: 'bullet', rate_type: 'floating', rate: 0.025, index: 'EUR_EURIBOR_3M', spread: 0.001, payment_frequency_months: 3, reset_frequency_months: 3, next_reset_date: '2025-07-12', day_count: 'ACT/360' });
    const r = referenceAnalyse({ positions: [x1], curves: REPRODUCTION_CURVES, settings });
    expect(r.total.nii['base']).toBeCloseTo(23_362.97, 2);
    expect(r.total.nii['parallel_down']! - r.total.nii['base']!).toBeCloseTo(-18_411.84, 2);
  });

  it('a sight deposit at 1% ACT/360 costs 1,000,000 × 1% × 365/360 over 12 months', () => {
    const d1 = record({ position_id: 'D1', side: 'liability', amortization: 'non_maturing', rate_type: 'fixed', rate: 0.01, day_count: 'ACT/360' });
    const r = referenceAnalyse({ positions: [d1], curves: REPRODUCTION_CURVES, settings });
    expect(r.total.nii['base']).toBeCloseTo(-10_138.89, 2);
    expect(r.total.nii['parallel_up']).toBeCloseTo(-30_361.11, 2);
  });

  it('a floating scheduled loan repays its row before the next reset on its own date in the standardised method', () => {
    const s1 = record({ position_id: 'S1', start_date: '2024-12-20', maturity_date: '2027-12-20', amortization: 'scheduled', rate_type: 'floating', rate: 0.03, index: 'EUR_EURIBOR_3M', spread: 0.01, payment_frequency_months: 12, reset_frequency_months: 12, next_reset_date: '2025-12-20', day_count: 'ACT/360' });
    const schedules = [
      { position_id: 'S1', date: '2025-09-01', principal: 400_000 },
      { position_id: 'S1', date: '2026-12-20', principal: 300_000 },
    ];
    const r = referenceAnalyse({ positions: [s1], schedules, curves: REPRODUCTION_CURVES, settings });
    expect(r.total.eveStandardised['base']).toBeCloseTo(1_017_677.43, 2);
    expect(r.total.eveStandardised['parallel_up']).toBeCloseTo(1_008_661.44, 2);
    expect(r.total.gapAssets[2]).toBe(400_000); // 1M-3M
    expect(r.total.gapAssets[4]).toBe(600_000); // 6M-9M
  });

  it('30/360 on 29 February and 31st, ACT/ACT across a leap year end', () => {
    expect(accrualFraction('30/360', parseDay('2024-02-29'), parseDay('2024-03-31'))).toBeCloseTo(30 / 360, 15);
    expect(accrualFraction('30/360', parseDay('2024-02-29'), parseDay('2025-02-28'))).toBeCloseTo(1, 15);
    expect(accrualFraction('30/360', parseDay('2024-01-31'), parseDay('2024-02-29'))).toBeCloseTo(29 / 360, 15);
    expect(accrualFraction('ACT/ACT', parseDay('2024-07-01'), parseDay('2025-07-01'))).toBeCloseTo(184 / 366 + 181 / 365, 15);
  });

  it('payment dates keep month ends and roll from the maturity: 29 Feb 2028 quarterly gives 30 Nov, 31 Aug, 31 May', () => {
    const c = contractOf(record({ position_id: 'B', maturity_date: '2028-02-29', amortization: 'bullet', rate_type: 'fixed', rate: 0.04, payment_frequency_months: 3 }), []);
    const flows = projectFlows(c, { asOf: parseDay('2027-05-15'), scenario: 'base', floor: 'eu', projection: undefined, annualBehaviourRate: 0, truncateAtReset: false });
    expect(flows.map((f) => new Date(f.date * 86_400_000).toISOString().slice(0, 10))).toEqual(['2027-05-31', '2027-08-31', '2027-11-30', '2028-02-29']);
    expect(flows[0]!.accrualStart).toBe(parseDay('2027-02-28'));
    expect(flows[3]!.principal).toBe(1_000_000);
    expect(flows[1]!.interest).toBeCloseTo(1_000_000 * 0.04 * (92 / 365), 9);
  });
});
