import { describe, expect, it } from 'vitest';
import {
  applyMultiplier,
  coreShareFor,
  cprMultiplier,
  monthlyRate,
  NMD_CAPS,
  nmdCoreFraction,
  nmdCoreRunoff,
  tdrrMultiplier,
  validateNmdAssumptions,
  type NmdAssumption,
  type NmdRunoff,
} from './behaviour.ts';

const sum = (r: NmdRunoff): number => r.fractions.reduce((a, b) => a + b, 0);
const averageYears = (r: NmdRunoff): number => r.fractions.reduce((a, f, i) => a + (f * (r.months[i] as number)) / 12, 0);

describe('NMD assumptions', () => {
  it('carry the §5 caps', () => {
    expect(NMD_CAPS.retail_transactional).toEqual({ coreShare: 0.9, averageMaturityYears: 5 });
    expect(NMD_CAPS.retail_non_transactional).toEqual({ coreShare: 0.7, averageMaturityYears: 4.5 });
    expect(NMD_CAPS.wholesale).toEqual({ coreShare: 0.5, averageMaturityYears: 4 });
  });

  it('accept assumptions at the caps', () => {
    expect(
      validateNmdAssumptions([
        { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.9, averageMaturityYears: 5 },
        { category: 'wholesale', stableShare: 0.5, coreShare: 0.5, averageMaturityYears: 4, coreShareByScenario: { parallel_up: 0.4 } },
      ]),
    ).toEqual({ ok: true });
  });

  it('refuse values above the caps, naming category, value and cap', () => {
    const r = validateNmdAssumptions([
      { category: 'retail_transactional', stableShare: 0.8, coreShare: 0.95, averageMaturityYears: 5 },
      { category: 'retail_non_transactional', stableShare: 0.7, coreShare: 0.6, averageMaturityYears: 4.75 },
      { category: 'wholesale', stableShare: 1.2, coreShare: 0.5, averageMaturityYears: 3, coreShareByScenario: { parallel_down: 0.525 } },
      { category: 'wholesale', stableShare: 0.5, coreShare: 0.4, averageMaturityYears: 0 },
    ]);
    expect(r).toEqual({
      ok: false,
      errors: [
        'retail_transactional core share 95% exceeds the regulatory cap of 90%',
        'retail_non_transactional average maturity 4.75 years exceeds the regulatory cap of 4.5 years',
        'wholesale stable share must be a decimal between 0 and 1 (0.8 for 80%), got 1.2',
        'wholesale core share 52.5% in parallel_down exceeds the regulatory cap of 50%',
        'wholesale is given more than once; keep one assumption per category',
        'wholesale average maturity must be a positive number of years, got 0',
      ],
    });
  });

  it('refuse an unknown category', () => {
    const bad = { category: 'sme', stableShare: 1, coreShare: 0.5, averageMaturityYears: 2 } as unknown as NmdAssumption;
    const r = validateNmdAssumptions([bad]);
    expect(r.ok === false && r.errors[0]).toContain('"sme"');
  });

  it('use the scenario core share where given', () => {
    const a: NmdAssumption = { category: 'wholesale', stableShare: 0.6, coreShare: 0.5, averageMaturityYears: 3, coreShareByScenario: { parallel_up: 0.25 } };
    expect(coreShareFor(a, 'parallel_up')).toBe(0.25);
    expect(coreShareFor(a, 'flattener')).toBe(0.5);
    expect(nmdCoreFraction(a, 'parallel_up')).toBeCloseTo(0.15, 15);
    expect(nmdCoreFraction(a, 'base')).toBeCloseTo(0.3, 15);
  });
});

describe('nmdCoreRunoff', () => {
  it('linear: equal monthly slices whose average maturity is exact', () => {
    const r = nmdCoreRunoff(5);
    expect(r.months.length).toBe(119); // (119 + 1)/2 = 60 months
    expect(r.months[0]).toBe(1);
    expect(r.months[118]).toBe(119);
    expect(r.fractions[0]).toBeCloseTo(1 / 119, 15);
    expect(sum(r)).toBeCloseTo(1, 12);
    expect(averageYears(r)).toBeCloseTo(5, 12);
  });

  it('linear: a partial last month for averages that are not half-months', () => {
    const r = nmdCoreRunoff(3.3);
    expect(r.months.length).toBe(79);
    expect((r.fractions[78] as number) < (r.fractions[0] as number)).toBe(true);
    expect(sum(r)).toBeCloseTo(1, 12);
    expect(averageYears(r)).toBeCloseTo(3.3, 12);
  });

  it('exponential: constant monthly run-off, remainder at 20 years, exact average', () => {
    const r = nmdCoreRunoff(4, 'exponential');
    expect(r.months.length).toBe(240);
    const q = r.fractions[0] as number;
    expect(r.fractions[1]).toBeCloseTo(q * (1 - q), 15);
    expect(sum(r)).toBeCloseTo(1, 12);
    expect(averageYears(r)).toBeCloseTo(4, 9);
  });

  it('pays a very short core at month 1 and refuses a non-positive average', () => {
    expect(Array.from(nmdCoreRunoff(1 / 24).fractions)).toEqual([1]);
    expect(() => nmdCoreRunoff(0)).toThrow(/positive/);
  });
});

describe('prepayment and redemption', () => {
  it('scale CPR and TDRR by scenario direction (§5)', () => {
    const cases: [string, number, number][] = [
      ['parallel_up', 0.8, 1.2],
      ['steepener', 0.8, 0.8],
      ['short_up', 0.8, 1.2],
      ['parallel_down', 1.2, 0.8],
      ['flattener', 1.2, 1.2],
      ['short_down', 1.2, 0.8],
      ['parallel_up_300', 0.8, 1.2],
      ['ramp_down_100', 1.2, 0.8],
      ['base', 1, 1],
      ['my_custom', 1, 1],
    ];
    for (const [id, cpr, tdrr] of cases) {
      expect([id, cprMultiplier(id), tdrrMultiplier(id)]).toEqual([id, cpr, tdrr]);
    }
  });

  it('cap a scaled rate at 1', () => {
    expect(applyMultiplier(0.1, 1.2)).toBeCloseTo(0.12, 15);
    expect(applyMultiplier(0.9, 1.2)).toBe(1);
  });

  it('convert an annual rate to a monthly SMM', () => {
    // 12 months at the SMM leave (1 − CPR) of the balance.
    expect(Math.pow(1 - monthlyRate(0.1), 12)).toBeCloseTo(0.9, 14);
    expect(monthlyRate(0.06)).toBeCloseTo(0.0051430128, 9); // python: 1 - 0.94 ** (1/12)
    expect(monthlyRate(0)).toBe(0);
    expect(monthlyRate(1)).toBe(1);
  });
});
