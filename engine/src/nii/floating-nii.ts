import { addMonths } from '../dates.ts';
import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import type { PositionColumns } from '../positions.ts';
import type { Horizon } from './horizon.ts';
import type { MonthSums } from './month-sums.ts';
import { renewalAccrual, renewalBasis } from './renewals.ts';

/**
 * NII of a floating contract projected in every scenario by FlowGenerator.runScenarios (same
 * payment days in every buffer) into sums[s][d] (methodology §7): each flow's interest accrued
 * evenly over its period and, on a constant balance sheet, every principal repaid inside the
 * horizon renewed at once as the same floating product, re-fixing every reset period at the
 * scenario forward + spread, bounded by floor/cap, until the horizon end. The renewal calendar is
 * walked once for all scenarios; a flow without principal in every scenario (a bullet before
 * maturity) renews nothing.
 */
export class FloatingNii {
  /** addMonths(day, months) memo: renewal dates repeat across scenarios and contracts */
  private readonly rolled = new Map<number, number>();

  constructor(private readonly horizon: Horizon) {}

  private roll(day: number, months: number): number {
    const key = day * 4096 + months;
    let rolled = this.rolled.get(key);
    if (rolled === undefined) {
      rolled = addMonths(day, months, false);
      this.rolled.set(key, rolled);
    }
    return rolled;
  }

  add(
    buffers: readonly FlowBuffer[],
    p: PositionColumns,
    i: number,
    /** projection grids by day offset, per scenario */
    projections: readonly Float64Array[],
    constant: boolean,
    sign: number,
    groups: Int32Array,
    sums: readonly (readonly MonthSums[])[],
  ): void {
    const first = buffers[0];
    if (first === undefined) return;
    const horizon = this.horizon;
    const asOf = horizon.asOf;
    const end = horizon.endDay;
    const S = buffers.length;
    const dims = groups.length;
    const dayCount = p.dayCount[i] as number;
    const months = (p.resetFrequencyMonths[i] as number) || (p.paymentFrequencyMonths[i] as number) || 1;
    const given = p.spread[i] as number;
    const spread = given === given ? given : 0; // NaN spread = none
    const floor = p.floor[i] as number;
    const cap = p.cap[i] as number;
    const basis = renewalBasis(dayCount);
    for (let k = 0; k < first.count; k++) {
      const day = first.day[k] as number;
      const start = first.accrualStart[k] as number;
      if (day > start) {
        for (let s = 0; s < S; s++) {
          const interest = (buffers[s] as FlowBuffer).interest[k] as number;
          if (interest === 0) continue;
          const perDay = (sign * interest) / (day - start);
          const target = sums[s] as readonly MonthSums[];
          for (let d = 0; d < dims; d++) (target[d] as MonthSums).add(groups[d] as number, perDay, start - asOf, day - asOf);
        }
      }
      if (!constant || day >= end) continue;
      let repaid = false;
      for (let s = 0; s < S && !repaid; s++) repaid = ((buffers[s] as FlowBuffer).principal[k] as number) !== 0;
      if (!repaid) continue;
      let from = day;
      for (let n = 1; from < end; n++) {
        const to = this.roll(day, n * months);
        const period = renewalAccrual(dayCount, from, to);
        const until = to < end ? to : end;
        if (until > from) {
          const forwardFrom = from - asOf;
          const forwardTo = to - asOf;
          for (let s = 0; s < S; s++) {
            const amount = (buffers[s] as FlowBuffer).principal[k] as number;
            if (amount === 0) continue;
            const projection = projections[s] as Float64Array;
            let rate = ((projection[forwardFrom] as number) / (projection[forwardTo] as number) - 1) / period + spread;
            if (rate < floor) rate = floor; // NaN bounds compare false: no bound
            if (rate > cap) rate = cap;
            if (rate === 0) continue;
            // amount·rate·(until − from)/basis accrued evenly over [from, until)
            const perDay = (sign * amount * rate) / basis;
            const target = sums[s] as readonly MonthSums[];
            for (let d = 0; d < dims; d++) (target[d] as MonthSums).add(groups[d] as number, perDay, forwardFrom, until - asOf);
          }
        }
        from = to;
      }
    }
  }
}
