import { describe, expect, it } from 'vitest';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { parseIsoDate } from '../dates.ts';
import { addFixedNii, addFixedNii3, type FixedNiiTargets } from './fixed-nii.ts';
import { FixedRenewalBook } from './fixed-renewal-book.ts';
import { Horizon } from './horizon.ts';
import { MonthSums } from './month-sums.ts';

const asOf = parseIsoDate('2025-06-30') as number;
const horizon = new Horizon(asOf, 12);

// a monthly annuity-like contract: first period started before as_of, 14 flows (past the horizon end)
function contractual(r: () => number = () => 0.5): FlowBuffer {
  const flows = new FlowBuffer();
  let balance = 250_000;
  let start = asOf - 11;
  for (let k = 0; k < 14; k++) {
    const day = asOf + 19 + 30 * k;
    const principal = (1_500 + 10 * k) * 2 * r();
    flows.push(day, start, balance * 0.041 * ((day - start) / 365), principal);
    balance -= principal;
    start = day;
  }
  return flows;
}

function run(three: boolean, constant: boolean, smms = Float64Array.of(0.004, 0.005, 0), r?: () => number): number[][] {
  const flows = contractual(r);
  const count = 14;
  const groups = Int32Array.of(1);
  const sets = [0, 1, 2].map(() => [new MonthSums(horizon, 3)]);
  const book = new FixedRenewalBook([3], horizon, 1, 4);
  const blocks = new Int32Array(1);
  book.blocksFor(0, 240, groups, blocks);
  if (three) {
    const rows = [1, 2, 3].map((set) => Int32Array.of(book.rowOf(blocks[0] as number, set)));
    addFixedNii3(flows, count, 250_000, smms, 1, horizon, -1, groups, sets, constant ? book : null, rows, 365, 0.0125);
  } else {
    for (let v = 0; v < 3; v++) {
      const targets: FixedNiiTargets = { interest: sets[v] as MonthSums[], book, bookRows: Int32Array.of(book.rowOf(blocks[0] as number, v + 1)), zero: [] };
      const pricing = constant ? { scenarios: [], zeros: new Float64Array(1), baseZero: 0, ramped: [] } : null;
      addFixedNii(flows, count, 250_000, smms[v] as number, 1, asOf, horizon.endDay, -1, groups, targets, pricing, 365, 0.0125);
    }
  }
  const out = sets.map((s) => {
    const values = new Float64Array(3 * 12);
    s[0]!.finish(values);
    return [...values];
  });
  // the book's volumes per set, priced at 1 in a one-scenario market per set
  const markets = [0, 1, 2, 3].map(() => ({ scenario: { rampMonths: 0 } })) as never;
  const rates = { zero: () => 1 } as never;
  const perScenario = [0, 1, 2, 3].map(() => [new Float64Array(3 * 12)]);
  book.price(rates, markets, [[0], [1], [2], [3]], perScenario);
  return [...out, ...perScenario.slice(1).map((p) => [...(p[0] as Float64Array)])];
}

describe('addFixedNii3', () => {
  it('gives exactly what three addFixedNii walks give (accrual, renewal margin and renewal volumes), constant and run-off', () => {
    for (const constant of [true, false]) {
      const one = run(false, constant);
      const three = run(true, constant);
      expect(three).toEqual(one);
      // real figures: a liability's interest expense in group 1's months, renewals only when constant
      expect(one[0]![12]).toBeLessThan(-100);
      expect(Math.abs(one[3]!.reduce((a, b) => a + b, 0)) > 0).toBe(constant);
    }
  });
});

describe('addFixedNii3 on random contracts', () => {
  it('is three addFixedNii walks bit for bit (its lanes write the survival definition out: cashflows/survival.ts)', () => {
    let seed = 99;
    const r = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let c = 0; c < 60; c++) {
      const smms = Float64Array.of(r() < 0.2 ? 0 : r() * 0.03, r() * 0.03, r() < 0.5 ? 0 : r() * 0.1);
      const constant = r() < 0.5;
      const draws = Array.from({ length: 14 }, r);
      const replay = (): (() => number) => {
        let k = 0;
        return () => draws[k++ % draws.length] as number;
      };
      expect(run(true, constant, smms, replay())).toEqual(run(false, constant, smms, replay()));
    }
  });
});
