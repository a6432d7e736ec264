import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../dates.ts';
import { PositionsBuilder } from '../position-builder.ts';
import type { PositionRecord } from '../positions.ts';
import { FlowBuffer } from './flow-buffer.ts';
import { FlowGenerator, type FlowOptions } from './generate.ts';
import { indexSchedules } from './schedule-index.ts';
import { deriveBehaviour } from './derive-behaviour.ts';
import { SchedulesBuilder } from '../position-builder.ts';

const AS_OF = parseIsoDate('2025-03-15') as number;
const base: PositionRecord = {
  position_id: 'p',
  side: 'asset',
  product: 'loan',
  currency: 'EUR',
  notional: 1_000_000,
  amortization: 'bullet',
  rate_type: 'fixed',
  rate: 0.05,
};
const options = (extra: Partial<FlowOptions> = {}): FlowOptions => ({
  asOf: AS_OF,
  annualBehaviourRate: 0,
  projection: null,
  truncateAtReset: false,
  untilDay: Number.POSITIVE_INFINITY,
  ...extra,
});

function flowsOf(record: PositionRecord, o: FlowOptions = options(), schedule?: [string, number][]) {
  const b = new PositionsBuilder();
  b.add(record);
  const positions = b.build();
  let index;
  if (schedule) {
    const s = new SchedulesBuilder(positions.id);
    for (const [date, amount] of schedule) s.add(record.position_id, date, amount);
    index = indexSchedules(s.build(), 1);
  }
  const g = new FlowGenerator(positions, index, AS_OF, AS_OF + 20_000);
  const out = new FlowBuffer(4);
  g.generate(0, o, out);
  return Array.from({ length: out.count }, (_, k) => ({
    day: out.day[k] as number,
    interest: out.interest[k] as number,
    principal: out.principal[k] as number,
  }));
}

/** Independent reference: Date.UTC month arithmetic, no engine date code. */
function utcDay(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

describe('fixed bullet', () => {
  it('matches an independent loop of dates and ACT/360 accruals', () => {
    // quarterly 4.5% ACT/360 bullet maturing 2027-08-20: payment dates are the 20th of Feb/May/Aug/Nov
    const flows = flowsOf({ ...base, rate: 0.045, maturity_date: '2027-08-20', payment_frequency_months: 3, day_count: 'ACT/360' });
    const expected: { day: number; interest: number; principal: number }[] = [];
    let previous = utcDay(2025, 2, 20);
    for (let q = 0; q < 10; q++) {
      const month = 5 + 3 * q; // May 2025 … Aug 2027
      const day = utcDay(2025 + Math.floor((month - 1) / 12), ((month - 1) % 12) + 1, 20);
      expected.push({ day, interest: (1_000_000 * 0.045 * (day - previous)) / 360, principal: q === 9 ? 1_000_000 : 0 });
      previous = day;
    }
    expect(flows.length).toBe(10);
    flows.forEach((f, k) => {
      expect(f.day).toBe(expected[k]!.day);
      expect(f.interest).toBeCloseTo(expected[k]!.interest, 8);
      expect(f.principal).toBe(expected[k]!.principal);
    });
    expect(flows[0]!.interest).toBeCloseTo((1_000_000 * 0.045 * 89) / 360, 8); // 20 Feb → 20 May = 89 days
  });
});

describe('first period', () => {
  it('accrues from the start date when the contract started after the previous roll date', () => {
    const flows = flowsOf({ ...base, rate: 0.05, start_date: '2025-02-01', maturity_date: '2026-03-20', payment_frequency_months: 3, day_count: 'ACT/365' });
    expect(flows[0]!.day).toBe(utcDay(2025, 3, 20));
    expect(flows[0]!.interest).toBeCloseTo((1_000_000 * 0.05 * 47) / 365, 8); // 1 Feb → 20 Mar
    expect(flows[1]!.interest).toBeCloseTo((1_000_000 * 0.05 * 92) / 365, 8); // 20 Mar → 20 Jun
  });

  it('a forward-starting contract has no flows before its start', () => {
    const flows = flowsOf({ ...base, rate: 0.05, start_date: '2025-06-01', maturity_date: '2026-06-01', payment_frequency_months: 6, day_count: 'ACT/365' });
    expect(flows.map((f) => f.day)).toEqual([utcDay(2025, 12, 1), utcDay(2026, 6, 1)]);
    expect(flows[0]!.interest).toBeCloseTo((1_000_000 * 0.05 * 183) / 365, 8);
  });
});

describe('amortising profiles', () => {
  it('annuity instalment is constant under 30/360 with a regular schedule', () => {
    const flows = flowsOf({ ...base, amortization: 'annuity', maturity_date: '2030-03-20', payment_frequency_months: 1, day_count: '30/360', rate: 0.06 });
    const i = 0.06 / 12;
    const n = flows.length;
    expect(n).toBe(61); // 2025-03-20 … 2030-03-20 (the 20th: no month-end day-count effects)
    const instalment = (1_000_000 * i) / (1 - Math.pow(1 + i, -n));
    for (const f of flows) expect(f.interest + f.principal).toBeCloseTo(instalment, 6);
    expect(flows.reduce((s, f) => s + f.principal, 0)).toBeCloseTo(1_000_000, 6);
  });

  it('linear repays N/n each date with interest on the balance before payment', () => {
    const flows = flowsOf({ ...base, amortization: 'linear', maturity_date: '2026-03-20', payment_frequency_months: 3, day_count: 'ACT/365', rate: 0.04 });
    expect(flows.length).toBe(5); // 2025-03-20, 06-20, 09-20, 12-20, 2026-03-20
    let balance = 1_000_000;
    let previous = utcDay(2024, 12, 20);
    for (const f of flows) {
      expect(f.principal).toBeCloseTo(200_000, 8);
      expect(f.interest).toBeCloseTo((balance * 0.04 * (f.day - previous)) / 365, 8);
      balance -= 200_000;
      previous = f.day;
    }
  });

  it('scheduled takes principal from the table and repays the residual at maturity', () => {
    const flows = flowsOf(
      { ...base, amortization: 'scheduled', maturity_date: '2026-09-30', payment_frequency_months: 6, day_count: 'ACT/365', rate: 0.03 },
      options(),
      [
        ['2025-09-30', 100_000],
        ['2026-03-31', 150_000],
        ['2024-09-30', 999_999], // before as_of: already reflected in the notional
      ],
    );
    expect(flows.map((f) => f.principal)).toEqual([0, 100_000, 150_000, 750_000]);
    expect(flows[0]!.day).toBe(utcDay(2025, 3, 31));
    // interest of the last period on the balance after the two scheduled repayments
    expect(flows[3]!.interest).toBeCloseTo((750_000 * 0.03 * (utcDay(2026, 9, 30) - utcDay(2026, 3, 31))) / 365, 8);
  });
});

describe('prepayment', () => {
  it('CPR reduces the balance by the monthly SMM on top of contractual amortisation', () => {
    const cpr = 0.12;
    const smm = 1 - Math.pow(1 - cpr, 1 / 12);
    const flows = flowsOf(
      { ...base, maturity_date: '2026-03-15', payment_frequency_months: 1, day_count: 'ACT/365', rate: 0.05 },
      options({ annualBehaviourRate: cpr }),
    );
    expect(flows.length).toBe(12);
    let balance = 1_000_000;
    for (let k = 0; k < 11; k++) {
      expect(flows[k]!.principal).toBeCloseTo(balance * smm, 6);
      balance *= 1 - smm;
    }
    expect(flows[11]!.principal).toBeCloseTo(balance, 6);
    expect(balance).toBeCloseTo(1_000_000 * Math.pow(1 - cpr, 11 / 12), 4);
  });
});

describe('floating', () => {
  it('pays the current rate until the next reset, then forward + spread, floored, pro rata across the reset', () => {
    // flat 2% continuously compounded projection; spread −3% → forward + spread < 0 → floor 0 binds
    const z = 0.02;
    const grid = Float64Array.from({ length: 20_001 }, (_, d) => Math.exp((-z * d) / 365));
    const flows = flowsOf(
      {
        ...base,
        rate_type: 'floating',
        index: 'EUR_EURIBOR_3M',
        rate: 0.031,
        spread: 0.01,
        maturity_date: '2025-12-15',
        payment_frequency_months: 6,
        reset_frequency_months: 3,
        next_reset_date: '2025-05-01',
        day_count: 'ACT/360',
      },
      options({ projection: grid }),
    );
    const reset1 = utcDay(2025, 5, 1);
    const reset2 = utcDay(2025, 8, 1);
    const reset3 = utcDay(2025, 11, 1);
    const fwd = (s: number, e: number) => (Math.exp((z * (e - AS_OF)) / 365 - (z * (s - AS_OF)) / 365) - 1) / ((e - s) / 360);
    const r1 = fwd(reset1, reset2) + 0.01;
    const r2 = fwd(reset2, reset3) + 0.01;
    const r3 = fwd(reset3, utcDay(2026, 2, 1)) + 0.01;
    const june = utcDay(2025, 6, 15);
    const dec = utcDay(2025, 12, 15);
    const N = 1_000_000;
    expect(flows.length).toBe(2);
    expect(flows[0]!.interest).toBeCloseTo((N * (0.031 * (reset1 - utcDay(2024, 12, 15)) + r1 * (june - reset1))) / 360, 6);
    expect(flows[1]!.interest).toBeCloseTo((N * (r1 * (reset2 - june) + r2 * (reset3 - reset2) + r3 * (dec - reset3))) / 360, 6);

    const floored = flowsOf(
      { ...base, rate_type: 'floating', index: 'X', rate: 0.001, spread: -0.03, floor: 0, maturity_date: '2025-09-15', payment_frequency_months: 3, reset_frequency_months: 3, next_reset_date: '2025-06-15', day_count: 'ACT/360' },
      options({ projection: grid }),
    );
    expect(floored[1]!.interest).toBe(0);
  });

  it('truncated at the next reset (standardised / gap): balance plus known coupon there', () => {
    const flows = flowsOf(
      { ...base, rate_type: 'floating', index: 'X', rate: 0.04, spread: 0, maturity_date: '2030-01-10', payment_frequency_months: 3, reset_frequency_months: 3, next_reset_date: '2025-04-10', day_count: 'ACT/365' },
      options({ truncateAtReset: true }),
    );
    expect(flows).toEqual([{ day: utcDay(2025, 4, 10), interest: (1_000_000 * 0.04 * 90) / 365, principal: 1_000_000 }]);
  });
});

describe('several scenarios at once', () => {
  it('runScenarios gives exactly what run gives per scenario (floating annuity with prepayment)', () => {
    const b = new PositionsBuilder();
    b.add({ ...base, amortization: 'annuity', rate_type: 'floating', index: 'X', rate: 0.035, spread: 0.012, floor: 0.02, maturity_date: '2040-07-07', start_date: '2020-07-07', payment_frequency_months: 1, reset_frequency_months: 3, next_reset_date: '2025-04-21', day_count: 'ACT/360', cpr: 0.05 });
    const positions = b.build();
    const grids = [0.01, 0.03, -0.004].map((z) => Float64Array.from({ length: 20_001 }, (_, d) => Math.exp((-(z + d * 1e-6) * d) / 365)));
    const rates = [0.05, 0.04, 0.06];
    const g = new FlowGenerator(positions, undefined, AS_OF, AS_OF + 20_000);
    expect(g.prepare(0)).toBe(true);
    expect(g.sharesCalendarAcrossScenarios).toBe(true);
    const together = grids.map(() => new FlowBuffer(8));
    g.runScenarios(grids, rates, Number.POSITIVE_INFINITY, together);
    grids.forEach((grid, s) => {
      const alone = new FlowBuffer(8);
      g.run(options({ projection: grid, annualBehaviourRate: rates[s]! }), alone);
      const t = together[s]!;
      expect(t.count).toBe(alone.count);
      expect(t.count).toBeGreaterThan(180);
      for (let k = 0; k < t.count; k++) {
        expect(t.day[k]).toBe(alone.day[k]);
        expect(t.interest[k]).toBeCloseTo(alone.interest[k]!, 9);
        expect(t.principal[k]).toBeCloseTo(alone.principal[k]!, 9);
      }
    });
    // the scenarios really differ (floored low-rate scenario pays the 2% floor)
    expect(together[0]!.interest[30]).not.toBeCloseTo(together[1]!.interest[30]!, 2);
  });
});

describe('behaviour derived from contractual flows', () => {
  it('equals a direct projection with the same CPR for annuity, linear and bullet', () => {
    for (const amortization of ['annuity', 'linear', 'bullet'] as const) {
      const b = new PositionsBuilder();
      b.add({ ...base, amortization, rate: 0.043, start_date: '2025-02-03', maturity_date: '2045-02-03', payment_frequency_months: 1, day_count: '30/360' });
      const g = new FlowGenerator(b.build(), undefined, AS_OF, AS_OF + 20_000);
      g.prepare(0);
      const contractual = new FlowBuffer(4);
      g.run(options(), contractual);
      for (const cpr of [0.03, 0.11]) {
        const direct = new FlowBuffer(4);
        g.run(options({ annualBehaviourRate: cpr }), direct);
        const derived = new FlowBuffer(4);
        deriveBehaviour(contractual, 1_000_000, cpr, 1, AS_OF, derived);
        expect(derived.count).toBe(direct.count);
        for (let k = 0; k < direct.count; k++) {
          expect(derived.day[k]).toBe(direct.day[k]);
          expect(derived.interest[k]).toBeCloseTo(direct.interest[k]!, 7);
          expect(derived.principal[k]).toBeCloseTo(direct.principal[k]!, 7);
        }
        expect(direct.principal[0]).toBeGreaterThan(contractual.principal[0]!); // the prepayment is there
      }
    }
  });
});
