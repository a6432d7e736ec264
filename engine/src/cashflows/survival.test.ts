import { describe, expect, it } from 'vitest';
import { firstPeriodMonths, monthlyRate } from '../behaviour.ts';
import { formatIsoDate, parseIsoDate } from '../dates.ts';
import { addDerived, addDerived3, addFloatingScenarios, forwardTable } from '../eve/kernels.ts';
import { PositionsBuilder } from '../position-builder.ts';
import { DAY_COUNTS } from '../positions.ts';
import { deriveBehaviour } from './derive-behaviour.ts';
import { FlowBuffer } from './flow-buffer.ts';
import { FlowGenerator, flowOptions } from './generate.ts';
import { behaviouralPrincipal, floatingCoupon, indexForward, survival } from './survival.ts';

// The behaviour recurrence and the floating coupon are defined once (survival.ts). Hot loops that
// write a copy out (the four lanes of addFloatingScenarios, forwardTable) or walk lanes side by side
// (addDerived3) are held here to those definitions, bit for bit, on seeded random contracts.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AS_OF = parseIsoDate('2025-06-30') as number;
const pick = <T,>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

/** The §3/§5 recurrence written from the definitions: behavioural flows of contractual ones. */
function reference(contractual: FlowBuffer, notional: number, annual: number, frequency: number): { interest: number[]; principal: number[] } {
  const smm = annual > 0 ? monthlyRate(annual) : 0;
  let balance = notional;
  let cumulative = 1;
  const interest: number[] = [];
  const principal: number[] = [];
  for (let k = 0; k < contractual.count; k++) {
    const due = contractual.principal[k] as number;
    interest.push((contractual.interest[k] as number) * cumulative);
    if (k === contractual.count - 1) principal.push(balance * cumulative);
    else {
      const s = survival(smm, firstPeriodMonths(frequency, contractual.accrualStart[k] as number, contractual.day[k] as number, AS_OF));
      principal.push(cumulative * behaviouralPrincipal(balance, due, s));
      cumulative *= s;
    }
    balance -= due;
  }
  return { interest, principal };
}

/** Random contractual flows of a fixed contract (first period started before as_of). */
function randomContract(r: () => number): { flows: FlowBuffer; notional: number; frequency: number } {
  const frequency = pick(r, [1, 3, 6, 12]);
  const n = 1 + Math.floor(r() * 60);
  const notional = 1_000 + r() * 5_000_000;
  const flows = new FlowBuffer();
  let balance = notional;
  let start = AS_OF - Math.floor(r() * 30 * frequency);
  for (let k = 0; k < n; k++) {
    const day = k === 0 ? AS_OF + 1 + Math.floor(r() * 30 * frequency) : start + Math.round(30.4 * frequency);
    const principal = k === n - 1 ? balance : r() < 0.3 ? 0 : balance * r() * 0.2;
    flows.push(day, start, balance * (r() * 0.08) * ((day - start) / 365), principal);
    balance -= principal;
    start = day;
  }
  return { flows, notional, frequency };
}

describe('survival.ts definitions', () => {
  it('survival is (1 − SMM)^months, 1 exactly without behaviour; behaviouralPrincipal keeps the due principal at survival 1', () => {
    expect(survival(0, 7)).toBe(1);
    expect(survival(0.01, 12)).toBeCloseTo(Math.pow(0.99, 12), 15);
    expect(survival(monthlyRate(0.1), 12)).toBeCloseTo(0.9, 14); // an annual 10% leaves 90% after a year
    expect(behaviouralPrincipal(1_000, 100, 1)).toBe(100);
    expect(behaviouralPrincipal(1_000, 100, 0.95)).toBeCloseTo(100 + 900 * 0.05, 12);
    expect(floatingCoupon(0.01, 0.002, Number.NaN, Number.NaN)).toBe(0.012);
    expect(floatingCoupon(-0.01, 0.002, 0, Number.NaN)).toBe(0);
    expect(floatingCoupon(0.09, 0.002, 0, 0.05)).toBe(0.05);
    expect(indexForward(1, 0.99, 0.25)).toBeCloseTo((1 / 0.99 - 1) / 0.25, 15);
  });
});

describe('fixed contracts with behaviour: every path is the reference recurrence, bit for bit', () => {
  it('deriveBehaviour, addDerived and the three lanes of addDerived3 on 400 random contracts', () => {
    const r = rng(20251204);
    for (let c = 0; c < 400; c++) {
      const { flows, notional, frequency } = randomContract(r);
      const rates = [r() < 0.2 ? 0 : r() * 0.3, r() * 0.3, r() < 0.3 ? 0 : r()];
      const n = flows.count;
      const three = new Float64Array(3 * n + 3);
      addDerived3(flows, notional, rates[0]!, rates[1]!, rates[2]!, frequency, AS_OF, three, 1, -1);
      rates.forEach((annual, v) => {
        const want = reference(flows, notional, annual, frequency);
        const derived = new FlowBuffer();
        deriveBehaviour(flows, notional, annual, frequency, AS_OF, derived);
        expect([...derived.interest.subarray(0, n)]).toEqual(want.interest);
        expect([...derived.principal.subarray(0, n)]).toEqual(want.principal);
        const one = new Float64Array(3 * n + 3);
        addDerived(flows, notional, annual, frequency, AS_OF, one, 1, -1, null, 3, v);
        for (let k = 0; k < n; k++) {
          const expected = -((want.interest[k] as number) + (want.principal[k] as number));
          expect(one[1 + 3 * k + v]).toBe(expected);
          expect(three[1 + 3 * k + v]).toBe(expected);
        }
      });
    }
  });
});

describe('floating contracts: the written-out lanes of addFloatingScenarios are the generator, bit for bit', () => {
  it('on 250 random floaters (bullet, linear, annuity; floors, caps, spreads, behaviour) in 7 scenarios', () => {
    const r = rng(7);
    const S = 7;
    let resetsInside = 0;
    for (let c = 0; c < 250; c++) {
      const payment = pick(r, [1, 3, 6, 12]);
      const reset = pick(r, [0, 1, 3, 6, 12]);
      const start = AS_OF - Math.floor(r() * 2_000);
      const maturity = AS_OF + 30 + Math.floor(r() * 15 * 365);
      const b = new PositionsBuilder();
      b.add({
        position_id: `F${c}`, side: r() < 0.5 ? 'asset' : 'liability', product: 'p', currency: 'EUR', notional: 1_000 + r() * 1e7,
        start_date: formatIsoDate(start), maturity_date: formatIsoDate(maturity), amortization: pick(r, ['bullet', 'linear', 'annuity'] as const),
        rate_type: 'floating', rate: r() * 0.06, index: 'EUR_EURIBOR_3M', spread: r() < 0.2 ? undefined : (r() - 0.3) * 0.02,
        floor: r() < 0.5 ? undefined : r() * 0.02, cap: r() < 0.6 ? undefined : 0.03 + r() * 0.05,
        payment_frequency_months: payment, reset_frequency_months: reset === 0 ? undefined : reset,
        next_reset_date: r() < 0.3 ? undefined : formatIsoDate(AS_OF + 1 + Math.floor(r() * 30 * (reset || payment))),
        day_count: pick(r, DAY_COUNTS), cpr: r() < 0.4 ? undefined : r() * 0.2,
      });
      const p = b.build();
      const lastDay = maturity + 400; // a reset period past maturity
      const projections = Array.from({ length: S }, () => {
        const z = -0.01 + r() * 0.06;
        const slope = (r() - 0.5) * 1e-6;
        return Float64Array.from({ length: lastDay - AS_OF + 1 }, (_, d) => Math.exp((-(z + slope * d) * d) / 365));
      });
      const annual = (p.cpr[0] as number) > 0 ? (p.cpr[0] as number) : 0;
      const behaviourRates = Float64Array.from({ length: S }, (_, s) => (annual > 0 ? Math.min(1, annual * [1, 0.8, 1.2][s % 3]!) : 0));
      const g = new FlowGenerator(p, undefined, AS_OF, lastDay);
      if (!g.prepare(0)) continue;
      const reference = Array.from({ length: S }, () => new FlowBuffer());
      g.runScenarios(projections, behaviourRates, Number.POSITIVE_INFINITY, reference);
      const capture = Array.from({ length: S }, () => new FlowBuffer());
      const target = new Float64Array(g.count * S);
      addFloatingScenarios(g, p, 0, forwardTable(g.resets, g.resetTaus, projections, AS_OF), behaviourRates, target, 0, 1, capture, Number.POSITIVE_INFINITY);
      for (let s = 0; s < S; s++) {
        const want = reference[s] as FlowBuffer;
        const got = capture[s] as FlowBuffer;
        expect(got.count).toBe(want.count);
        expect([...got.interest.subarray(0, got.count)]).toEqual([...want.interest.subarray(0, want.count)]);
        expect([...got.principal.subarray(0, got.count)]).toEqual([...want.principal.subarray(0, want.count)]);
        expect([...got.pieceInterest.subarray(0, got.pieces)]).toEqual([...want.pieceInterest.subarray(0, want.pieces)]);
        resetsInside += got.pieces;
        for (let k = 0; k < want.count; k++) expect(target[k * S + s]).toBe((want.interest[k] as number) + (want.principal[k] as number));
        // and each scenario alone through run(): the generator's own single path
        const alone = new FlowBuffer();
        const o = flowOptions(AS_OF, false, Number.POSITIVE_INFINITY);
        o.projection = projections[s] as Float64Array;
        o.annualBehaviourRate = behaviourRates[s] as number;
        g.run(o, alone);
        expect([...alone.interest.subarray(0, alone.count)]).toEqual([...want.interest.subarray(0, want.count)]);
        expect([...alone.principal.subarray(0, alone.count)]).toEqual([...want.principal.subarray(0, want.count)]);
      }
    }
    expect(resetsInside).toBeGreaterThan(100); // the reset-inside-a-period branch ran
  });
});
