import { describe, expect, it } from 'vitest';
import { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { addDerived, addDerived3 } from './kernels.ts';

// contractual flows of a 24-month linear loan, first period partly before as_of
function contractual(): FlowBuffer {
  const flows = new FlowBuffer();
  const asOf = 20_000;
  let balance = 120_000;
  let start = asOf - 12;
  for (let k = 0; k < 24; k++) {
    const day = asOf + 18 + 30 * k;
    const principal = 5_000;
    flows.push(day, start, balance * 0.045 * ((day - start) / 360), principal);
    balance -= principal;
    start = day;
  }
  return flows;
}

describe('addDerived3', () => {
  it('gives exactly what addDerived gives for each of three variants, including a variant without behaviour', () => {
    const flows = contractual();
    const rates = [0.04, 0.05, 0];
    const one = new Float64Array(3 * 30);
    rates.forEach((rate, v) => addDerived(flows, 120_000, rate, 1, 20_000, one, 2, -1, null, 3, v));
    const three = new Float64Array(3 * 30);
    addDerived3(flows, 120_000, rates[0]!, rates[1]!, rates[2]!, 1, 20_000, three, 2, -1);
    expect([...three]).toEqual([...one]);
    // the variant without behaviour is the contractual flow; prepayment moves principal forward
    expect(three[2 + 3 * 0 + 2]).toBeCloseTo(-(flows.interest[0]! + 5_000), 9);
    expect(-(three[2 + 0] as number)).toBeGreaterThan(flows.interest[0]! + 5_000);
    expect(Math.abs(one.slice(0, 2).reduce((a, b) => a + b, 0))).toBe(0);
  });
});
