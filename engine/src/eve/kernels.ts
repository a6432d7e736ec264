import { monthlyRate } from '../behaviour.ts';
import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { ANNUITY, LINEAR, annuityInstalment, tau, type FlowGenerator } from '../cashflows/generate.ts';
import type { PositionColumns } from '../positions.ts';

/**
 * Fused EVE kernels: the flows of one position go straight into the (group, slot) aggregates
 * instead of through a FlowBuffer, with the state in locals rather than scratch arrays. Each
 * performs exactly the floating-point operations of the general path (FlowGenerator.runScenarios /
 * deriveBehaviour followed by the slotting in evePass), in the same order, so results are identical
 * — the golden equivalence test holds them to it.
 */

/**
 * deriveBehaviour(contractual, …) added into target[base + slot(day)], slot = day (full method:
 * base = row − asOf) or slotByDay[day − asOf] (standardised: base = row). sign·(interest + principal).
 */
export function addDerived(
  contractual: FlowBuffer,
  notional: number,
  annual: number,
  frequencyMonths: number,
  asOf: number,
  target: Float64Array,
  base: number,
  sign: number,
  slotByDay: Uint8Array | null,
): void {
  const n = contractual.count;
  const days = contractual.day;
  const starts = contractual.accrualStart;
  const interests = contractual.interest;
  const principals = contractual.principal;
  const smm = annual > 0 ? monthlyRate(annual) : 0;
  const regular = smm > 0 ? Math.exp(frequencyMonths * Math.log1p(-smm)) : 1;
  let balance = notional;
  let cumulative = 1;
  for (let k = 0; k < n; k++) {
    const day = days[k] as number;
    const principal = principals[k] as number;
    const interest = (interests[k] as number) * cumulative;
    let repaid: number;
    if (k === n - 1 || smm === 0) repaid = k === n - 1 ? balance * cumulative : principal * cumulative;
    else {
      const start = starts[k] as number;
      const survival = k === 0 ? Math.exp(((frequencyMonths * (day - Math.max(start, asOf))) / (day - start)) * Math.log1p(-smm)) : regular;
      repaid = principal * cumulative + (balance - principal) * cumulative * (1 - survival);
      cumulative *= survival;
    }
    balance -= principal;
    const at = slotByDay === null ? base + day : base + (slotByDay[day - asOf] as number);
    target[at] = (target[at] as number) + sign * (interest + repaid);
  }
}

/**
 * A prepared floating contract (not scheduled) in every scenario, full method: projections[s] and
 * behaviourRates[s] per scenario, flows added into targets[s][row + day − asOf]. The calendar is
 * the generator's; balance, rate and instalment live in locals, one scenario after the other.
 */
export function addFloatingScenarios(
  g: FlowGenerator,
  p: PositionColumns,
  i: number,
  projections: readonly Float64Array[],
  behaviourRates: ArrayLike<number>,
  targets: readonly Float64Array[],
  row: number,
  sign: number,
): void {
  const dates = g.dates;
  const n = dates.length;
  if (n === 0) return;
  const asOf = g.asOf;
  const base = row - asOf;
  const taus = g.taus;
  const resets = g.resets;
  const resetTaus = g.resetTaus;
  const amortization = g.amortization;
  const frequency = g.frequency;
  const dayCount = g.dayCount;
  const firstTau = g.firstTau;
  const notional = p.notional[i] as number;
  const rate0 = p.rate[i] as number;
  const given = p.spread[i] as number;
  const spread = given === given ? given : 0; // NaN spread = none
  const floor = p.floor[i] as number;
  const cap = p.cap[i] as number;
  const instalment0 = amortization === ANNUITY ? annuityInstalment(notional, rate0, frequency, n) : 0;
  for (let s = 0; s < projections.length; s++) {
    const projection = projections[s] as Float64Array;
    const target = targets[s] as Float64Array;
    const annual = behaviourRates[s] as number;
    const smm = annual > 0 ? monthlyRate(annual) : 0;
    const regular = smm > 0 ? Math.pow(1 - smm, frequency) : 1;
    let balance = notional;
    let rate = rate0;
    let instalment = instalment0;
    let changed = false;
    let resetAt = g.firstReset;
    let nextReset = resetAt < resets.length ? (resets[resetAt] as number) : Number.POSITIVE_INFINITY;
    let a = g.previousRoll;
    for (let k = 0; k < n; k++) {
      const d = dates[k] as number;
      let interest: number;
      if (nextReset >= d) interest = balance * rate * (k === 0 ? firstTau : (taus[k] as number));
      else {
        interest = 0;
        let start = a;
        while (nextReset < d) {
          if (nextReset > start) {
            interest += balance * rate * tau(dayCount, start, nextReset);
            start = nextReset;
          }
          // FlowGenerator.fixing: forward over the reset period + spread, bounded by floor/cap (§3)
          const df1 = projection[(resets[resetAt] as number) - asOf] as number;
          const df2 = projection[(resets[resetAt + 1] as number) - asOf] as number;
          rate = (df1 / df2 - 1) / (resetTaus[resetAt] as number) + spread;
          if (rate < floor) rate = floor; // NaN bounds compare false: no bound
          if (rate > cap) rate = cap;
          changed = true;
          resetAt++;
          nextReset = resetAt < resets.length ? (resets[resetAt] as number) : Number.POSITIVE_INFINITY;
        }
        interest += balance * rate * tau(dayCount, start, d);
      }
      const last = k === n - 1;
      let principal = 0;
      if (last) principal = balance;
      else if (amortization === LINEAR) principal = balance / (n - k);
      else if (amortization === ANNUITY) {
        if (changed) {
          instalment = annuityInstalment(balance, rate, frequency, n - k);
          changed = false;
        }
        principal = interest >= instalment ? 0 : Math.min(balance, instalment - interest);
      }
      if (smm > 0 && !last) {
        const survival = k === 0 ? Math.pow(1 - smm, (frequency * (d - Math.max(a, asOf))) / (d - a)) : regular;
        principal += (balance - principal) * (1 - survival);
        instalment *= survival;
      }
      const at = base + d;
      target[at] = (target[at] as number) + sign * (interest + principal);
      balance -= principal;
      a = d;
    }
  }
}
